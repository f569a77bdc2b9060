"""Queries of the learning lifecycle: completions, quiz attempts, certificates, templates,
drip releases, and the time sweep's mark."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from coursegate.domain.lifecycle_models import (
    Certificate,
    CertificateSettings,
    CertificateTemplate,
    QuizAttempt,
)
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import chapters, courses, lessons
from coursegate.store.tables.events import events
from coursegate.store.tables.learning import enrollments
from coursegate.store.tables.lifecycle import (
    certificate_templates,
    certificates,
    course_certificate_settings,
    lesson_completions,
    quiz_attempts,
    time_sweeps,
)
from coursegate.store.tables.people import users


def _insert_ignoring_conflict(conn: Any, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: a duplicate must not abort the surrounding transaction."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


class CompletionRepo(Repo):
    table = lesson_completions

    async def add(self, values: dict[str, Any]) -> bool:
        """Record a completion; False when the lesson was already completed in the enrollment."""
        stmt = (
            _insert_ignoring_conflict(self.conn, lesson_completions)
            .values(site_id=self.site_id, **values)
            .on_conflict_do_nothing(index_elements=["enrollment_id", "lesson_id"])
            .returning(lesson_completions.c.id)
        )
        return (await self.conn.execute(stmt)).first() is not None

    async def count_for(self, enrollment_id: int) -> int:
        """Completed lessons that still belong to the enrollment's course."""
        stmt = (
            select(func.count())
            .select_from(
                lesson_completions.join(lessons, lessons.c.id == lesson_completions.c.lesson_id)
            )
            .where(
                lesson_completions.c.site_id == self.site_id,
                lesson_completions.c.enrollment_id == enrollment_id,
            )
        )
        return int((await self.conn.execute(stmt)).scalar_one())

    async def lesson_ids_for(self, enrollment_id: int) -> list[int]:
        stmt = self.scoped(lesson_completions.c.lesson_id).where(
            lesson_completions.c.enrollment_id == enrollment_id
        )
        return [
            int(r.lesson_id)
            for r in await self.conn.execute(stmt.order_by(lesson_completions.c.id))
        ]


class ActivityRepo(Repo):
    """Enrollment columns the lifecycle owns (first activity) and time-driven enrollment queries."""

    table = enrollments

    async def lock(self, user_id: int, course_id: int) -> None:
        """Hold the user's enrollment in the course until the transaction ends (PostgreSQL), so
        concurrent steps of one learner count each other's completions."""
        e = enrollments.c
        stmt = self.scoped(e.id).where(e.user_id == user_id, e.course_id == course_id)
        await self.conn.execute(stmt.with_for_update())

    async def mark_first_activity(self, enrollment_id: int, now: datetime) -> bool:
        """Stamp the first activity; True only for the call that stamped it."""
        result = await self.conn.execute(
            update(enrollments)
            .where(
                enrollments.c.site_id == self.site_id,
                enrollments.c.id == enrollment_id,
                enrollments.c.first_activity_at.is_(None),
            )
            .values(first_activity_at=now)
        )
        return bool(result.rowcount)

    async def expiring_between(self, start: datetime, end: datetime) -> list[int]:
        """Enrollments whose expiry falls in (start, end] and was still ahead when last set
        (an expiry set to "now" is an administrator's revocation, reported as such)."""
        e = enrollments.c
        stmt = self.scoped(e.id).where(
            e.expiry_date.is_not(None),
            e.expiry_date > start,
            e.expiry_date <= end,
            e.updated_at < e.expiry_date,
        )
        return [int(r.id) for r in await self.conn.execute(stmt.order_by(e.expiry_date, e.id))]


class QuizAttemptRepo(Repo):
    table = quiz_attempts

    async def create(self, values: dict[str, Any]) -> QuizAttempt:
        attempt_id = await self.insert_row(values)
        return QuizAttempt.from_row(await self.first(quiz_attempts.c.id == attempt_id))


class ReleaseRepo(Repo):
    """Drip schedules: when a chapter's lessons open."""

    table = chapters

    async def set_release(self, chapter_id: int, release_at: datetime | None) -> None:
        await self.update_row(chapter_id, {"release_at": release_at})

    async def released_between(self, start: datetime, end: datetime) -> list[Any]:
        c = chapters.c
        stmt = (
            select(
                c.id,
                c.uuid,
                c.title,
                c.course_id,
                c.release_at,
                courses.c.uuid.label("course_uuid"),
            )
            .join(courses, courses.c.id == c.course_id)
            .where(c.site_id == self.site_id, c.release_at > start, c.release_at <= end)
            .order_by(c.release_at, c.id)
        )
        return list((await self.conn.execute(stmt)).all())


class TemplateRepo(Repo):
    table = certificate_templates

    def _joined(self) -> Select[Any]:
        t = certificate_templates.c
        return (
            select(certificate_templates, courses.c.uuid.label("course_uuid"))
            .outerjoin(courses, courses.c.id == t.course_id)
            .where(t.site_id == self.site_id)
        )

    async def get(self, template_id: int) -> CertificateTemplate | None:
        row = (
            await self.conn.execute(self._joined().where(certificate_templates.c.id == template_id))
        ).first()
        return _template(row) if row is not None else None

    async def get_by_uuid(self, template_uuid: str) -> CertificateTemplate | None:
        stmt = self._joined().where(certificate_templates.c.uuid == template_uuid)
        row = (await self.conn.execute(stmt)).first()
        return _template(row) if row is not None else None

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, template_id: int, values: dict[str, Any]) -> None:
        await self.update_row(template_id, values)


class SettingsRepo(Repo):
    table = course_certificate_settings

    async def get(self, course_id: int) -> CertificateSettings:
        row = await self.first(course_certificate_settings.c.course_id == course_id)
        if row is None:
            return CertificateSettings(course_id)
        return CertificateSettings(course_id, row.enabled, row.valid_days, row.template_id)

    async def put(self, settings: CertificateSettings, now: datetime) -> None:
        values = {
            "enabled": settings.enabled,
            "valid_days": settings.valid_days,
            "template_id": settings.template_id,
            "updated_at": now,
        }
        row = await self.first(course_certificate_settings.c.course_id == settings.course_id)
        if row is None:
            await self.insert_row({"course_id": settings.course_id, **values})
        else:
            await self.update_row(row.id, values)


class CertificateRepo(Repo):
    table = certificates

    def _joined(self) -> Select[Any]:
        c = certificates.c
        return (
            select(
                certificates,
                users.c.uuid.label("user_uuid"),
                courses.c.uuid.label("course_uuid"),
                courses.c.title.label("course_title"),
            )
            .join(users, users.c.id == c.user_id)
            .join(courses, courses.c.id == c.course_id)
            # A deleted user's certificates are deleted with them (reference §9.5).
            .where(c.site_id == self.site_id, users.c.deleted_at.is_(None))
        )

    async def _many(self, stmt: Select[Any]) -> list[Certificate]:
        found = [_certificate(r) for r in await self.conn.execute(stmt)]
        templates = TemplateRepo(self.unit)
        for cert in found:
            if cert.template_id is not None:
                cert.template = await templates.get(cert.template_id)
        return found

    async def get(self, certificate_id: int) -> Certificate | None:
        found = await self._many(self._joined().where(certificates.c.id == certificate_id))
        return found[0] if found else None

    async def current_for(self, user_id: int, course_id: int) -> Certificate | None:
        """The user's newest certificate for the course that no recertification replaced."""
        c = certificates.c
        stmt = (
            self._joined()
            .where(c.user_id == user_id, c.course_id == course_id, c.replaced_at.is_(None))
            .order_by(c.issued_at.desc(), c.id.desc())
            .limit(1)
        )
        found = await self._many(stmt)
        return found[0] if found else None

    async def current_of_user(self, user_id: int) -> list[Certificate]:
        c = certificates.c
        stmt = self._joined().where(c.user_id == user_id, c.replaced_at.is_(None))
        return await self._many(stmt.order_by(c.issued_at, c.id))

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def replace(self, certificate_id: int, by_id: int, now: datetime) -> None:
        await self.update_row(certificate_id, {"replaced_at": now, "replaced_by_id": by_id})

    async def expiring_between(self, start: datetime, end: datetime) -> list[Certificate]:
        c = certificates.c
        stmt = self._joined().where(
            c.replaced_at.is_(None),
            c.expires_at.is_not(None),
            c.expires_at > start,
            c.expires_at <= end,
        )
        return await self._many(stmt.order_by(c.expires_at, c.id))


class SweepRepo(Repo):
    table = time_sweeps

    async def claim(self, default: datetime) -> datetime:
        """The site's mark (created at `default` the first time), locked for this transaction
        where the database can (PostgreSQL), so two sweeps never report one expiry twice."""
        await self.conn.execute(
            _insert_ignoring_conflict(self.conn, time_sweeps)
            .values(site_id=self.site_id, swept_until=default)
            .on_conflict_do_nothing(index_elements=["site_id"])
        )
        stmt = self.scoped(time_sweeps.c.swept_until).with_for_update()
        return (await self.conn.execute(stmt)).scalar_one()

    async def mark(self, until: datetime) -> None:
        await self.conn.execute(
            update(time_sweeps)
            .where(time_sweeps.c.site_id == self.site_id)
            .values(swept_until=until)
        )


def _template(row: Any) -> CertificateTemplate:
    template = CertificateTemplate.from_row(row)
    template.course_uuid = row.course_uuid
    return template


def _certificate(row: Any) -> Certificate:
    cert = Certificate.from_row(row)
    cert.user_uuid = row.user_uuid
    cert.course_uuid = row.course_uuid
    cert.course_title = row.course_title
    return cert


class EventLogReader(Repo):
    """The site's event log, read in order (what a sandbox user inspects after simulating)."""

    table = events

    async def after(self, seq: int, limit: int, types: list[str] | None = None) -> list[Any]:
        stmt = self.scoped().where(events.c.seq > seq)
        if types:
            stmt = stmt.where(events.c.type.in_(types))
        result = await self.conn.execute(stmt.order_by(events.c.seq).limit(limit))
        return list(result.all())
