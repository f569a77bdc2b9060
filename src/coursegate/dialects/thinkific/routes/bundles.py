"""Bundles: read a bundle and its courses; list, create and update bundle enrollments."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers, mappers_catalog
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.routes.enrollments import DATE_FILTERS, enrollment_query
from coursegate.dialects.thinkific.schemas import (
    ErrorNotFound,
    GetCoursesResponse,
    GetEnrollmentsResponse,
    ValidationErrors,
)
from coursegate.dialects.thinkific.schemas_catalog import BundleEnrollmentRequest, BundleResponse
from coursegate.domain import bundles
from coursegate.domain.errors import Invalid
from coursegate.platform.http import Responses, ctx_of, empty, json
from coursegate.platform.ids import is_int_id

router = APIRouter(tags=["Bundles"])
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
FILTERS = [
    ("user_id", "integer"),
    ("email", "string"),
    ("completed", "boolean"),
    ("expired", "boolean"),
] + [(d, "string") for d in (*DATE_FILTERS, "updated_on_or_after")]


def _bundle_id(raw: str) -> int:
    """Bundle-enrollment writes answer 422 (they document no 404) for an unknown bundle."""
    if not is_int_id(raw) or len(raw) > 18:
        raise Invalid.one("bundle_id", "not_found", resource="bundle")
    return int(raw)


@router.get(
    "/bundles/{id}",
    response_model=BundleResponse,
    responses=NOT_FOUND,
    operation_id="getBundleByID",
)
async def get_bundle(request: Request, id: str) -> Response:
    bundle = await bundles.get_bundle(ctx_of(request), record_id(id, "bundle"))
    return json(mappers_catalog.bundle(bundle))


@router.get(
    "/bundles/{id}/courses",
    response_model=GetCoursesResponse,
    responses=NOT_FOUND,
    operation_id="getCoursesByBundleID",
)
async def list_bundle_courses(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    page = await bundles.list_bundle_courses(
        ctx, record_id(id, "bundle"), paging.offset, paging.limit
    )
    return json(listing([mappers.course(c) for c in page.items], paging, page.total))


@router.get(
    "/bundles/{id}/enrollments",
    response_model=GetEnrollmentsResponse,
    operation_id="getBundleEnrollments",
    openapi_extra={
        "parameters": [
            {"name": f"query[{n}]", "in": "query", "required": False, "schema": {"type": t}}
            for n, t in FILTERS
        ]
    },
)
async def list_bundle_enrollments(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    # An id that names no bundle lists nothing (this operation documents no 404).
    bundle_id = int(id) if is_int_id(id) and len(id) <= 18 else 0
    query = enrollment_query(request)
    page = await bundles.list_bundle_enrollments(ctx, bundle_id, query, paging.offset, paging.limit)
    now = ctx.clock.now()
    return json(listing([mappers.enrollment(e, now) for e in page.items], paging, page.total))


@router.post(
    "/bundles/{id}/enrollments",
    status_code=201,
    responses=INVALID,
    operation_id="createBundleEnrollment",
)
async def create_bundle_enrollment(
    request: Request, id: str, body: BundleEnrollmentRequest
) -> Response:
    # Always synchronous, so always 201 (never 202): see docs/compat/thinkific.md.
    await bundles.create_bundle_enrollment(
        ctx_of(request), _bundle_id(id), body.user_id, body.activated_at, body.expiry_date
    )
    return empty(201)


@router.put(
    "/bundles/{id}/enrollments",
    status_code=204,
    responses=INVALID,
    operation_id="updateBundleEnrollment",
)
async def update_bundle_enrollment(
    request: Request, id: str, body: BundleEnrollmentRequest
) -> Response:
    changes = body.model_dump(exclude_unset=True, exclude={"user_id"})
    await bundles.update_bundle_enrollment(ctx_of(request), _bundle_id(id), body.user_id, changes)
    return empty(204)
