"""A course's structure: chapters (sections), lessons, the topics inside lessons, and the
criteria that complete the course. Chapters and lessons are the catalogue's own rows, so
whatever is added here is what every dialect lists."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from coursegate.domain import catalog
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Chapter, Course, Lesson, Page
from coursegate.domain.recording import record
from coursegate.domain.structure_models import CRITERIA_TYPES, TOPIC_TYPES, Criterion, Topic
from coursegate.platform.ids import is_int_id, is_uuid, new_uuid
from coursegate.store.catalog import ChapterRepo, CourseRepo, LessonRepo
from coursegate.store.database import Unit
from coursegate.store.structure import CriterionRepo, TopicRepo

ALL = 10_000  # structure reads return a whole course; courses are far smaller than this
TITLE_MAX = 255
TOPIC_FLAGS = (
    "navigation_disabled",
    "instructor_assessment",
    "question_skip_enabled",
    "is_proctored",
    "allow_to_resume",
    "editable_by_children",
)
TOPIC_TEXTS = (
    "pre_text_block",
    "post_text_block",
    "results_message",
    "pass_message",
    "fail_message",
    "asset_type",
)
PERCENT_CRITERIA = ("coursePercentViewed", "articlePercentViewed", "videoPercentViewed")
TARGET_CRITERIA = ("courseTopicViewed", "courseAssessmentPassed")


@dataclass(slots=True)
class LessonView:
    """A lesson with what the structure listings show beside it."""

    lesson: Lesson
    chapter: Chapter
    course: Course
    topics: list[Topic] = field(default_factory=list)
    topic_count: int = 0


@dataclass(slots=True)
class Outline:
    course: Course
    chapters: list[Chapter]
    lessons_by_chapter: dict[int, list[LessonView]]
    criteria: list[Criterion]


def default_criterion(course: Course) -> Criterion:
    """Without stored criteria a course completes when all of it was viewed. Its id is derived
    from the course's, so it is stable across reads."""
    stable = str(uuidlib.uuid5(uuidlib.UUID(course.uuid), "coursePercentViewed"))
    return Criterion(
        id=0,
        uuid=stable,
        course_id=course.id,
        criteria_type="coursePercentViewed",
        position=1,
        description="View 100% of the course",
        percent=100,
        seconds=None,
        target_uuid=None,
    )


async def _course(u: Unit, key: str | int) -> Course:
    course = await catalog.resolve_course(u, key)
    if course is None:
        raise NotFound("course", key)
    return course


async def _chapter(u: Unit, key: str | int) -> Chapter:
    repo = ChapterRepo(u)
    text = str(key)
    chapter = None
    if is_int_id(text):
        chapter = await repo.get(int(text))
    elif is_uuid(text):
        chapter = await repo.get_by_uuid(text)
    if chapter is None:
        raise NotFound("section", key)
    return chapter


async def _lesson(u: Unit, key: str | int) -> Lesson:
    repo = LessonRepo(u)
    text = str(key)
    lesson = None
    if is_int_id(text):
        lesson = await repo.get(int(text))
    elif is_uuid(text):
        lesson = await repo.get_by_uuid(text)
    if lesson is None:
        raise NotFound("lesson", key)
    return lesson


async def _criteria(u: Unit, course: Course) -> list[Criterion]:
    return await CriterionRepo(u).of_course(course.id) or [default_criterion(course)]


async def _views(
    u: Unit, course: Course, found: list[Lesson], with_topics: bool
) -> list[LessonView]:
    chapters = {
        c.id: c for c in await ChapterRepo(u).list_page(ChapterRepo(u).of_course(course.id), 0, ALL)
    }
    ids = [lesson.id for lesson in found]
    topics = await TopicRepo(u).of_lessons(ids) if with_topics else {}
    counts = await TopicRepo(u).counts(ids)
    return [
        LessonView(x, chapters[x.chapter_id], course, topics.get(x.id, []), counts.get(x.id, 0))
        for x in found
    ]


async def outline(ctx: Ctx, course_key: str | int) -> Outline:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        chapters = await ChapterRepo(u).list_page(ChapterRepo(u).of_course(course.id), 0, ALL)
        lessons = await LessonRepo(u).list_page(LessonRepo(u).of_course(course.id), 0, ALL)
        views = await _views(u, course, lessons, with_topics=True)
        by_chapter: dict[int, list[LessonView]] = {c.id: [] for c in chapters}
        for view in views:
            by_chapter[view.chapter.id].append(view)
        return Outline(course, chapters, by_chapter, await _criteria(u, course))


async def sections(
    ctx: Ctx, course_key: str | int, offset: int, limit: int
) -> tuple[Course, Page[Chapter]]:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        repo = ChapterRepo(u)
        stmt = repo.of_course(course.id)
        return course, Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def course_lessons(
    ctx: Ctx, course_key: str | int, offset: int, limit: int
) -> Page[LessonView]:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        repo = LessonRepo(u)
        stmt = repo.of_course(course.id)
        found = await repo.list_page(stmt, offset, limit)
        return Page(await _views(u, course, found, with_topics=False), await repo.count(stmt))


async def section_lessons(
    ctx: Ctx, section_key: str | int, offset: int, limit: int
) -> Page[LessonView]:
    async with ctx.reading() as u:
        chapter = await _chapter(u, section_key)
        course = await _course(u, chapter.course_id)
        repo = LessonRepo(u)
        stmt = repo.of_chapter(chapter.id)
        found = await repo.list_page(stmt, offset, limit)
        return Page(await _views(u, course, found, with_topics=False), await repo.count(stmt))


async def lesson_view(ctx: Ctx, lesson_key: str | int) -> LessonView:
    async with ctx.reading() as u:
        lesson = await _lesson(u, lesson_key)
        course = await _course(u, lesson.course_id)
        return (await _views(u, course, [lesson], with_topics=True))[0]


async def lesson_topics(ctx: Ctx, lesson_key: str | int, offset: int, limit: int) -> Page[Topic]:
    async with ctx.reading() as u:
        lesson = await _lesson(u, lesson_key)
        repo = TopicRepo(u)
        stmt = repo.of_lesson(lesson.id)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def course_topics(ctx: Ctx, course_key: str | int, offset: int, limit: int) -> Page[Topic]:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        repo = TopicRepo(u)
        stmt = repo.of_course(course.id)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def get_topic(ctx: Ctx, key: str) -> Topic:
    async with ctx.reading() as u:
        topic = await TopicRepo(u).get_by_uuid(key) if is_uuid(key) else None
    if topic is None:
        raise NotFound("topic", key)
    return topic


async def criteria(ctx: Ctx, course_key: str | int) -> tuple[Course, list[Criterion]]:
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        return course, await _criteria(u, course)


# ---- writes -------------------------------------------------------------------------------


async def add_section(
    ctx: Ctx, course_key: str | int, title: str | None, description: str | None = None
) -> Chapter:
    _title_ok(title)
    async with ctx.reading() as u:
        course = await _course(u, course_key)
    assert title is not None
    cleaned = None if description is None else catalog.sanitize_html(description)
    return await catalog.add_chapter(ctx, course.id, title, cleaned)


async def add_lesson(
    ctx: Ctx, section_key: str | int, title: str | None, open_to_all: bool = False
) -> Lesson:
    _title_ok(title)
    async with ctx.reading() as u:
        chapter = await _chapter(u, section_key)
    assert title is not None
    return await catalog.add_lesson(ctx, chapter.id, title, free_preview=open_to_all)


def _title_ok(title: str | None) -> None:
    if title is None or not title.strip():
        raise Invalid.one("title", "required")
    if len(title) > TITLE_MAX:
        raise Invalid.one("title", "too_long", count=TITLE_MAX)


async def add_topic(ctx: Ctx, lesson_key: str | int, data: dict[str, Any]) -> Topic:
    """`data` in platform words: title, topic_type, quiz_question_ids, the text blocks and flags."""
    problems = Collector()
    title = data.get("title")
    if title is None or not str(title).strip():
        problems.add("title", "required")
    elif len(title) > TITLE_MAX:
        problems.add("title", "too_long", count=TITLE_MAX)
    topic_type = data.get("topic_type")
    if topic_type is None:
        problems.add("topic_type", "required")
    elif topic_type not in TOPIC_TYPES:
        problems.add("topic_type", "invalid_choice", value=topic_type, choices=TOPIC_TYPES)
    questions = data.get("quiz_question_ids") or []
    if any(not is_uuid(q) for q in questions):
        problems.add(
            "quiz_question_ids", "invalid", value=next(q for q in questions if not is_uuid(q))
        )
    elif questions and topic_type != "quiz":
        problems.add(
            "quiz_question_ids", "not_allowed", reason="Only quiz topics have quiz questions."
        )
    problems.raise_if_any()
    assert isinstance(title, str)
    async with ctx.writing() as u:
        lesson = await _lesson(u, lesson_key)
        course = await _course(u, lesson.course_id)
        repo = TopicRepo(u)
        values = {k: data[k] for k in TOPIC_TEXTS if data.get(k) is not None}
        values.update({k: bool(data.get(k, False)) for k in TOPIC_FLAGS})
        topic_id = await repo.create(
            {
                **values,
                "uuid": new_uuid(),
                "course_id": course.id,
                "lesson_id": lesson.id,
                "title": title.strip(),
                "topic_type": topic_type,
                "quiz_question_ids": list(questions),
                "position": await repo.next_position(lesson.id),
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        await CourseRepo(u).update(course.id, {"updated_at": u.now})
        topic = await repo.get(topic_id)
        assert topic is not None
        await record(
            u,
            "topic.created",
            "topic",
            topic.id,
            topic.uuid,
            {
                "id": topic.id,
                "uuid": topic.uuid,
                "lesson_id": lesson.id,
                "course_id": course.id,
                "title": topic.title,
                "topic_type": topic.topic_type,
            },
            course_uuid=course.uuid,
        )
        return topic


def _check_criteria(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    problems = Collector()
    rows: list[dict[str, Any]] = []
    if not items:
        problems.add("criteria", "required")
    for item in items:
        kind = item.get("criteria_type")
        if kind not in CRITERIA_TYPES:
            problems.add("type", "invalid_choice", value=kind, choices=CRITERIA_TYPES)
            continue
        row: dict[str, Any] = {"criteria_type": kind, "description": item.get("description")}
        if kind in PERCENT_CRITERIA:
            percent = item.get("percent")
            if not isinstance(percent, int) or isinstance(percent, bool) or not 1 <= percent <= 100:
                problems.add(kind, "out_of_range", minimum=1, maximum=100)
            row["percent"] = percent
        elif kind in TARGET_CRITERIA:
            target = item.get("target_uuid")
            if not isinstance(target, str) or not is_uuid(target):
                problems.add(kind, "invalid", value=target if isinstance(target, str) else None)
            row["target_uuid"] = target
        else:
            seconds = item.get("seconds")
            if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 1:
                problems.add(kind, "out_of_range", minimum=1, maximum=86_400)
            row["seconds"] = seconds
        rows.append(row)
    problems.raise_if_any()
    return rows


async def set_criteria(
    ctx: Ctx, course_key: str | int, items: list[dict[str, Any]]
) -> list[Criterion]:
    """Replace the course's completion criteria (all of them, in the given order)."""
    rows = _check_criteria(items)
    async with ctx.writing() as u:
        course = await _course(u, course_key)
        if any(r.get("criteria_type") == "courseTopicViewed" for r in rows):
            repo = TopicRepo(u)
            for r in rows:
                if r["criteria_type"] == "courseTopicViewed":
                    topic = await repo.get_by_uuid(r["target_uuid"])
                    if topic is None or topic.course_id != course.id:
                        raise Invalid.one("courseTopicViewed", "not_found", resource="topic")
        await CriterionRepo(u).replace(
            course.id, [{**r, "uuid": new_uuid(), "created_at": u.now} for r in rows]
        )
        stored = await CriterionRepo(u).of_course(course.id)
        await record(
            u,
            "course.completion_criteria_changed",
            "course",
            course.id,
            course.uuid,
            {
                "id": course.id,
                "uuid": course.uuid,
                "criteria": [
                    {
                        "type": c.criteria_type,
                        "percent": c.percent,
                        "seconds": c.seconds,
                        "target_uuid": c.target_uuid,
                    }
                    for c in stored
                ],
            },
            course_uuid=course.uuid,
        )
        return stored
