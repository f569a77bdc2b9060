"""Granting paid access to a course (purchases, redemption codes): a new full enrollment, or
an existing trial or lapsed enrollment turned into full access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursegate.domain.learning import enroll
from coursegate.domain.models import Enrollment
from coursegate.domain.recording import record
from coursegate.domain.snapshots import enrollment_snapshot
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo


@dataclass(frozen=True, slots=True)
class Grant:
    enrollment: Enrollment
    created: bool


def has_full_access(enrollment: Enrollment | None, now: datetime) -> bool:
    return (
        enrollment is not None and not enrollment.is_free_trial and not enrollment.expired_at(now)
    )


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    """The later of two expiries, where None means never."""
    if a is None or b is None:
        return None
    return max(a, b)


async def grant_course(
    u: Unit, user_id: int, course_id: int, expiry_date: datetime | None, source: str
) -> Grant:
    repo = EnrollmentRepo(u)
    existing = await repo.for_user_course(user_id, course_id)
    if existing is None:
        created = await enroll(
            u, user_id, course_id, activated_at=u.now, expiry_date=expiry_date, source=source
        )
        return Grant(created, True)
    # Keep the longer of the current and the new access when the current one is still live.
    live = has_full_access(existing, u.now)
    expiry = _later(existing.expiry_date, expiry_date) if live else expiry_date
    activated = existing.activated_at if live else u.now
    await repo.update(
        existing.id, {"activated_at": activated, "expiry_date": expiry, "updated_at": u.now}
    )
    enrollment = await repo.get(existing.id)
    assert enrollment is not None and enrollment.user is not None and enrollment.course is not None
    for event_type in ("enrollment.updated", *(() if live else ("enrollment.activated",))):
        await record(
            u,
            event_type,
            "enrollment",
            enrollment.id,
            enrollment.uuid,
            {
                **enrollment_snapshot(enrollment),
                "changed": ["activated_at", "expiry_date"],
                "source": source,
            },
            user_uuid=enrollment.user.uuid,
            course_uuid=enrollment.course.uuid,
        )
    return Grant(enrollment, False)
