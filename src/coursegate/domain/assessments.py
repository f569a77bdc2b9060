"""Assessments: attempts at quizzes/surveys/exams, and assignment submissions with grades."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Lesson, User
from coursegate.domain.models_ops import (
    ASSESSMENT_TYPES,
    SUBMISSION_STATUSES,
    AssessmentAttempt,
    AssignmentSubmission,
)
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.assessments import (
    AssessmentAttemptRepo,
    AssignmentSubmissionRepo,
    AttemptFilter,
    SubmissionFilter,
)
from coursegate.store.catalog import LessonRepo
from coursegate.store.database import Unit
from coursegate.store.people import UserRepo


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str
    correct: bool
    has_default_grade: bool = False


def attempt_snapshot(a: AssessmentAttempt) -> dict[str, Any]:
    return {
        "id": a.id,
        "uuid": a.uuid,
        "user_id": a.user_id,
        "course_id": a.course_id,
        "lesson_id": a.lesson_id,
        "assessment_type": a.assessment_type,
        "assessment_title": a.assessment_title,
        "score": a.score,
        "passed": a.passed,
        "min_passing_percent": a.min_passing_percent,
        "answer_count": len(a.answers),
        "submitted_at": a.submitted_at,
    }


def submission_snapshot(s: AssignmentSubmission) -> dict[str, Any]:
    return {
        "id": s.id,
        "uuid": s.uuid,
        "user_id": s.user_id,
        "course_id": s.course_id,
        "lesson_id": s.lesson_id,
        "status": s.status,
        "grade": s.grade,
        "submitted_at": s.submitted_at,
        "graded_at": s.graded_at,
    }


async def _learner_and_lesson(
    u: Unit, user_id: int, lesson_id: int, kinds: set[str]
) -> tuple[User, Lesson]:
    problems = Collector()
    user = await UserRepo(u).get(user_id)
    if user is None:
        problems.add("user_id", "not_found", resource="user")
    lesson = await LessonRepo(u).get(lesson_id)
    if lesson is None:
        problems.add("lesson_id", "not_found", resource="lesson")
    elif lesson.kind not in kinds:
        problems.add("lesson_id", "invalid_choice", value=lesson.kind, choices=sorted(kinds))
    problems.raise_if_any()
    assert user is not None and lesson is not None
    return user, lesson


def _percent(problems: Collector, name: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        problems.add(name, "out_of_range", minimum=0, maximum=100)


async def record_assessment_attempt(
    ctx: Ctx,
    user_id: int,
    lesson_id: int,
    answers: list[Answer],
    *,
    score: float | None = None,
    min_passing_percent: float | None = None,
    started_at: datetime | None = None,
) -> AssessmentAttempt:
    """A learner submitted an assessment (a Quiz, Survey or BrilliumExam lesson).

    The score is a percentage; without one it is the share of correct answers. The attempt
    passes when it reaches `min_passing_percent` (always, when the assessment has none)."""
    problems = Collector()
    _percent(problems, "score", score)
    _percent(problems, "min_passing_percent", min_passing_percent)
    problems.raise_if_any()
    if score is None:
        score = round(100.0 * sum(a.correct for a in answers) / len(answers), 2) if answers else 0.0
    async with ctx.writing() as u:
        user, lesson = await _learner_and_lesson(u, user_id, lesson_id, set(ASSESSMENT_TYPES))
        if started_at is not None and started_at > u.now:
            raise Invalid.one("started_at", "invalid", value=started_at.isoformat())
        repo = AssessmentAttemptRepo(u)
        attempt_id = await repo.create(
            {
                "uuid": new_uuid(),
                "user_id": user.id,
                "course_id": lesson.course_id,
                "lesson_id": lesson.id,
                "assessment_type": ASSESSMENT_TYPES[lesson.kind],
                "assessment_title": lesson.title,
                "min_passing_percent": min_passing_percent,
                "answers": [
                    {
                        "id": new_uuid(),
                        "question": a.question,
                        "answer": a.answer,
                        "correct": a.correct,
                        "has_default_grade": a.has_default_grade,
                    }
                    for a in answers
                ],
                "score": score,
                "passed": min_passing_percent is None or score >= min_passing_percent,
                "started_at": started_at or u.now,
                "submitted_at": u.now,
                "created_at": u.now,
            }
        )
        attempt = await repo.get(attempt_id)
        assert attempt is not None and attempt.course is not None
        await record(
            u,
            "quiz.attempted",
            "assessment_attempt",
            attempt.id,
            attempt.uuid,
            attempt_snapshot(attempt),
            user_uuid=user.uuid,
            course_uuid=attempt.course.uuid,
        )
        return attempt


async def scan_attempts(
    ctx: Ctx, f: AttemptFilter, after_id: int | None, limit: int
) -> tuple[list[AssessmentAttempt], int, bool]:
    """Keyset listing in recording order: (attempts, total matching, whether more follow)."""
    async with ctx.reading() as u:
        repo = AssessmentAttemptRepo(u)
        stmt = repo.filtered(f)
        items = await repo.after(stmt, after_id, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


async def page_attempts(
    ctx: Ctx, f: AttemptFilter, offset: int, limit: int
) -> tuple[list[AssessmentAttempt], int, bool]:
    async with ctx.reading() as u:
        repo = AssessmentAttemptRepo(u)
        stmt = repo.filtered(f)
        items = await repo.offset_page(stmt, offset, limit + 1)
        total = await repo.count(stmt)
    return items[:limit], total, len(items) > limit


async def submit_assignment(
    ctx: Ctx,
    user_id: int,
    lesson_id: int,
    *,
    body: str | None = None,
    attachment_url: str | None = None,
) -> AssignmentSubmission:
    """A learner hands in an Assignment lesson (a resubmission replaces the previous one and
    clears its grade)."""
    if not (body or "").strip() and not (attachment_url or "").strip():
        raise Invalid.one("body", "required")
    async with ctx.writing() as u:
        user, lesson = await _learner_and_lesson(u, user_id, lesson_id, {"Assignment"})
        values = {
            "body": body,
            "attachment_url": attachment_url,
            "status": "submitted",
            "grade": None,
            "grade_feedback": None,
            "submitted_at": u.now,
            "graded_at": None,
            "updated_at": u.now,
        }
        return await _save_submission(u, user, lesson, values, "assignment.submitted")


async def set_assignment_outcome(
    u: Unit, user_id: int, lesson_id: int, *, status: str, grade: float | None, feedback: str | None
) -> AssignmentSubmission:
    """Record a completed/incomplete outcome (and grade) for a learner's assignment, inside an
    open transaction; creates the submission when the work was done elsewhere."""
    problems = Collector()
    if status not in SUBMISSION_STATUSES[1:]:
        problems.add("status", "invalid_choice", value=status, choices=SUBMISSION_STATUSES[1:])
    _percent(problems, "grade", grade)
    problems.raise_if_any()
    user, lesson = await _learner_and_lesson(u, user_id, lesson_id, {"Assignment"})
    values = {
        "status": status,
        "grade": grade,
        "grade_feedback": feedback,
        "graded_at": u.now,
        "updated_at": u.now,
    }
    return await _save_submission(u, user, lesson, values, "assignment.graded")


async def _save_submission(
    u: Unit, user: User, lesson: Lesson, values: dict[str, Any], event_type: str
) -> AssignmentSubmission:
    repo = AssignmentSubmissionRepo(u)
    existing = await repo.for_user_lesson(user.id, lesson.id)
    if existing is None:
        submission_id = await repo.create(
            {
                "submitted_at": u.now,
                **values,
                "uuid": new_uuid(),
                "user_id": user.id,
                "course_id": lesson.course_id,
                "lesson_id": lesson.id,
                "created_at": u.now,
            }
        )
    else:
        submission_id = existing
        await repo.update(submission_id, values)
    submission = await repo.get(submission_id)
    if submission is None:
        raise NotFound("assignment_submission", submission_id)
    assert submission.course is not None
    await record(
        u,
        event_type,
        "assignment_submission",
        submission.id,
        submission.uuid,
        submission_snapshot(submission),
        user_uuid=user.uuid,
        course_uuid=submission.course.uuid,
    )
    return submission


async def list_submissions(
    ctx: Ctx, f: SubmissionFilter, offset: int, limit: int, *, with_counts: bool = False
) -> tuple[list[AssignmentSubmission], int, bool, dict[str, int]]:
    """(page, total, whether more follow, counts by status when asked)."""
    async with ctx.reading() as u:
        repo = AssignmentSubmissionRepo(u)
        stmt = repo.filtered(f)
        items = await repo.offset_page(stmt, offset, limit + 1)
        total = await repo.count(stmt)
        counts = await repo.status_counts(stmt) if with_counts else {}
    return items[:limit], total, len(items) > limit, counts


async def lesson_by_uuid(ctx: Ctx, lesson_uuid: str) -> Lesson | None:
    async with ctx.reading() as u:
        return await LessonRepo(u).get_by_uuid(lesson_uuid)
