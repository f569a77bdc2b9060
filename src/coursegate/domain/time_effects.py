"""What the passing of time does: enrollments and certificates expire, drip chapters open.

One sweep per site applies every effect whose instant falls in (mark, now] and moves the mark
to now, so each effect is recorded exactly once whether time passes for real (a periodic
`sweep`) or is advanced on a sandbox's virtual clock (`on_time_advanced`). The mark lives in
the database (`time_sweeps`) and is locked during a sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.learning import record_enrollment_event
from coursegate.domain.lifecycle_snapshots import certificate_snapshot
from coursegate.domain.recording import record
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.lifecycle import ActivityRepo, CertificateRepo, ReleaseRepo, SweepRepo


@dataclass(slots=True)
class SweepReport:
    start: datetime
    end: datetime
    enrollments_expired: list[int] = field(default_factory=list)
    certificates_expired: list[int] = field(default_factory=list)
    chapters_released: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "enrollments_expired": len(self.enrollments_expired),
            "certificates_expired": len(self.certificates_expired),
            "chapters_released": len(self.chapters_released),
        }


async def on_time_advanced(ctx: Ctx, before: datetime, after: datetime) -> SweepReport:
    """The site's clock moved from `before` to `after` (ctx reads the new time): apply what
    fell due. Webhook retries that became due are the delivery worker's to run after this."""
    return await _sweep(ctx, first_mark=before, end=after)


async def sweep(ctx: Ctx) -> SweepReport:
    """Apply what fell due since the last sweep, up to the site's now. The first sweep of a site
    only sets the mark (nothing before it is replayed)."""
    now = ctx.clock.now()
    return await _sweep(ctx, first_mark=now, end=now)


async def _sweep(ctx: Ctx, first_mark: datetime, end: datetime) -> SweepReport:
    async with ctx.writing() as u:
        marks = SweepRepo(u)
        start = await marks.claim(first_mark)
        report = SweepReport(start, end)
        if end <= start:
            return report
        due: list[tuple[datetime, int, Any]] = []
        for enrollment_id in await ActivityRepo(u).expiring_between(start, end):
            enrollment = await EnrollmentRepo(u).get(enrollment_id)
            if enrollment is not None and enrollment.expiry_date is not None:
                due.append((enrollment.expiry_date, 0, enrollment))
        for cert in await CertificateRepo(u).expiring_between(start, end):
            assert cert.expires_at is not None
            due.append((cert.expires_at, 1, cert))
        for chapter in await ReleaseRepo(u).released_between(start, end):
            due.append((chapter.release_at, 2, chapter))
        # Recorded in the order they happened, so the log reads like the time that passed.
        for _instant, kind, item in sorted(due, key=lambda d: (d[0], d[1], d[2].id)):
            await _apply(u, kind, item, report)
        await marks.mark(end)
        return report


async def _apply(u: Unit, kind: int, item: Any, report: SweepReport) -> None:
    if kind == 0:
        await record_enrollment_event(u, "enrollment.expired", item, expired_at=item.expiry_date)
        report.enrollments_expired.append(item.id)
    elif kind == 1:
        await record(
            u,
            "certificate.expired",
            "certificate",
            item.id,
            item.uuid,
            {**certificate_snapshot(item), "expired_at": item.expires_at},
            user_uuid=item.user_uuid,
            course_uuid=item.course_uuid,
        )
        report.certificates_expired.append(item.id)
    else:
        await record(
            u,
            "chapter.released",
            "chapter",
            item.id,
            item.uuid,
            {
                "id": item.id,
                "uuid": item.uuid,
                "title": item.title,
                "course": {"id": item.course_id, "uuid": item.course_uuid},
                "release_at": item.release_at,
            },
            course_uuid=item.course_uuid,
        )
        report.chapters_released.append(item.id)
