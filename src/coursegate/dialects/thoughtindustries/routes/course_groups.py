"""Course groups (reference §8): read-only views of platform courses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_course_groups as m
from coursegate.dialects.thoughtindustries.mappers_structure import page_block
from coursegate.dialects.thoughtindustries.paging import envelope, page_number, per_page
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_structure import Wrapped
from coursegate.domain import course_listing
from coursegate.domain.course_listing import CourseFilter
from coursegate.domain.errors import Invalid
from coursegate.domain.models import COURSE_STATUSES
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Course Groups"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
Flag = Annotated[str | None, Query(description="true or false")]


def _flag(raw: str | None, name: str) -> bool | None:
    if raw is None or raw == "":
        return None
    if raw.lower() not in ("true", "false"):
        raise Invalid.one(name, "type", expected="a boolean")
    return raw.lower() == "true"


@router.get(
    "/courseGroups", response_model=Wrapped, responses=ERRORS, operation_id="APICourseGroups"
)
async def list_course_groups(
    request: Request,
    kind: Annotated[str | None, Query(description="CourseGroupKind")] = None,
    isTemplate: Flag = None,
    archived: Flag = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    is_archived = _flag(archived, "archived")
    statuses = (
        None
        if is_archived is None
        else (["archived"] if is_archived else [s for s in COURSE_STATUSES if s != "archived"])
    )
    types = m.types_of_kind(kind) if kind else None
    if _flag(isTemplate, "isTemplate") is True:
        types = []  # the platform has no course templates
    found = await course_listing.course_page(
        ctx_of(request),
        CourseFilter(course_types=types, statuses=statuses),
        (number - 1) * limit,
        limit,
    )
    payload = {
        "pageInfo": page_block(limit, number, found.total),
        "courseGroups": [m.course_group(c) for c in found.items],
    }
    return json(envelope(request, "APICourseGroups", payload))


@router.get(
    "/courseGroups/slug/{slug}",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseGroupBySlug",
)
async def course_group_by_slug(request: Request, slug: str) -> Response:
    course = await course_listing.find_by_slug(ctx_of(request), slug)
    return json(envelope(request, "APICourseGroupBySlug", m.course_group_detail(course)))


@router.get(
    "/courseGroups/{id}",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseGroupById",
)
async def course_group_by_id(request: Request, id: str) -> Response:
    course = await course_listing.find_by_uuid(ctx_of(request), id)
    return json(envelope(request, "APICourseGroupById", m.course_group_detail(course)))


@router.get(
    "/courseGroups/{id}/courses",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseGroupCourses",
)
async def course_group_courses(
    request: Request,
    id: str,
    activeOnly: Flag = None,
    page: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
) -> Response:
    limit = per_page(request, perPage)
    number = page_number(page) or 1
    course = await course_listing.find_by_uuid(ctx_of(request), id)
    members = [course]
    if _flag(activeOnly, "activeOnly") and course.status != "published":
        members = []
    shown = members[(number - 1) * limit : number * limit]
    payload = {
        "pageInfo": page_block(limit, number, len(members)),
        "courses": [m.group_course(c) for c in shown],
    }
    return json(envelope(request, "APICourseGroupCourses", payload))
