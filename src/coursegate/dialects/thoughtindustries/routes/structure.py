"""Course structure: sections, lessons, topics and completion criteria (reference §7.1, §5.4),
plus the write paths that build a structure (docs/compat: Course structure)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers_structure as m
from coursegate.dialects.thoughtindustries.paging import envelope, page_number, per_page
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_structure import (
    CriteriaWrite,
    LessonWrite,
    SectionWrite,
    TopicWrite,
    Wrapped,
)
from coursegate.domain import structure
from coursegate.domain.errors import Invalid, NotFound
from coursegate.platform.http import ctx_of, json
from coursegate.platform.ids import is_int_id

router = APIRouter(tags=["Courses"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
Page = Annotated[str | None, Query(description="1-based page number")]
PerPage = Annotated[str | None, Query(description="Items per page (max 100)")]


def uuid_key(key: str, resource: str) -> str:
    """The TI wire addresses structure by UUID (courses also by slug); integer ids are the
    other dialect's."""
    if is_int_id(key):
        raise NotFound(resource, key)
    return key


def _paging(request: Request, page: str | None, per: str | None) -> tuple[int, int, int]:
    limit = per_page(request, per)
    number = page_number(page) or 1
    return number, limit, (number - 1) * limit


def _listing(
    request: Request,
    operation: str,
    key: str,
    items: list[Any],
    limit: int,
    number: int,
    total: int,
) -> Response:
    """A page-numbered listing in its `data.<Operation>` envelope."""
    payload = {"pageInfo": m.page_block(limit, number, total), key: items}
    return json(envelope(request, operation, payload))


@router.get(
    "/courses/{courseId}/structure",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseStructure",
)
async def course_structure(request: Request, courseId: str) -> Response:
    found = await structure.outline(ctx_of(request), uuid_key(courseId, "course"))
    return json(envelope(request, "APICourseStructure", m.structure(found)))


@router.get(
    "/courses/{courseId}/sections",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseSections",
)
async def course_sections(
    request: Request, courseId: str, page: Page = None, perPage: PerPage = None
) -> Response:
    number, limit, offset = _paging(request, page, perPage)
    course, found = await structure.sections(
        ctx_of(request), uuid_key(courseId, "course"), offset, limit
    )
    return _listing(
        request,
        "APICourseSections",
        "sections",
        [m.section(item, course) for item in found.items],
        limit,
        number,
        found.total,
    )


@router.post(
    "/courses/{courseId}/sections", status_code=201, responses=ERRORS, operation_id="createSection"
)
async def create_section(request: Request, courseId: str, body: SectionWrite) -> Response:
    ctx = ctx_of(request)
    chapter = await structure.add_section(
        ctx, uuid_key(courseId, "course"), body.title, body.description
    )
    course, _ = await structure.sections(ctx, chapter.course_id, 0, 1)
    return json(m.section(chapter, course), 201)


@router.get(
    "/courses/{courseId}/lessons",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseLessons",
)
async def course_lessons(
    request: Request, courseId: str, page: Page = None, perPage: PerPage = None
) -> Response:
    number, limit, offset = _paging(request, page, perPage)
    found = await structure.course_lessons(
        ctx_of(request), uuid_key(courseId, "course"), offset, limit
    )
    return _listing(
        request,
        "APICourseLessons",
        "lessons",
        [m.lesson(item) for item in found.items],
        limit,
        number,
        found.total,
    )


@router.get(
    "/sections/{sectionId}/lessons",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APISectionLessons",
)
async def section_lessons(
    request: Request, sectionId: str, page: Page = None, perPage: PerPage = None
) -> Response:
    number, limit, offset = _paging(request, page, perPage)
    found = await structure.section_lessons(
        ctx_of(request), uuid_key(sectionId, "section"), offset, limit
    )
    return _listing(
        request,
        "APISectionLessons",
        "lessons",
        [m.lesson(item) for item in found.items],
        limit,
        number,
        found.total,
    )


@router.post(
    "/sections/{sectionId}/lessons", status_code=201, responses=ERRORS, operation_id="createLesson"
)
async def create_lesson(request: Request, sectionId: str, body: LessonWrite) -> Response:
    if body.accessLevel not in (None, "studentsOnly", "openToAll"):
        raise Invalid.one(
            "accessLevel",
            "invalid_choice",
            value=body.accessLevel,
            choices=["studentsOnly", "openToAll"],
        )
    ctx = ctx_of(request)
    created = await structure.add_lesson(
        ctx, uuid_key(sectionId, "section"), body.title, body.accessLevel == "openToAll"
    )
    return json(m.lesson_by_id(await structure.lesson_view(ctx, created.uuid)), 201)


@router.get("/lessons/{id}", response_model=Wrapped, responses=ERRORS, operation_id="APILessonById")
async def lesson_by_id(request: Request, id: str) -> Response:
    view = await structure.lesson_view(ctx_of(request), uuid_key(id, "lesson"))
    return json(envelope(request, "APILessonById", m.lesson_by_id(view)))


@router.post(
    "/lessons/{lessonId}/topics", status_code=201, responses=ERRORS, operation_id="createTopic"
)
async def create_topic(request: Request, lessonId: str, body: TopicWrite) -> Response:
    topic = await structure.add_topic(ctx_of(request), uuid_key(lessonId, "lesson"), body.domain())
    return json(m.topic(topic), 201)


@router.get(
    "/topics/lesson/{lessonId}",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APILessonTopics",
)
async def lesson_topics(
    request: Request, lessonId: str, page: Page = None, perPage: PerPage = None
) -> Response:
    number, limit, offset = _paging(request, page, perPage)
    found = await structure.lesson_topics(
        ctx_of(request), uuid_key(lessonId, "lesson"), offset, limit
    )
    return _listing(
        request,
        "APILessonTopics",
        "topics",
        [m.topic(item) for item in found.items],
        limit,
        number,
        found.total,
    )


@router.get(
    "/topics/course/{courseId}",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseTopics",
)
async def course_topics(
    request: Request, courseId: str, page: Page = None, perPage: PerPage = None
) -> Response:
    number, limit, offset = _paging(request, page, perPage)
    found = await structure.course_topics(
        ctx_of(request), uuid_key(courseId, "course"), offset, limit
    )
    return _listing(
        request,
        "APICourseTopics",
        "topics",
        [m.topic(item) for item in found.items],
        limit,
        number,
        found.total,
    )


@router.get("/topics/{id}", response_model=Wrapped, responses=ERRORS, operation_id="APITopicById")
async def topic_by_id(request: Request, id: str) -> Response:
    topic = await structure.get_topic(ctx_of(request), uuid_key(id, "topic"))
    return json(envelope(request, "APITopicById", m.topic(topic)))


@router.get(
    "/courses/{courseId}/completionCriteria",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="APICourseCompletionCriteria",
)
async def completion_criteria(request: Request, courseId: str) -> Response:
    course, found = await structure.criteria(ctx_of(request), uuid_key(courseId, "course"))
    return json(
        envelope(request, "APICourseCompletionCriteria", [m.criterion(c, course) for c in found])
    )


@router.put(
    "/courses/{courseId}/completionCriteria",
    response_model=Wrapped,
    responses=ERRORS,
    operation_id="setCourseCompletionCriteria",
)
async def set_completion_criteria(request: Request, courseId: str, body: CriteriaWrite) -> Response:
    ctx = ctx_of(request)
    key = uuid_key(courseId, "course")
    stored = await structure.set_criteria(ctx, key, [c.domain() for c in body.completionCriteria])
    course, _ = await structure.criteria(ctx, key)
    return json(
        envelope(request, "APICourseCompletionCriteria", [m.criterion(c, course) for c in stored])
    )
