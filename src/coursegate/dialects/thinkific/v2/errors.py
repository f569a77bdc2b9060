"""Webhooks API v2 error bodies, as the vendor's examples show them: 404 {"error": "Record not
found."}; 422 {"errors": {field: "message"}} on POST and {"errors": {field: ["message"]}} on PUT."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from coursegate.dialects.thinkific.errors import NOT_FOUND, validation_problems
from coursegate.domain.errors import Invalid, NotFound, Problem
from coursegate.platform.http import json

# Domain field -> the name the vendor's 422 examples use.
WIRE_FIELDS = {"target_url": "url"}


def message(problem: Problem) -> str:
    match problem.field, problem.code:
        case "topic", _:
            return "invalid format"
        case _, "required" | "blank":
            return "can't be blank"
        case "target_url", "invalid":
            reason = problem.params.get("reason")
            return (
                "is not valid" if reason in (None, "is not valid") else f"is not valid ({reason})"
            )
        case _, "not_a_number" | "out_of_range":
            return "is not a valid page size"
        case _:
            return "is invalid"


def unprocessable(request: Request, problems: list[Problem]) -> Response:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        text = message(problem)
        bucket = errors.setdefault(WIRE_FIELDS.get(problem.field, problem.field), [])
        if text not in bucket:
            bucket.append(text)
    if request.method == "POST":
        return json({"errors": {k: "; ".join(v) for k, v in errors.items()}}, 422)
    return json({"errors": errors}, 422)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, payload = validation_problems(exc)
        if status != 422:
            return json(payload, status)
        problems = [Problem(k, "invalid") for k in payload["errors"]]
        return unprocessable(request, problems)

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, exc: Invalid) -> Response:
        return unprocessable(request, exc.problems)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, _exc: NotFound) -> Response:
        return json(NOT_FOUND, 404)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return json(NOT_FOUND, 404)
        if exc.status_code == 405:
            return json({"error": "Method not allowed."}, 405)
        body: dict[str, Any] = {"error": str(exc.detail)}
        return json(body, exc.status_code)
