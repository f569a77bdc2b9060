"""Filtered course lists: keyset scans (cursor paging) and offset pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from coursegate.domain.models import Course
from coursegate.store.catalog import CourseRepo, with_related
from coursegate.store.tables.catalog import courses


@dataclass(slots=True)
class CourseFilter:
    course_types: list[str] | None = None
    statuses: list[str] | None = None
    external_id: str | None = None


def filtered(repo: CourseRepo, f: CourseFilter) -> Select[Any]:
    stmt = repo.scoped()
    if f.course_types is not None:
        stmt = stmt.where(courses.c.course_type.in_(f.course_types))
    if f.statuses is not None:
        stmt = stmt.where(courses.c.status.in_(f.statuses))
    if f.external_id is not None:
        stmt = stmt.where(courses.c.external_id == f.external_id)
    return stmt


async def scan(
    repo: CourseRepo, f: CourseFilter, after_id: int | None, limit: int
) -> tuple[list[Course], int, bool]:
    """Courses by id after the cursor: (page, total matching, whether more follow)."""
    stmt = filtered(repo, f)
    total = await repo.count(stmt)
    if after_id is not None:
        stmt = stmt.where(courses.c.id > after_id)
    listed = with_related(stmt).order_by(courses.c.id).limit(limit + 1)
    rows = list((await repo.conn.execute(listed)).all())
    return repo.hydrate(rows[:limit]), total, len(rows) > limit


async def page(
    repo: CourseRepo, f: CourseFilter, offset: int, limit: int
) -> tuple[list[Course], int]:
    stmt = filtered(repo, f)
    return await repo.list_page(stmt, [courses.c.id], offset, limit), await repo.count(stmt)
