"""Course reviews (by `course_id` in the query string) and custom profile field definitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.errors import invalid_body
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import optional_bool, optional_int, record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    CourseReviewResponse,
    CreateCourseReviewRequest,
    GetCourseReviewsResponse,
    GetCustomProfileFieldDefinitions,
)
from coursegate.domain import profile_fields, reviews
from coursegate.domain.errors import Invalid, NotFound
from coursegate.platform.http import Responses, ctx_of, json

router = APIRouter()
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
Q = Annotated[str | None, Query()]


@router.get(
    "/course_reviews",
    response_model=GetCourseReviewsResponse,
    tags=["Course Reviews"],
    operation_id="getCourseReviews",
)
async def list_reviews(
    request: Request, paging: PagingDep, course_id: Q = None, approved: Q = None
) -> Response:
    page = await reviews.list_reviews(
        ctx_of(request),
        optional_int(course_id, "course_id"),
        optional_bool(approved, "approved"),
        paging.offset,
        paging.limit,
    )
    return json(listing([mappers.review(r) for r in page.items], paging, page.total))


@router.post(
    "/course_reviews",
    status_code=201,
    response_model=CourseReviewResponse,
    responses={**NOT_FOUND, **INVALID},
    tags=["Course Reviews"],
    operation_id="createCourseReview",
)
async def create_review(
    request: Request, body: CreateCourseReviewRequest, course_id: Q = None
) -> Response:
    if course_id is None:
        raise NotFound("course", course_id)
    try:
        review = await reviews.create_review(
            ctx_of(request), record_id(course_id, "course"), body.model_dump()
        )
    except Invalid as exc:
        # A review's `title` is `title` on the wire (the course rename to `name` does not apply).
        return json(invalid_body(exc.problems, wire_fields={}), 422)
    return json(mappers.review(review), 201)


@router.get(
    "/course_reviews/{id}",
    response_model=CourseReviewResponse,
    responses=NOT_FOUND,
    tags=["Course Reviews"],
    operation_id="getCourseReviewByID",
)
async def get_review(request: Request, id: str) -> Response:
    return json(
        mappers.review(await reviews.get_review(ctx_of(request), record_id(id, "course_review")))
    )


@router.get(
    "/custom_profile_field_definitions",
    response_model=GetCustomProfileFieldDefinitions,
    tags=["Custom Profile Field Definitions"],
    operation_id="getCustomProfileFieldDefinitions",
)
async def list_definitions(request: Request, paging: PagingDep) -> Response:
    page = await profile_fields.list_definitions(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.profile_definition(d) for d in page.items], paging, page.total))
