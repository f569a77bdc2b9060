"""Enrollments (and, as the lifecycle grows, progress and certificates)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select

from coursegate.domain.models import (
    Course,
    CourseRef,
    Enrollment,
    EnrollmentQuery,
    ListedEnrollment,
    TimeBound,
    User,
    UserRef,
    row_reader,
    stored_fields,
)
from coursegate.store.base import SITE, Repo
from coursegate.store.counters import counted, counter_of
from coursegate.store.listing import PagedListing
from coursegate.store.tables.catalog import courses
from coursegate.store.tables.learning import enrollments
from coursegate.store.tables.people import users


def _with(user_columns: Any, course_columns: Any) -> Select[Any]:
    """Enrollments joined with their user's and course's columns (prefixed)."""
    return (
        select(
            enrollments,
            *[c.label(f"u_{c.name}") for c in user_columns],
            *[c.label(f"c_{c.name}") for c in course_columns],
        )
        .join(users, users.c.id == enrollments.c.user_id)
        .join(courses, courses.c.id == enrollments.c.course_id)
    )


# Built once: coercing ~60 labelled columns per request showed in profiles. One enrollment
# brings its whole user and course; listings bring only what names them.
_JOINED = _with(users.columns, courses.columns)
_LISTED = _with(
    [users.c[name] for name in stored_fields(UserRef)],
    [courses.c[name] for name in stored_fields(CourseRef)],
)


def _of_live_users(stmt: Select[Any], site: Any) -> Select[Any]:
    """`stmt`'s enrollments of the site's live users (erased users' rows are left out)."""
    return stmt.where(enrollments.c.site_id == site, users.c.deleted_at.is_(None))


_EVERYTHING = EnrollmentQuery()
# Unfiltered, the page's ids come from the (site_id, id) index alone: the users join filters
# nothing there (an erased user's enrollments are deleted with them).
_LISTING = PagedListing(
    "enrollments",
    _of_live_users(_LISTED, SITE),
    select(enrollments.c.id).where(enrollments.c.site_id == SITE),
    enrollments.c.id,
)


@lru_cache(maxsize=1024)
def _unfiltered(site_id: int) -> Select[Any]:
    """The site's whole listing, tagged for its counter; the same object every time, so the
    common request builds no statement (rows and count are prebuilt)."""
    listed = _of_live_users(_LISTED, site_id)
    return counted(listed, listed, "enrollments")


class EnrollmentRepo(Repo):
    table = enrollments
    counter = "enrollments"

    def joined(self) -> Select[Any]:
        """Enrollments of live users, with their user and course columns (prefixed)."""
        return _of_live_users(_JOINED, self.site_id)

    async def get(self, enrollment_id: int) -> Enrollment | None:
        row = (
            await self.conn.execute(self.joined().where(enrollments.c.id == enrollment_id))
        ).first()
        return _enrollment(row) if row is not None else None

    async def get_by_uuid(self, enrollment_uuid: str) -> Enrollment | None:
        row = (
            await self.conn.execute(self.joined().where(enrollments.c.uuid == enrollment_uuid))
        ).first()
        return _enrollment(row) if row is not None else None

    async def for_user_course(self, user_id: int, course_id: int) -> Enrollment | None:
        row = (
            await self.conn.execute(
                self.joined().where(
                    enrollments.c.user_id == user_id, enrollments.c.course_id == course_id
                )
            )
        ).first()
        return _enrollment(row) if row is not None else None

    def filtered(self, q: EnrollmentQuery, now: datetime) -> Select[Any]:
        if q == _EVERYTHING:
            return _unfiltered(self.site_id)
        e = enrollments.c
        base = stmt = _of_live_users(_LISTED, self.site_id)
        if q.user_id is not None:
            stmt = stmt.where(e.user_id == q.user_id)
        if q.course_id is not None:
            stmt = stmt.where(e.course_id == q.course_id)
        if q.course_ids is not None:
            stmt = stmt.where(e.course_id.in_(q.course_ids))
        if q.email is not None:
            stmt = stmt.where(users.c.email_key == q.email.strip().lower())
        if q.free_trial is not None:
            stmt = stmt.where(
                e.activated_at.is_(None) if q.free_trial else e.activated_at.is_not(None)
            )
        if q.full is not None:
            stmt = stmt.where(e.activated_at.is_not(None) if q.full else e.activated_at.is_(None))
        if q.completed is not None:
            stmt = stmt.where(
                e.completed_at.is_not(None) if q.completed else e.completed_at.is_(None)
            )
        if q.expired is not None:
            is_expired = e.expiry_date.is_not(None) & (e.expiry_date <= now)
            stmt = stmt.where(is_expired if q.expired else ~is_expired)
        for column, bounds in ((e.created_at, q.created), (e.updated_at, q.updated)):
            for bound in bounds:
                stmt = stmt.where(_compare(column, bound))
        # Unfiltered, this counts every enrollment: those of erased users are deleted with them.
        return counted(stmt, base, "enrollments")

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[ListedEnrollment]:
        """A page of a `filtered` listing."""
        if counter_of(stmt) == "enrollments":  # the unfiltered listing: prebuilt
            found, total = await _LISTING.page(self.conn, self.site_id, offset, limit)
            self.remember_count(stmt, total)
            return [_listed(r) for r in found]
        rows = await self.page(stmt, [enrollments.c.id], offset, limit)
        return [_listed(r) for r in rows]

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, enrollment_id: int, values: dict[str, Any]) -> None:
        await self.update_row(enrollment_id, values)

    async def course_ids_of_user(self, user_id: int) -> list[int]:
        rows = await self.conn.execute(
            select(enrollments.c.course_id).where(
                enrollments.c.site_id == self.site_id, enrollments.c.user_id == user_id
            )
        )
        return [int(r.course_id) for r in rows]

    async def remove_for_user(self, user_id: int) -> list[int]:
        """Delete a user's enrollments; returns the course ids whose counts must drop."""
        course_ids = await self.course_ids_of_user(user_id)
        result = await self.conn.execute(
            delete(enrollments).where(
                enrollments.c.site_id == self.site_id, enrollments.c.user_id == user_id
            )
        )
        await self.uncount(result.rowcount)
        return course_ids


# Worked out once: each listed row becomes three entities by position, not by name.
_COLUMNS = tuple(str(c.key) for c in _JOINED.selected_columns)
_AS_ENROLLMENT = row_reader(Enrollment, _COLUMNS)
_AS_USER = row_reader(User, _COLUMNS, "u_")
_AS_COURSE = row_reader(Course, _COLUMNS, "c_")


_LISTED_COLUMNS = tuple(str(c.key) for c in _LISTED.selected_columns)
_AS_LISTED = row_reader(Enrollment, _LISTED_COLUMNS)
_AS_USER_REF = row_reader(UserRef, _LISTED_COLUMNS, "u_")
_AS_COURSE_REF = row_reader(CourseRef, _LISTED_COLUMNS, "c_")


def _enrollment(row: Any) -> Enrollment:
    enrollment: Enrollment = _AS_ENROLLMENT(row)
    enrollment.user = _AS_USER(row)
    enrollment.course = _AS_COURSE(row)
    return enrollment


def _listed(row: Any) -> ListedEnrollment:
    enrollment: ListedEnrollment = _AS_LISTED(row)
    enrollment.user = _AS_USER_REF(row)
    enrollment.course = _AS_COURSE_REF(row)
    return enrollment


def _compare(column: Any, bound: TimeBound) -> ColumnElement[bool]:
    value = bound.value
    if bound.op == "gt":
        return column > value
    if bound.op == "ge":
        return column >= value
    if bound.op == "lt":
        return column < value
    return column <= value
