"""Assessment attempts and assignment submissions, with their learner, course and lesson."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select

from coursegate.domain.models import Course, Lesson, User
from coursegate.domain.models_ops import (
    AssessmentAttempt,
    AssignmentSubmission,
    AttemptFilter,
    SubmissionFilter,
)
from coursegate.store.base import Repo
from coursegate.store.tables.assessments import assessment_attempts, assignment_submissions
from coursegate.store.tables.catalog import courses, lessons
from coursegate.store.tables.panorama import license_assignments, licenses
from coursegate.store.tables.people import users
from coursegate.store.text_match import contains, pattern_for

_USER_COLS = [c.label(f"u_{c.name}") for c in users.columns]
_COURSE_COLS = [c.label(f"c_{c.name}") for c in courses.columns]
_LESSON_COLS = [c.label(f"l_{c.name}") for c in lessons.columns]


def _prefixed(mapping: Any, prefix: str) -> dict[str, Any]:
    size = len(prefix)
    return {k[size:]: v for k, v in mapping.items() if k.startswith(prefix)}


class AssessmentAttemptRepo(Repo):
    table = assessment_attempts

    def joined(self) -> Select[Any]:
        """Attempts of live users (a deleted user's record goes with them, as enrollments do)."""
        a = assessment_attempts
        return (
            select(a, *_USER_COLS, *_COURSE_COLS, lessons.c.uuid.label("lesson_uuid"))
            .join(users, users.c.id == a.c.user_id)
            .join(courses, courses.c.id == a.c.course_id)
            .join(lessons, lessons.c.id == a.c.lesson_id)
            .where(a.c.site_id == self.site_id, users.c.deleted_at.is_(None))
        )

    def filtered(self, f: AttemptFilter) -> Select[Any]:
        a = assessment_attempts.c
        stmt = self.joined()
        if f.user_id is not None:
            stmt = stmt.where(a.user_id == f.user_id)
        if f.course_id is not None:
            stmt = stmt.where(a.course_id == f.course_id)
        if f.since is not None:
            stmt = stmt.where(a.submitted_at >= f.since)
        if f.until is not None:
            stmt = stmt.where(a.submitted_at <= f.until)
        return stmt

    async def get(self, attempt_id: int) -> AssessmentAttempt | None:
        stmt = self.joined().where(assessment_attempts.c.id == attempt_id)
        row = (await self.conn.execute(stmt)).first()
        return _attempt(row) if row is not None else None

    async def after(
        self, stmt: Select[Any], after_id: int | None, limit: int
    ) -> list[AssessmentAttempt]:
        """Keyset page in recording order."""
        if after_id is not None:
            stmt = stmt.where(assessment_attempts.c.id > after_id)
        rows = await self.conn.execute(stmt.order_by(assessment_attempts.c.id).limit(limit))
        return [_attempt(r) for r in rows]

    async def offset_page(
        self, stmt: Select[Any], offset: int, limit: int
    ) -> list[AssessmentAttempt]:
        return [
            _attempt(r) for r in await self.page(stmt, [assessment_attempts.c.id], offset, limit)
        ]

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)


def _attempt(row: Any) -> AssessmentAttempt:
    m = row._mapping
    attempt = AssessmentAttempt.from_row(m)
    attempt.user = User.from_row(_prefixed(m, "u_"))
    attempt.course = Course.from_row(_prefixed(m, "c_"))
    attempt.lesson_uuid = m["lesson_uuid"]
    return attempt


class AssignmentSubmissionRepo(Repo):
    table = assignment_submissions

    def joined(self) -> Select[Any]:
        s = assignment_submissions
        return (
            select(s, *_USER_COLS, *_COURSE_COLS, *_LESSON_COLS)
            .join(users, users.c.id == s.c.user_id)
            .join(courses, courses.c.id == s.c.course_id)
            .join(lessons, lessons.c.id == s.c.lesson_id)
            .where(s.c.site_id == self.site_id, users.c.deleted_at.is_(None))
        )

    def filtered(self, f: SubmissionFilter) -> Select[Any]:
        stmt = self.joined()
        if f.text:
            pattern = pattern_for(f.text)
            stmt = stmt.where(
                or_(
                    *(
                        contains(col, pattern)
                        for col in (
                            lessons.c.title,
                            courses.c.title,
                            users.c.email,
                            users.c.first_name,
                            users.c.last_name,
                        )
                    )
                )
            )
        if f.client_id is not None:
            # Learners holding any license of the client.
            holders = (
                select(license_assignments.c.user_id)
                .join(licenses, licenses.c.id == license_assignments.c.license_id)
                .where(licenses.c.site_id == self.site_id, licenses.c.client_id == f.client_id)
            )
            stmt = stmt.where(assignment_submissions.c.user_id.in_(holders))
        return stmt

    async def offset_page(
        self, stmt: Select[Any], offset: int, limit: int
    ) -> list[AssignmentSubmission]:
        rows = await self.page(stmt, [assignment_submissions.c.id], offset, limit)
        return [_submission(r) for r in rows]

    async def status_counts(self, stmt: Select[Any]) -> dict[str, int]:
        inner = stmt.order_by(None).subquery()
        rows = await self.conn.execute(
            select(inner.c.status, func.count()).group_by(inner.c.status)
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def get(self, submission_id: int) -> AssignmentSubmission | None:
        stmt = self.joined().where(assignment_submissions.c.id == submission_id)
        row = (await self.conn.execute(stmt)).first()
        return _submission(row) if row is not None else None

    async def for_user_lesson(self, user_id: int, lesson_id: int) -> int | None:
        stmt = self.scoped(assignment_submissions.c.id).where(
            assignment_submissions.c.user_id == user_id,
            assignment_submissions.c.lesson_id == lesson_id,
        )
        found = (await self.conn.execute(stmt)).scalar()
        return int(found) if found is not None else None

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, submission_id: int, values: dict[str, Any]) -> None:
        await self.update_row(submission_id, values)


def _submission(row: Any) -> AssignmentSubmission:
    m = row._mapping
    submission = AssignmentSubmission.from_row(m)
    submission.user = User.from_row(_prefixed(m, "u_"))
    submission.course = Course.from_row(_prefixed(m, "c_"))
    lesson = Lesson.from_row(_prefixed(m, "l_"))
    submission.lesson = lesson
    return submission
