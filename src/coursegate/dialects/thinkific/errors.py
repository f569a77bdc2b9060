"""Thinkific's error envelopes: 404 {"error"}, 422 {"errors": {field: [messages]}}, 400 {"error"}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from coursegate.domain.errors import Forbidden, Invalid, NotFound, Problem
from coursegate.platform.http import json

NOT_FOUND = {"error": "Record not found."}


def message(problem: Problem) -> str:
    p = problem.params
    match problem.code:
        case "required" | "blank":
            return "can't be blank"
        case "too_long":
            return f"is too long (maximum is {p.get('count')} characters)"
        case "too_short":
            return f"is too short (minimum is {p.get('count')} characters)"
        case "invalid_choice":
            return "is not included in the list"
        case "taken":
            return "has already been taken"
        case "not_found":
            return f"{str(p.get('resource', 'record')).capitalize()} could not be found."
        case "already_enrolled":
            return "User is already enrolled in this course."
        case "out_of_range":
            return f"must be greater than {p.get('minimum')} and less than or equal to {p.get('maximum')}"
        case "not_a_number":
            return "is not a number"
        case "not_allowed":
            return str(p.get("reason", "is not allowed"))
        # Catalog and people areas (wording from the vendor spec's examples).
        case "unknown_names":
            return "Invalid group_names"
        case "missing_role":
            return f"User IDs missing {p.get('role')}s role: {_ids(p)}"
        case "unknown_ids":
            return f"Invalid {p.get('resource')} IDs: {_ids(p)}"
        case "script_source_choice":
            return "must provide one of: src or content"
        case "signature_missing":
            return "Missing header `HMAC-SHA256-SIGNATURE`"
        case "signature_invalid":
            return "Invalid header `HMAC-SHA256-SIGNATURE`"
        case _:
            return "is invalid"


def _ids(params: dict[str, Any]) -> str:
    return ", ".join(str(i) for i in params.get("ids", []))


# Domain field names that Thinkific spells differently on the wire.
WIRE_FIELDS = {"title": "name", "course_type": "type"}


def invalid_body(
    problems: list[Problem], wire_fields: dict[str, str] = WIRE_FIELDS
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        name = wire_fields.get(problem.field, problem.field)
        errors.setdefault(name, [])
        text = message(problem)
        if text not in errors[name]:
            errors[name].append(text)
    return {"errors": errors}


def unprocessable(field_name: str, code: str, **params: Any) -> Response:
    return json(invalid_body([Problem(field_name, code, params)]), 422)


_PYDANTIC_CODES = {
    "missing": "required",
    "int_parsing": "not_a_number",
    "int_type": "not_a_number",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "int_from_float": "not_a_number",
    "greater_than_equal": "invalid",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(x) for x in loc[1:] if isinstance(x, str)] or [str(loc[-1])]
    return parts[0] if len(parts) == 1 else ".".join(parts)


def validation_problems(exc: RequestValidationError) -> tuple[int, dict[str, Any]]:
    problems: list[Problem] = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return 400, {"error": "Request body is not valid JSON."}
        loc = tuple(error.get("loc", ()))
        if loc == ("body",):
            if error.get("type") == "missing":
                return 400, {"error": "Request body is required."}
            return 400, {"error": "Request body must be a JSON object."}
        code = _PYDANTIC_CODES.get(str(error.get("type")), "invalid")
        ctx = error.get("ctx") or {}
        params = {"count": ctx.get("min_length") or ctx.get("max_length")}
        problems.append(Problem(_field(loc), code, params))
    return 422, invalid_body(problems)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        status, payload = validation_problems(exc)
        return json(payload, status)

    @app.exception_handler(Invalid)
    async def _invalid(_request: Request, exc: Invalid) -> Response:
        return json(invalid_body(exc.problems), 422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, _exc: NotFound) -> Response:
        return json(NOT_FOUND, 404)

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, exc: Forbidden) -> Response:
        return json({"error": exc.reason}, 403)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            response = json({"error": "Method not allowed."}, 405)
            if exc.headers and "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
            return response
        if exc.status_code == 404:
            return json(NOT_FOUND, 404)
        return json({"error": str(exc.detail)}, exc.status_code)
