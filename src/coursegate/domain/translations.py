"""Translations of a course's catalogue text (title, description, chapter and lesson titles)
per language, so translation tools can export a course, translate it and import it back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursegate.domain.catalog import resolve_course
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Course
from coursegate.domain.recording import record
from coursegate.platform.ids import is_uuid
from coursegate.store.catalog import ChapterRepo, LessonRepo
from coursegate.store.database import Unit
from coursegate.store.structure import TranslationRepo

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TEXT_MAX = 100_000
ALL = 10_000


@dataclass(frozen=True, slots=True)
class Text:
    """One translatable string: whose it is, which field, the source and its translation."""

    subject_type: str  # course | chapter | lesson
    subject_uuid: str
    field: str  # title | description
    source: str
    target: str | None


@dataclass(frozen=True, slots=True)
class CourseTexts:
    course: Course
    language: str | None
    texts: list[Text]


def check_language(language: str, field_name: str = "language") -> str:
    if not LANGUAGE.match(language):
        raise Invalid.one(field_name, "invalid", value=language)
    return language


async def _sources(
    u: Unit, course: Course
) -> dict[tuple[str, str], tuple[int, list[tuple[str, str]]]]:
    """(type, uuid) -> (row id, [(field, source text)]) for everything translatable."""
    found: dict[tuple[str, str], tuple[int, list[tuple[str, str]]]] = {}
    course_fields = [("title", course.title)]
    if course.description:
        course_fields.append(("description", course.description))
    found[("course", course.uuid)] = (course.id, course_fields)
    chapters = ChapterRepo(u)
    for chapter in await chapters.list_page(chapters.of_course(course.id), 0, ALL):
        found[("chapter", chapter.uuid)] = (chapter.id, [("title", chapter.title)])
    lessons = LessonRepo(u)
    for lesson in await lessons.list_page(lessons.of_course(course.id), 0, ALL):
        found[("lesson", lesson.uuid)] = (lesson.id, [("title", lesson.title)])
    return found


async def _course(u: Unit, key: str) -> Course:
    course = await resolve_course(u, key) if is_uuid(key) else None
    if course is None:
        raise NotFound("course", key)
    return course


async def course_texts(ctx: Ctx, course_key: str, language: str | None) -> CourseTexts:
    if language is not None:
        check_language(language)
    async with ctx.reading() as u:
        course = await _course(u, course_key)
        sources = await _sources(u, course)
        stored = await TranslationRepo(u).of_course(course.id, language) if language else {}
    texts = [
        Text(kind, uuid, field_name, source, stored.get((kind, row_id, field_name)))
        for (kind, uuid), (row_id, fields) in sources.items()
        for field_name, source in fields
    ]
    return CourseTexts(course, language, texts)


async def import_texts(
    ctx: Ctx, course_key: str, language: str, entries: list[tuple[str, str, str, str]]
) -> int:
    """Store translations given as (subject type, subject uuid, field, text); every entry must
    name a string of this course. All or nothing. Returns how many were stored."""
    check_language(language)
    async with ctx.writing() as u:
        course = await _course(u, course_key)
        sources = await _sources(u, course)
        problems = Collector()
        rows: dict[tuple[str, int, str], str] = {}
        for kind, uuid, field_name, text in entries:
            known = sources.get((kind, uuid))
            if known is None or field_name not in {f for f, _ in known[1]}:
                problems.add(
                    "unit",
                    "not_found",
                    resource="translation unit",
                    value=f"{kind}.{uuid}.{field_name}",
                )
            elif len(text) > TEXT_MAX:
                problems.add("target", "too_long", count=TEXT_MAX)
            else:
                rows[(kind, known[0], field_name)] = text
        problems.raise_if_any()
        if not rows:
            raise Invalid.one("target", "required")
        await TranslationRepo(u).put(course.id, language, rows)
        await record(
            u,
            "course.translations_imported",
            "course",
            course.id,
            course.uuid,
            {"id": course.id, "uuid": course.uuid, "language": language, "count": len(rows)},
            course_uuid=course.uuid,
        )
        return len(rows)
