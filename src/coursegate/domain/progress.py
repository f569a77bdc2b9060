"""A learner's way through a course: viewing it, completing lessons, attempting quizzes.

Progress is completed lessons / all lessons of the course, each lesson weighted equally;
lessons of chapters not yet released (drip) count in the total. The first activity of an
enrollment records `enrollment.started`; reaching 100 % completes the enrollment and issues the
course certificate when the course gives one.
"""

from __future__ import annotations

from datetime import datetime

from coursegate.domain import certificates
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Forbidden, Invalid, NotFound
from coursegate.domain.learning import record_enrollment_event
from coursegate.domain.lifecycle_models import Progress
from coursegate.domain.lifecycle_snapshots import (
    course_ref,
    lesson_completed_snapshot,
    person,
    quiz_attempt_snapshot,
)
from coursegate.domain.models import Chapter, Enrollment, Lesson, User
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.catalog import ChapterRepo, CourseRepo, LessonRepo
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.lifecycle import ActivityRepo, CompletionRepo, QuizAttemptRepo, ReleaseRepo
from coursegate.store.people import UserRepo

QUIZ_KIND = "Quiz"
# A course is complete when every one of its lessons is: the one completion rule coursegate has.
COMPLETION_PERCENT = 100
SCORE_MIN, SCORE_MAX = 0.0, 100.0


async def _user(u: Unit, user_id: int | None) -> User:
    if user_id is None:
        raise Invalid.one("user_id", "required")
    user = await UserRepo(u).get(user_id)
    if user is None:
        raise Invalid.one("user_id", "not_found", resource="user", value=user_id)
    return user


async def _lesson(u: Unit, lesson_id: int) -> tuple[Lesson, Chapter]:
    lesson = await LessonRepo(u).get(lesson_id)
    if lesson is None:
        raise NotFound("lesson", lesson_id)
    chapter = await ChapterRepo(u).get(lesson.chapter_id)
    assert chapter is not None
    return lesson, chapter


async def _enrollment_with_access(
    u: Unit, user: User, lesson: Lesson, chapter: Chapter
) -> Enrollment:
    """The enrollment that opens this lesson to the user, or why there is none."""
    await ActivityRepo(u).lock(user.id, lesson.course_id)
    enrollment = await EnrollmentRepo(u).for_user_course(user.id, lesson.course_id)
    if enrollment is None:
        raise Forbidden("The user is not enrolled in this lesson's course.")
    if enrollment.expired_at(u.now):
        raise Forbidden("The user's enrollment in this course has expired.")
    trial = enrollment.activated_at is None or enrollment.activated_at > u.now
    if trial and not lesson.free_preview:
        raise Forbidden("A free-trial enrollment opens free-preview lessons only.")
    if chapter.release_at is not None and chapter.release_at > u.now:
        raise Forbidden(f"This lesson's chapter is released at {chapter.release_at.isoformat()}.")
    return enrollment


async def _active(u: Unit, user: User) -> None:
    """Learner steps are activity: the user's `last_active_at` moves with them."""
    await UserRepo(u).update(user.id, {"last_active_at": u.now})


async def _start(u: Unit, enrollment: Enrollment, progress: Progress) -> None:
    if await ActivityRepo(u).mark_first_activity(enrollment.id, u.now):
        await record_enrollment_event(u, "enrollment.started", enrollment, first_activity_at=u.now)
        progress.events.append("enrollment.started")


async def _complete(
    u: Unit, user: User, lesson: Lesson, chapter: Chapter, progress: Progress
) -> None:
    """Mark the lesson done (once per enrollment) and bring the enrollment up to date."""
    enrollment = progress.enrollment
    added = await CompletionRepo(u).add(
        {
            "enrollment_id": enrollment.id,
            "lesson_id": lesson.id,
            "user_id": user.id,
            "course_id": lesson.course_id,
            "completed_at": u.now,
        }
    )
    if not added:
        return
    progress.newly_completed = True
    await _active(u, user)
    await record(
        u,
        "lesson.completed",
        "lesson",
        lesson.id,
        lesson.uuid,
        lesson_completed_snapshot(lesson, chapter, enrollment, u.now),
        user_uuid=user.uuid,
        course_uuid=enrollment.course.uuid if enrollment.course else None,
    )
    progress.events.append("lesson.completed")

    total = await LessonRepo(u).count_in_course(lesson.course_id)
    done = await CompletionRepo(u).count_for(enrollment.id)
    percentage = min(1.0, done / total) if total else 0.0
    completing = percentage >= 1.0 and enrollment.completed_at is None
    values: dict[str, object] = {"percentage_completed": percentage, "updated_at": u.now}
    if completing:
        values["completed_at"] = u.now
    repo = EnrollmentRepo(u)
    await repo.update(enrollment.id, values)
    updated = await repo.get(enrollment.id)
    assert updated is not None and updated.course is not None
    progress.enrollment = updated
    await record_enrollment_event(
        u,
        "enrollment.progressed",
        updated,
        lesson_id=lesson.id,
        previous_percentage_completed=progress.previous_percentage,
    )
    progress.events.append("enrollment.progressed")
    if completing:
        await record_enrollment_event(u, "enrollment.completed", updated)
        progress.events.append("enrollment.completed")
        cert = await certificates.issue_on_completion(u, user, updated.course)
        if cert is not None:
            progress.certificate = cert
            progress.events.append("certificate.issued")


async def complete_lesson(ctx: Ctx, user_id: int | None, lesson_id: int) -> Progress:
    """The user completes a lesson of a course they may open. Completing it again changes
    nothing and records nothing."""
    async with ctx.writing() as u:
        lesson, chapter = await _lesson(u, lesson_id)
        user = await _user(u, user_id)
        enrollment = await _enrollment_with_access(u, user, lesson, chapter)
        progress = Progress(
            enrollment, lesson.id, previous_percentage=enrollment.percentage_completed
        )
        await _start(u, enrollment, progress)
        await _complete(u, user, lesson, chapter, progress)
        return progress


async def attempt_quiz(
    ctx: Ctx, user_id: int | None, lesson_id: int, score: float | None, passed: bool | None
) -> Progress:
    """Record a quiz attempt; a passed attempt completes the quiz lesson."""
    problems = Collector()
    if score is None:
        problems.add("score", "required")
    elif not SCORE_MIN <= score <= SCORE_MAX:
        problems.add("score", "out_of_range", minimum=SCORE_MIN, maximum=SCORE_MAX)
    if passed is None:
        problems.add("passed", "required")
    problems.raise_if_any()
    assert score is not None and passed is not None
    async with ctx.writing() as u:
        lesson, chapter = await _lesson(u, lesson_id)
        if lesson.kind != QUIZ_KIND:
            raise NotFound("quiz", lesson_id)
        user = await _user(u, user_id)
        enrollment = await _enrollment_with_access(u, user, lesson, chapter)
        progress = Progress(
            enrollment, lesson.id, previous_percentage=enrollment.percentage_completed
        )
        await _active(u, user)
        await _start(u, enrollment, progress)
        attempt = await QuizAttemptRepo(u).create(
            {
                "uuid": new_uuid(),
                "user_id": user.id,
                "lesson_id": lesson.id,
                "enrollment_id": enrollment.id,
                "score": float(score),
                "passed": passed,
                "attempted_at": u.now,
            }
        )
        progress.quiz_attempt = attempt
        await record(
            u,
            "quiz.attempted",
            "quiz_attempt",
            attempt.id,
            attempt.uuid,
            quiz_attempt_snapshot(attempt, lesson, enrollment),
            user_uuid=user.uuid,
            course_uuid=enrollment.course.uuid if enrollment.course else None,
        )
        progress.events.append("quiz.attempted")
        if passed:
            await _complete(u, user, lesson, chapter, progress)
        return progress


async def view_course(ctx: Ctx, user_id: int | None, course_id: int) -> Progress | None:
    """The user views a course page. Enrollment is not required (a landing page may be viewed);
    for an enrolled learner with access the view is activity and may start the enrollment."""
    async with ctx.writing() as u:
        course = await CourseRepo(u).get(course_id)
        if course is None:
            raise NotFound("course", course_id)
        user = await _user(u, user_id)
        await _active(u, user)
        enrollment = await EnrollmentRepo(u).for_user_course(user.id, course.id)
        progress = None
        if enrollment is not None and not enrollment.expired_at(u.now):
            progress = Progress(enrollment, previous_percentage=enrollment.percentage_completed)
            await _start(u, enrollment, progress)
        await record(
            u,
            "course.viewed",
            "course",
            course.id,
            course.uuid,
            {
                "course": course_ref(course),
                "user": person(user),
                "enrollment": None
                if enrollment is None
                else {"id": enrollment.id, "uuid": enrollment.uuid},
                "viewed_at": u.now,
            },
            user_uuid=user.uuid,
            course_uuid=course.uuid,
        )
        if progress is not None:
            progress.events.append("course.viewed")
        return progress


async def schedule_release(ctx: Ctx, chapter_id: int, release_at: datetime | None) -> Chapter:
    """Drip: the chapter's lessons open at `release_at` (None opens them now)."""
    async with ctx.writing() as u:
        chapter = await ChapterRepo(u).get(chapter_id)
        if chapter is None:
            raise NotFound("chapter", chapter_id)
        await ReleaseRepo(u).set_release(chapter.id, release_at)
        course = await CourseRepo(u).get(chapter.course_id)
        assert course is not None
        await record(
            u,
            "chapter.release_scheduled",
            "chapter",
            chapter.id,
            chapter.uuid,
            {
                "id": chapter.id,
                "uuid": chapter.uuid,
                "title": chapter.title,
                "course": course_ref(course),
                "release_at": release_at,
            },
            course_uuid=course.uuid,
        )
        chapter.release_at = release_at
        return chapter
