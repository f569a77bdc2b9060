"""Course creation and updates (the "Creating Courses via API" guide), and reading one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers
from coursegate.dialects.thoughtindustries.errors import VALIDATION_OBJECT_ENDPOINTS
from coursegate.dialects.thoughtindustries.schemas import Course, CourseWrite, ValidationErrorObject
from coursegate.domain import catalog
from coursegate.domain.errors import NotFound
from coursegate.domain.models import Course as DomainCourse
from coursegate.platform.http import Responses, ctx_of, json
from coursegate.platform.ids import is_int_id

router = APIRouter(tags=["Courses"])
ERRORS: Responses = {
    400: {"model": ValidationErrorObject, "description": "Missing or invalid field"},
    404: {"model": ValidationErrorObject, "description": "No such course"},
    422: {"model": ValidationErrorObject, "description": "Duplicate slug, title or externalId"},
}


async def _course(request: Request, key: str) -> DomainCourse:
    """Courses are addressed by UUID (or slug, or externalId); never by the integer id."""
    ctx = ctx_of(request)
    if is_int_id(key):
        raise NotFound("course", key)
    try:
        return await catalog.get_course(ctx, key)
    except NotFound:
        return await catalog.get_course_by_external_id(ctx, key)


@router.post(
    "/courses",
    status_code=201,
    response_model=Course,
    responses=ERRORS,
    operation_id="createCourse",
)
async def create_course(request: Request, body: CourseWrite) -> Response:
    course = await catalog.create_course(ctx_of(request), body.domain())
    return json(mappers.course(course), 201)


@router.put("/courses/{id}", response_model=Course, responses=ERRORS, operation_id="updateCourse")
async def update_course(request: Request, id: str, body: CourseWrite) -> Response:
    course_id = (await _course(request, id)).id
    course = await catalog.update_course(ctx_of(request), course_id, body.domain())
    return json(mappers.course(course))


@router.get("/courses/{id}", response_model=Course, responses=ERRORS, operation_id="getCourse")
async def get_course(request: Request, id: str) -> Response:
    return json(mappers.course(await _course(request, id)))


VALIDATION_OBJECT_ENDPOINTS.update(
    {create_course.__name__, update_course.__name__, get_course.__name__}
)
