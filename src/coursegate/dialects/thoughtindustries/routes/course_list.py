"""GET /courses: the course objects of the course-creation guide, cursor paged.

The vendor documents no course list (reference §13); this one pages like `/content` and
filters on the course object's own fields (docs/compat: Course list)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers
from coursegate.dialects.thoughtindustries.errors import VALIDATION_OBJECT_ENDPOINTS
from coursegate.dialects.thoughtindustries.mappers_course_groups import course_types
from coursegate.dialects.thoughtindustries.paging import (
    decode_cursor,
    encode_cursor,
    envelope,
    page_info,
    per_page,
)
from coursegate.dialects.thoughtindustries.schemas import ValidationErrorObject
from coursegate.dialects.thoughtindustries.schemas_structure import Wrapped
from coursegate.domain import course_listing
from coursegate.domain.errors import Invalid
from coursegate.domain.models import COURSE_STATUSES
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Courses"])
Text = Annotated[str | None, Query()]


@router.get(
    "/courses",
    response_model=Wrapped,
    responses={400: {"model": ValidationErrorObject}},
    operation_id="APICourses",
)
async def list_courses(
    request: Request,
    cursor: Text = None,
    perPage: Text = None,
    courseType: Annotated[str | None, Query(description="Comma list of types or kinds")] = None,
    publishedStatus: Annotated[
        str | None, Query(description="draft, published or archived")
    ] = None,
    externalId: Text = None,
) -> Response:
    limit = per_page(request, perPage)
    key = decode_cursor(cursor, {"i"})
    if key is not None and not isinstance(key["i"], int):
        raise Invalid.one("cursor", "invalid", value=cursor)
    statuses = None
    if publishedStatus:
        if publishedStatus not in COURSE_STATUSES:
            raise Invalid.one(
                "status", "invalid_choice", value=publishedStatus, choices=COURSE_STATUSES
            )
        statuses = [publishedStatus]
    wanted = course_listing.CourseFilter(
        course_types(courseType, "course_type"), statuses, externalId or None
    )
    found = await course_listing.scan_courses(
        ctx_of(request), wanted, key["i"] if key else None, limit
    )
    next_cursor = encode_cursor({"i": found.items[-1].id}) if found.items else None
    info = page_info(limit, found.total, found.has_more, next_cursor)
    payload = {"pageInfo": info, "courses": [mappers.course(c) for c in found.items]}
    return json(envelope(request, "APICourses", payload))


VALIDATION_OBJECT_ENDPOINTS.add(list_courses.__name__)
