"""Thought Industries error envelopes.

Most endpoints answer `{"errors": ["<message>"]}`. The course endpoints answer the object the
"Creating Courses via API" guide shows: `{"error", "message", "code", "statusCode"}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from coursegate.domain.errors import Duplicate, Forbidden, Invalid, NotFound, Problem
from coursegate.platform.http import json

# Domain field names as this vendor spells them.
WIRE_FIELDS = {
    "ribbon_label": "ribbonText",
    "ribbon_color": "ribbonColor",
    "course_starts_at": "courseStartDate",
    "course_ends_at": "courseEndDate",
    "enrollment_starts_at": "enrollmentStartDate",
    "enrollment_ends_at": "enrollmentEndDate",
    "course_type": "courseType",
    "status": "publishedStatus",
    "external_id": "externalId",
    "custom_fields": "customFields",
    "is_free": "isFree",
    "first_name": "firstName",
    "last_name": "lastName",
    "external_customer_id": "externalCustomerId",
    "user_id": "userId",
    "course_id": "courseId",
    "per_page": "perPage",
    "topic_type": "type",
    "quiz_question_ids": "quizQuestions",
    "criteria": "completionCriteria",
    "user_status": "status",
    "resource_id": "resourceId",
    "resource_type": "resourceType",
    "expires_at": "expirationDate",
    "issued_at": "issuedAt",
    "recertify_by": "recertificationDate",
    "expiration_date": "expirationDate",
    "supplemental_assets": "supplementalAssets",
}

DUPLICATE_CODES = {
    "slug": "DUPLICATE_SLUG",
    "external_id": "DUPLICATE_EXTERNAL_ID",
    "title": "DUPLICATE_TITLE",
}

# Endpoints (by function name) that use the course-creation error object.
VALIDATION_OBJECT_ENDPOINTS: set[str] = set()


def wire_name(field_name: str) -> str:
    return WIRE_FIELDS.get(field_name, field_name)


def sentence(problem: Problem, subject: str = "record") -> str:
    name = wire_name(problem.field)
    p = problem.params
    match problem.code:
        case "required" | "blank":
            return f"Field '{name}' is required."
        case "too_long":
            return f"Field '{name}' must be at most {p.get('count')} characters."
        case "too_short":
            return f"Field '{name}' must be at least {p.get('count')} characters."
        case "invalid_choice":
            choices = ", ".join(str(c) for c in p.get("choices", ()))
            return f"Invalid {name} '{p.get('value')}'. Accepted values: {choices}."
        case "taken":
            return f"A {p.get('resource', subject)} with {name} '{p.get('value')}' already exists."
        case "not_found":
            return f"{str(p.get('resource', name)).capitalize()} not found for field '{name}'."
        case "already_enrolled":
            return "The user is already enrolled in this course."
        case "already_certified":
            value = p.get("value")
            return (
                f"The user already holds an active certificate for resource '{value}'; "
                "use recertify."
            )
        case "type":
            return f"Field '{name}' must be {p.get('expected')}."
        case "out_of_range":
            return f"Field '{name}' must be between {p.get('minimum')} and {p.get('maximum')}."
        case "too_many":
            return f"Field '{name}' accepts at most {p.get('count')} records."
        case "not_allowed":
            return str(p.get("reason") or f"Field '{name}' is not allowed.")
        case _:
            value = p.get("value")
            return f"Invalid value for field '{name}'" + (
                f": '{value}'." if value is not None else "."
            )


def validation_object(problem: Problem, subject: str = "course") -> tuple[int, dict[str, Any]]:
    if problem.code == "taken":
        code, status = DUPLICATE_CODES.get(problem.field, "DUPLICATE_VALUE"), 422
    elif problem.code in ("required", "blank"):
        code, status = "MISSING_REQUIRED_FIELD", 400
    else:
        code, status = "INVALID_FIELD_VALUE", 400
    return status, {
        "error": "Validation Error",
        "message": sentence(problem, subject),
        "code": code,
        "statusCode": status,
    }


def _first(problems: list[Problem]) -> Problem:
    """The envelope carries one message: report a missing field before a malformed one."""
    order = {"required": 0, "blank": 0, "type": 1}
    return sorted(problems, key=lambda p: order.get(p.code, 2))[0]


def _uses_object(request: Request) -> bool:
    endpoint = request.scope.get("endpoint")
    return getattr(endpoint, "__name__", "") in VALIDATION_OBJECT_ENDPOINTS


_EXPECTED = {
    "string_type": "a string",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "dict_type": "an object",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "model_type": "an object",
}


def problems_from(exc: RequestValidationError) -> list[Problem] | str:
    """Translate pydantic errors; a string means the body itself is unusable."""
    problems: list[Problem] = []
    for error in exc.errors():
        kind = str(error.get("type"))
        loc = tuple(error.get("loc", ()))
        if kind == "json_invalid":
            return "Request body is not valid JSON."
        if loc == ("body",):
            return (
                "Request body is required."
                if kind == "missing"
                else "Request body must be a JSON object."
            )
        names = [str(x) for x in loc[1:] if isinstance(x, str)]
        name = names[0] if names else str(loc[-1])
        if kind == "missing":
            problems.append(Problem(name, "required"))
        elif kind in _EXPECTED:
            expected = _EXPECTED[kind]
            if len(loc) > 2 and isinstance(loc[2], int):
                expected = f"an array of {expected.split(' ', 1)[1]}s"
            problems.append(Problem(name, "type", {"expected": expected}))
        elif kind in ("literal_error", "enum"):
            choices = (error.get("ctx") or {}).get("expected", "")
            problems.append(
                Problem(name, "invalid_choice", {"value": error.get("input"), "choices": [choices]})
            )
        else:
            problems.append(
                Problem(
                    name,
                    "invalid",
                    {
                        "value": error.get("input")
                        if isinstance(error.get("input"), str | int)
                        else None
                    },
                )
            )
    return problems


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        found = problems_from(exc)
        if isinstance(found, str):
            if _uses_object(request):
                return json(
                    {
                        "error": "Bad Request",
                        "message": found,
                        "code": "INVALID_BODY",
                        "statusCode": 400,
                    },
                    400,
                )
            return json({"errors": [found]}, 400)
        return _invalid(request, found, duplicate=False)

    @app.exception_handler(Invalid)
    async def _domain_invalid(request: Request, exc: Invalid) -> Response:
        return _invalid(request, exc.problems, duplicate=isinstance(exc, Duplicate))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        message = f"{exc.resource.capitalize()} not found."
        if _uses_object(request):
            return json(
                {"error": "Not Found", "message": message, "code": "NOT_FOUND", "statusCode": 404},
                404,
            )
        return json({"errors": [message]}, 404)

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, exc: Forbidden) -> Response:
        return json({"errors": [exc.reason]}, 403)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            response = json({"errors": ["Method not allowed."]}, 405)
            if exc.headers and "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
            return response
        if exc.status_code == 404:
            return json({"errors": ["Not found."]}, 404)
        return json({"errors": [str(exc.detail)]}, exc.status_code)


def _invalid(request: Request, problems: list[Problem], duplicate: bool) -> Response:
    if _uses_object(request):
        status, payload = validation_object(_first(problems))
        return json(payload, status)
    status = 409 if duplicate else 400
    return json({"errors": [sentence(p) for p in problems]}, status)
