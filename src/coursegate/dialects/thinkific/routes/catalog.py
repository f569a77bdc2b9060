"""Courses, chapters and contents (read-only in Thinkific v1)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.schemas import (
    ChapterResponse,
    ContentResponse,
    CourseResponse,
    ErrorNotFound,
    GetChaptersResponse,
    GetContentsResponse,
    GetCoursesResponse,
)
from coursegate.domain import catalog
from coursegate.platform.http import Responses, ctx_of, json

router = APIRouter()
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}


@router.get(
    "/courses", response_model=GetCoursesResponse, tags=["Courses"], operation_id="getCourses"
)
async def list_courses(request: Request, paging: PagingDep) -> Response:
    page = await catalog.list_courses(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.course(c) for c in page.items], paging, page.total))


@router.get(
    "/courses/{id}",
    response_model=CourseResponse,
    responses=NOT_FOUND,
    tags=["Courses"],
    operation_id="getCourseByID",
)
async def get_course(request: Request, id: str) -> Response:
    course = await catalog.get_course(ctx_of(request), record_id(id, "course"))
    return json(mappers.course(course))


@router.get(
    "/courses/{id}/chapters",
    response_model=GetChaptersResponse,
    responses=NOT_FOUND,
    tags=["Courses"],
    operation_id="getChaptersByCourseID",
)
async def list_course_chapters(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    page = await catalog.list_chapters(ctx, record_id(id, "course"), paging.offset, paging.limit)
    return json(listing([mappers.chapter(c) for c in page.items], paging, page.total))


@router.get(
    "/chapters/{id}",
    response_model=ChapterResponse,
    responses=NOT_FOUND,
    tags=["Chapters"],
    operation_id="getChapterByID",
)
async def get_chapter(request: Request, id: str) -> Response:
    chapter = await catalog.get_chapter(ctx_of(request), record_id(id, "chapter"))
    return json(mappers.chapter(chapter))


@router.get(
    "/chapters/{id}/contents",
    response_model=GetContentsResponse,
    responses=NOT_FOUND,
    tags=["Chapters"],
    operation_id="getContentsByChapterID",
)
async def list_chapter_contents(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    page = await catalog.list_lessons(ctx, record_id(id, "chapter"), paging.offset, paging.limit)
    base = request.scope["state"]["base_url"]
    return json(listing([mappers.content(x, base) for x in page.items], paging, page.total))


@router.get(
    "/contents/{id}",
    response_model=ContentResponse,
    responses=NOT_FOUND,
    tags=["Contents"],
    operation_id="getContentByID",
)
async def get_content(request: Request, id: str) -> Response:
    lesson = await catalog.get_lesson(ctx_of(request), record_id(id, "content"))
    return json(mappers.content(lesson, request.scope["state"]["base_url"]))
