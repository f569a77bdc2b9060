"""Enrollments: trial or full access to a course, expiry as revocation, progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, NotFound, Problem
from coursegate.domain.models import Enrollment, EnrollmentQuery, ListedEnrollment, Page
from coursegate.domain.recording import record
from coursegate.domain.snapshots import enrollment_snapshot
from coursegate.platform.ids import new_uuid
from coursegate.store.base import UniqueViolation
from coursegate.store.catalog import CourseRepo
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.people import UserRepo


async def _load(u: Unit, enrollment_id: int) -> Enrollment:
    enrollment = await EnrollmentRepo(u).get(enrollment_id)
    if enrollment is None:
        raise NotFound("enrollment", enrollment_id)
    return enrollment


async def record_enrollment_event(
    u: Unit, event_type: str, enrollment: Enrollment, **extra: Any
) -> None:
    assert enrollment.user is not None and enrollment.course is not None
    await record(
        u,
        event_type,
        "enrollment",
        enrollment.id,
        enrollment.uuid,
        {**enrollment_snapshot(enrollment), **extra},
        user_uuid=enrollment.user.uuid,
        course_uuid=enrollment.course.uuid,
    )


async def enroll(
    u: Unit,
    user_id: int,
    course_id: int,
    *,
    activated_at: datetime | None,
    expiry_date: datetime | None,
    source: str = "api",
) -> Enrollment:
    """Enroll inside an open transaction (used by the API, purchases and bulk jobs)."""
    problems = Collector()
    if await UserRepo(u).get(user_id) is None:
        problems.add("user_id", "not_found", resource="user")
    courses = CourseRepo(u)
    if await courses.get(course_id) is None:
        problems.add("course_id", "not_found", resource="course")
    problems.raise_if_any()
    repo = EnrollmentRepo(u)
    try:
        enrollment_id = await repo.create(
            {
                "uuid": new_uuid(),
                "user_id": user_id,
                "course_id": course_id,
                "activated_at": activated_at,
                "expiry_date": expiry_date,
                "started_at": u.now,
                "percentage_completed": 0.0,
                "source": source,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
    except UniqueViolation as exc:
        raise Duplicate(Problem("course_id", "already_enrolled")) from exc
    await courses.adjust_enrollment_count(course_id, 1)
    enrollment = await _load(u, enrollment_id)
    await record_enrollment_event(
        u, "enrollment.created" if activated_at is not None else "enrollment.trial", enrollment
    )
    return enrollment


async def create_enrollment(
    ctx: Ctx,
    user_id: int | None,
    course_id: int | None,
    activated_at: datetime | None = None,
    expiry_date: datetime | None = None,
    source: str = "api",
) -> Enrollment:
    problems = Collector()
    if user_id is None:
        problems.add("user_id", "required")
    if course_id is None:
        problems.add("course_id", "required")
    problems.raise_if_any()
    assert user_id is not None and course_id is not None
    async with ctx.writing() as u:
        return await enroll(
            u, user_id, course_id, activated_at=activated_at, expiry_date=expiry_date, source=source
        )


async def update_enrollment(ctx: Ctx, enrollment_id: int, changes: dict[str, Any]) -> Enrollment:
    """Change access dates. An expiry at or before now revokes access."""
    async with ctx.writing() as u:
        return await change_enrollment(u, enrollment_id, changes)


async def change_enrollment(u: Unit, enrollment_id: int, changes: dict[str, Any]) -> Enrollment:
    """`update_enrollment` inside an open transaction (bundle enrollments fan out with it)."""
    before = await _load(u, enrollment_id)
    values: dict[str, Any] = {
        k: changes[k] for k in ("activated_at", "expiry_date") if k in changes
    }
    await EnrollmentRepo(u).update(enrollment_id, {**values, "updated_at": u.now})
    enrollment = await _load(u, enrollment_id)
    await record_enrollment_event(u, "enrollment.updated", enrollment, changed=sorted(values))
    if before.is_free_trial and not enrollment.is_free_trial:
        await record_enrollment_event(u, "enrollment.activated", enrollment)
    if enrollment.expired_at(u.now) and not before.expired_at(u.now):
        await record_enrollment_event(u, "enrollment.revoked", enrollment)
    return enrollment


async def get_enrollment(ctx: Ctx, enrollment_id: int) -> Enrollment:
    async with ctx.reading() as u:
        return await _load(u, enrollment_id)


async def list_enrollments(
    ctx: Ctx, query: EnrollmentQuery, offset: int, limit: int
) -> Page[ListedEnrollment]:
    async with ctx.reading() as u:
        repo = EnrollmentRepo(u)
        stmt = repo.filtered(query, u.now)
        items = await repo.list_page(stmt, offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)
