"""Resetting one learner's progress in one course (privacy requests, retakes)."""

from __future__ import annotations

from coursegate.domain.catalog import resolve_course
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.people import resolve_user
from coursegate.domain.recording import record
from coursegate.domain.snapshots import enrollment_snapshot
from coursegate.store.learning import EnrollmentRepo


async def reset_progress(
    ctx: Ctx,
    user_key: str,
    course_slug: str,
    *,
    reset: bool,
    revoke: bool,
    erase_transcript: bool,
    confirm_user_uuid: str | None = None,
) -> None:
    """`reset` zeroes progress; `erase_transcript` also forgets the completion; `revoke` ends
    access now. All in one transaction, each change with its event."""
    async with ctx.writing() as u:
        user = await resolve_user(u, user_key)
        if user is None:
            raise NotFound("user", user_key)
        if confirm_user_uuid is not None and confirm_user_uuid != user.uuid:
            raise Invalid.one("user_id", "invalid", value=confirm_user_uuid)
        course = await resolve_course(u, course_slug)
        if course is None or course.slug != course_slug:
            raise NotFound("course", course_slug)
        repo = EnrollmentRepo(u)
        enrollment = await repo.for_user_course(user.id, course.id)
        if enrollment is None:
            raise NotFound("enrollment", course_slug)
        changes: dict[str, object] = {}
        if reset:
            changes.update(percentage_completed=0.0, started_at=u.now)
        if erase_transcript:
            changes["completed_at"] = None
        revoked = revoke and not enrollment.expired_at(u.now)
        if revoked:
            changes["expiry_date"] = u.now
        if not changes:
            return
        await repo.update(enrollment.id, {**changes, "updated_at": u.now})
        after = await repo.get(enrollment.id)
        assert after is not None
        snapshot = enrollment_snapshot(after)
        ids = {"user_uuid": user.uuid, "course_uuid": course.uuid}
        if reset or erase_transcript:
            payload = {**snapshot, "progress_reset": reset, "transcript_erased": erase_transcript}
            await record(
                u, "enrollment.progress_reset", "enrollment", after.id, after.uuid, payload, **ids
            )
        if revoked:
            await record(
                u, "enrollment.revoked", "enrollment", after.id, after.uuid, snapshot, **ids
            )
