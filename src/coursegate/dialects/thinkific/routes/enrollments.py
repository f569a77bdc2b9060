"""Enrollments: list with every `query[...]` filter, create, read, update (no delete)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import date_bounds, optional_bool, optional_int, record_id
from coursegate.dialects.thinkific.schemas import (
    CreateEnrollmentRequest,
    EnrollmentResponse,
    ErrorNotFound,
    GetEnrollmentsResponse,
    UpdateEnrollmentRequest,
    ValidationErrors,
)
from coursegate.domain import learning
from coursegate.domain.models import EnrollmentQuery
from coursegate.platform.http import Responses, ctx_of, empty, json

router = APIRouter(tags=["Enrollments"])
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
Q = Annotated[str | None, Query()]

DATE_FILTERS = (
    "created_on",
    "created_before",
    "created_on_or_before",
    "created_after",
    "created_on_or_after",
    "updated_on",
    "updated_before",
    "updated_on_or_before",
    "updated_after",
    "updated_on_or_after",
)


def enrollment_query(request: Request, **fixed: int | None) -> EnrollmentQuery:
    """Read the `query[...]` filters shared by course and bundle enrollment lists."""
    params = request.query_params

    def get(name: str) -> str | None:
        return params.get(f"query[{name}]")

    dates = {name: get(name) for name in DATE_FILTERS}
    return EnrollmentQuery(
        user_id=optional_int(get("user_id"), "user_id"),
        course_id=optional_int(get("course_id"), "course_id"),
        email=get("email") or None,
        free_trial=optional_bool(get("free_trial"), "free_trial"),
        full=optional_bool(get("full"), "full"),
        completed=optional_bool(get("completed"), "completed"),
        expired=optional_bool(get("expired"), "expired"),
        created=date_bounds({k: v for k, v in dates.items() if k.startswith("created")}),
        updated=date_bounds({k: v for k, v in dates.items() if k.startswith("updated")}),
        **fixed,  # type: ignore[arg-type]
    )


@router.get(
    "/enrollments",
    response_model=GetEnrollmentsResponse,
    operation_id="getEnrollments",
    openapi_extra={
        "parameters": [
            {"name": f"query[{n}]", "in": "query", "required": False, "schema": {"type": t}}
            for n, t in [
                ("user_id", "integer"),
                ("course_id", "integer"),
                ("email", "string"),
                ("free_trial", "boolean"),
                ("full", "boolean"),
                ("completed", "boolean"),
                ("expired", "boolean"),
            ]
            + [(d, "string") for d in DATE_FILTERS[:9]]
        ]
    },
)
async def list_enrollments(request: Request, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    query = enrollment_query(request)
    page = await learning.list_enrollments(ctx, query, paging.offset, paging.limit)
    now = ctx.clock.now()
    return json(listing([mappers.enrollment(e, now) for e in page.items], paging, page.total))


@router.post(
    "/enrollments",
    status_code=201,
    response_model=EnrollmentResponse,
    responses=INVALID,
    operation_id="createEnrollment",
)
async def create_enrollment(request: Request, body: CreateEnrollmentRequest) -> Response:
    ctx = ctx_of(request)
    enrollment = await learning.create_enrollment(
        ctx, body.user_id, body.course_id, body.activated_at, body.expiry_date
    )
    return json(mappers.enrollment(enrollment, ctx.clock.now()), 201)


@router.get(
    "/enrollments/{id}",
    response_model=EnrollmentResponse,
    responses=NOT_FOUND,
    operation_id="getEnrollmentsByID",
)
async def get_enrollment(request: Request, id: str) -> Response:
    ctx = ctx_of(request)
    enrollment = await learning.get_enrollment(ctx, record_id(id, "enrollment"))
    return json(mappers.enrollment(enrollment, ctx.clock.now()))


@router.put(
    "/enrollments/{id}",
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updateEnrollmentsByID",
)
async def update_enrollment(request: Request, id: str, body: UpdateEnrollmentRequest) -> Response:
    changes = body.model_dump(exclude_unset=True)
    await learning.update_enrollment(ctx_of(request), record_id(id, "enrollment"), changes)
    return empty(204)
