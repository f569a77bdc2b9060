"""Learning done outside the platform, reported in: course completions, learning-path status,
assignment outcomes. Each goes through the same enrollment/assessment rules as local work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.assessments import set_assignment_outcome
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.learning import enroll
from coursegate.domain.models import Enrollment
from coursegate.domain.models_ops import AssignmentSubmission
from coursegate.domain.recording import record
from coursegate.domain.snapshots import enrollment_snapshot
from coursegate.store.catalog import CourseRepo
from coursegate.store.database import Unit
from coursegate.store.external_activity import CourseSkuRepo
from coursegate.store.learning import EnrollmentRepo

SOURCE = "external_activity"
LEARNING_PATH_STATUSES = ("not_started", "started", "completed", "not_completed")


async def _emit(u: Unit, event_type: str, enrollment: Enrollment, **extra: Any) -> None:
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


async def _enrollment(u: Unit, user_id: int, course_id: int) -> Enrollment:
    """The learner's enrollment in the course, created (full access) when missing."""
    repo = EnrollmentRepo(u)
    found = await repo.for_user_course(user_id, course_id)
    if found is None:
        found = await enroll(
            u, user_id, course_id, activated_at=u.now, expiry_date=None, source=SOURCE
        )
    return found


def _not_future(u: Unit, name: str, value: datetime | None) -> None:
    if value is not None and value > u.now:
        raise Invalid.one(name, "not_allowed", reason=f"Field '{name}' cannot be in the future.")


async def _complete(u: Unit, enrollment: Enrollment, completed_at: datetime | None) -> Enrollment:
    repo = EnrollmentRepo(u)
    was_complete = enrollment.completed
    await repo.update(
        enrollment.id,
        {"completed_at": completed_at or u.now, "percentage_completed": 1.0, "updated_at": u.now},
    )
    done = await repo.get(enrollment.id)
    if done is None:
        raise NotFound("enrollment", enrollment.id)
    if was_complete:
        await _emit(u, "enrollment.updated", done, changed=["completed_at"], reported_by=SOURCE)
    else:
        await _emit(u, "enrollment.completed", done, reported_by=SOURCE)
    return done


async def complete_course(
    ctx: Ctx, user_id: int, course_id: int, completed_at: datetime | None = None
) -> Enrollment:
    """Mark a course complete for a learner (enrolling them first when needed)."""
    async with ctx.writing() as u:
        _not_future(u, "completion_date", completed_at)
        return await _complete(u, await _enrollment(u, user_id, course_id), completed_at)


async def set_learning_path_status(
    ctx: Ctx,
    user_id: int,
    course_id: int,
    status: str,
    *,
    completed_at: datetime | None = None,
    stamped_at: datetime | None = None,
) -> Enrollment:
    """Set a learner's state in a learning path. completed: as `complete_course`; started:
    enrolled and not complete; not_started: progress reset to nothing; not_completed: the
    completion withdrawn, progress kept."""
    if status not in LEARNING_PATH_STATUSES:
        raise Invalid.one("status", "invalid_choice", value=status, choices=LEARNING_PATH_STATUSES)
    if completed_at is not None and status != "completed":
        raise Invalid.one(
            "completion_date",
            "not_allowed",
            reason="completion date cannot be passed with non-completed status",
        )
    async with ctx.writing() as u:
        course = await CourseRepo(u).get(course_id)
        if course is None or course.course_type != "learning_path":
            raise Invalid.one("learning_path_id", "not_found", resource="learning path")
        _not_future(u, "completion_date", completed_at)
        _not_future(u, "time_stamp_date", stamped_at)
        enrollment = await _enrollment(u, user_id, course_id)
        if status == "completed":
            return await _complete(u, enrollment, completed_at)
        values: dict[str, Any] = {"completed_at": None, "updated_at": u.now}
        if status == "not_started":
            values["percentage_completed"] = 0.0
        elif enrollment.completed:
            values["percentage_completed"] = min(enrollment.percentage_completed, 0.99)
        repo = EnrollmentRepo(u)
        await repo.update(enrollment.id, values)
        updated = await repo.get(enrollment.id)
        assert updated is not None
        await _emit(
            u,
            "enrollment.updated",
            updated,
            changed=sorted(set(values) - {"updated_at"}),
            learning_path_status=status,
            status_at=stamped_at or u.now,
            reported_by=SOURCE,
        )
        return updated


async def record_assignment_activity(
    ctx: Ctx, user_id: int, lesson_id: int, status: str, grade: float | None, feedback: str | None
) -> AssignmentSubmission:
    async with ctx.writing() as u:
        return await set_assignment_outcome(
            u, user_id, lesson_id, status=status, grade=grade, feedback=feedback
        )


async def course_id_by_sku(ctx: Ctx, sku: str) -> int | None:
    async with ctx.reading() as u:
        return await CourseSkuRepo(u).id_by_sku(sku)
