"""Sandbox error bodies: always `{"error": "<message>"}`; the message names the field."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from coursegate.domain.errors import Forbidden, Invalid, NotFound, Problem
from coursegate.platform.http import json


def sentence(problem: Problem) -> str:
    p = problem.params
    name = problem.field
    match problem.code:
        case "required" | "blank" | "missing":
            return f"{name} is required"
        case "not_found":
            return f"{name}: {p.get('resource', 'record')} not found"
        case "out_of_range":
            return f"{name} must be between {p.get('minimum')} and {p.get('maximum')}"
        case "type":
            return f"{name} must be {p.get('expected')}"
        case "invalid_choice":
            return f"{name} must be one of: {', '.join(str(c) for c in p.get('choices', ()))}"
        case _:
            return f"{name} is invalid"


_EXPECTED = {"int": "an integer", "float": "a number", "bool": "a boolean", "string": "a string"}


def _from_pydantic(exc: RequestValidationError) -> tuple[int, str]:
    messages: list[str] = []
    for error in exc.errors():
        kind = str(error.get("type"))
        loc = [str(x) for x in error.get("loc", ()) if x != "body"]
        if kind == "json_invalid":
            return 400, "Request body is not valid JSON."
        if not loc:
            return 400, "Request body must be a JSON object."
        name = ".".join(loc)
        if kind == "missing":
            messages.append(f"{name} is required")
            continue
        expected = next((v for k, v in _EXPECTED.items() if kind.startswith(k)), None)
        messages.append(f"{name} must be {expected}" if expected else f"{name} is invalid")
    return 422, "; ".join(messages)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        status, message = _from_pydantic(exc)
        return json({"error": message}, status)

    @app.exception_handler(Invalid)
    async def _invalid(_request: Request, exc: Invalid) -> Response:
        return json({"error": "; ".join(sentence(p) for p in exc.problems)}, 422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> Response:
        return json({"error": f"{exc.resource.capitalize()} not found."}, 404)

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, exc: Forbidden) -> Response:
        return json({"error": exc.reason}, 403)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "Not found.", 405: "Method not allowed."}
        response = json({"error": messages.get(exc.status_code, str(exc.detail))}, exc.status_code)
        if exc.headers and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
