"""Course lists with filters, for the dialects' catalogue views (courses, course groups)."""

from __future__ import annotations

from dataclasses import dataclass

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, NotFound
from coursegate.domain.models import COURSE_STATUSES, COURSE_TYPES, Course, Page
from coursegate.platform.ids import is_uuid
from coursegate.store import course_listing
from coursegate.store.catalog import CourseRepo
from coursegate.store.course_listing import CourseFilter

__all__ = ["CourseFilter", "Scan", "course_page", "find_by_slug", "find_by_uuid", "scan_courses"]


@dataclass(frozen=True, slots=True)
class Scan:
    items: list[Course]
    total: int
    has_more: bool


def _check(f: CourseFilter) -> None:
    problems = Collector()
    for name in f.course_types or []:
        if name not in COURSE_TYPES:
            problems.add("course_type", "invalid_choice", value=name, choices=COURSE_TYPES)
    for name in f.statuses or []:
        if name not in COURSE_STATUSES:
            problems.add("status", "invalid_choice", value=name, choices=COURSE_STATUSES)
    problems.raise_if_any()


async def scan_courses(ctx: Ctx, f: CourseFilter, after_id: int | None, limit: int) -> Scan:
    _check(f)
    async with ctx.reading() as u:
        items, total, has_more = await course_listing.scan(CourseRepo(u), f, after_id, limit)
    return Scan(items, total, has_more)


async def course_page(ctx: Ctx, f: CourseFilter, offset: int, limit: int) -> Page[Course]:
    _check(f)
    async with ctx.reading() as u:
        items, total = await course_listing.page(CourseRepo(u), f, offset, limit)
    return Page(items, total)


async def find_by_uuid(ctx: Ctx, key: str) -> Course:
    async with ctx.reading() as u:
        course = await CourseRepo(u).get_by_uuid(key) if is_uuid(key) else None
    if course is None:
        raise NotFound("course group", key)
    return course


async def find_by_slug(ctx: Ctx, slug: str) -> Course:
    async with ctx.reading() as u:
        course = await CourseRepo(u).get_by_slug(slug)
    if course is None:
        raise NotFound("course group", slug)
    return course
