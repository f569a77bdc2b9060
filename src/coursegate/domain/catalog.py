"""The course catalogue: courses with chapters and lessons, their products and tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import nh3

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.models import COURSE_STATUSES, COURSE_TYPES, Chapter, Course, Lesson, Page
from coursegate.domain.recording import record
from coursegate.domain.snapshots import course_snapshot
from coursegate.platform.ids import SLUG_PATTERN, is_int_id, is_uuid, new_uuid, slugify
from coursegate.store.base import UniqueViolation
from coursegate.store.catalog import (
    SEARCH_SORTS,
    ChapterRepo,
    CourseRepo,
    CustomFieldRepo,
    InstructorRepo,
    LessonRepo,
    ProductRepo,
    TagRepo,
    search_courses,
)
from coursegate.store.database import Unit

TITLE_MAX = 255
SLUG_MAX = 255
# Basic HTML a description may carry; everything else (scripts above all) is removed.
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "b", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

COURSE_FIELDS = (
    "title",
    "course_type",
    "slug",
    "description",
    "status",
    "authors",
    "tags",
    "external_id",
    "custom_fields",
    "is_free",
    "source",
    "subtitle",
    "keywords",
    "card_image_url",
    "language",
    "sku",
    "seats_limit",
    "reviews_enabled",
    "price_cents",
)


def sanitize_html(text: str) -> str:
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)


def _normalize_tags(raw: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for label in raw:
        cleaned = " ".join(label.split())
        if cleaned and cleaned.lower() not in seen:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())


async def _check_course(u: Unit, data: dict[str, Any], course_id: int | None) -> dict[str, Any]:
    """Validate a create (course_id None) or a partial update; returns column values."""
    repo = CourseRepo(u)
    problems = Collector()
    creating = course_id is None
    values: dict[str, Any] = {}

    if "title" in data or creating:
        title = data.get("title")
        if title is None or not str(title).strip():
            problems.add("title", "required")
        elif len(title) > TITLE_MAX:
            problems.add("title", "too_long", count=TITLE_MAX)
        else:
            values["title"] = title.strip()
    if "course_type" in data or creating:
        course_type = data.get("course_type")
        if course_type is None or course_type == "":
            problems.add("course_type", "required")
        elif course_type not in COURSE_TYPES:
            problems.add("course_type", "invalid_choice", value=course_type, choices=COURSE_TYPES)
        else:
            values["course_type"] = course_type
    if data.get("status") is not None:
        if data["status"] not in COURSE_STATUSES:
            problems.add("status", "invalid_choice", value=data["status"], choices=COURSE_STATUSES)
        else:
            values["status"] = data["status"]
    schedule_sent = any(name in data for window in SCHEDULE for name in window)
    current = await repo.get(course_id) if course_id is not None and schedule_sent else None
    _check_presentation(data, values, problems, current)
    if data.get("slug") is not None:
        slug = data["slug"]
        if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
            problems.add("slug", "invalid", value=slug)
        else:
            values["slug"] = slug
    problems.raise_if_any()

    # Uniqueness, checked after the shape so each message is about a well-formed value.
    if "title" in values and await repo.title_taken(values["title"], course_id):
        problems.add("title", "taken", value=values["title"])
    if "slug" in values and await repo.slug_taken(values["slug"], course_id):
        problems.add("slug", "taken", value=values["slug"])
    external_id = data.get("external_id")
    if external_id is not None:
        if await repo.external_id_taken(external_id, course_id):
            problems.add("external_id", "taken", value=external_id)
        values["external_id"] = external_id
    problems.raise_if_any()

    if "description" in data:
        values["description"] = (
            None if data["description"] is None else sanitize_html(data["description"])
        )
    if "authors" in data:
        values["authors"] = [a.strip() for a in data["authors"] or [] if a and a.strip()]
    if "custom_fields" in data:
        known = await CustomFieldRepo(u).keys()
        values["custom_fields"] = {
            k: v for k, v in (data["custom_fields"] or {}).items() if k in known
        }
    for name in (
        "is_free",
        "source",
        "subtitle",
        "keywords",
        "card_image_url",
        "language",
        "sku",
        "seats_limit",
        "reviews_enabled",
        "price_cents",
    ):
        if name in data and (
            data[name] is not None
            or name not in ("is_free", "reviews_enabled", "language", "price_cents")
        ):
            values[name] = data[name]
    return values


RIBBON_MAX = 64
HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
SCHEDULE = (
    ("course_starts_at", "course_ends_at"),
    ("enrollment_starts_at", "enrollment_ends_at"),
)


def _check_presentation(
    data: dict[str, Any], values: dict[str, Any], problems: Collector, current: Course | None
) -> None:
    """The card ribbon (a short label and a #RRGGBB colour) and the schedule: each window's
    end may not come before its start (an update is checked against what is stored)."""
    if "ribbon_label" in data:
        label = (data["ribbon_label"] or "").strip() or None
        if label is not None and len(label) > RIBBON_MAX:
            problems.add("ribbon_label", "too_long", count=RIBBON_MAX)
        values["ribbon_label"] = label
    if "ribbon_color" in data:
        color = data["ribbon_color"]
        if color is not None and not HEX_COLOR.match(color):
            problems.add("ribbon_color", "invalid", value=color)
        values["ribbon_color"] = color.lower() if isinstance(color, str) else None
    for start, end in SCHEDULE:
        for name in (start, end):
            if name in data:
                values[name] = data[name]
        begins = values[start] if start in values else getattr(current, start, None)
        ends = values[end] if end in values else getattr(current, end, None)
        if begins and ends and ends < begins:
            problems.add(end, "invalid", value=ends.isoformat())


async def _unique_slug(repo: CourseRepo, title: str) -> str:
    base = slugify(title, SLUG_MAX - 8)
    taken = await repo.slugs_like(base)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _duplicate(exc: UniqueViolation, data: dict[str, Any]) -> Duplicate:
    column = next(iter(exc.columns), "title")
    field_name = {"external_id": "external_id", "slug": "slug"}.get(column, "title")
    return Duplicate(Problem(field_name, "taken", {"value": data.get(field_name)}))


class _SlugRace(Exception):
    """A concurrent create took the slug we derived from the title; derive it again."""


# Each round of a slug race lets at least one creator through, so this bounds the retries.
SLUG_ATTEMPTS = 100


async def create_course(ctx: Ctx, data: dict[str, Any]) -> Course:
    # A generated slug can lose a race with a concurrent create of the same title: try the
    # next free slug a few times before reporting the duplicate.
    for _attempt in range(SLUG_ATTEMPTS - 1):
        try:
            async with ctx.writing() as u:
                return await insert_course(u, data, retry_slug=True)
        except _SlugRace:
            continue
    async with ctx.writing() as u:
        return await insert_course(u, data)


async def insert_course(u: Unit, data: dict[str, Any], *, retry_slug: bool = False) -> Course:
    """Create a course inside an open transaction (the API and bulk jobs)."""
    values = await _check_course(u, data, None)
    repo = CourseRepo(u)
    derived_slug = "slug" not in values
    if derived_slug:
        values["slug"] = await _unique_slug(repo, values["title"])
    values.setdefault("status", "draft")
    labels = _normalize_tags(data.get("tags") or [])
    try:
        course_id = await repo.create(
            {
                **values,
                "uuid": new_uuid(),
                "instructor_id": await InstructorRepo(u).default_id(),
                "created_at": u.now,
                "updated_at": u.now,
                "published_at": u.now if values["status"] == "published" else None,
            }
        )
    except UniqueViolation as exc:
        if retry_slug and derived_slug and exc.columns == {"slug"}:
            raise _SlugRace from exc
        raise _duplicate(exc, {**data, **values}) from exc
    await ProductRepo(u).create(
        {
            "uuid": new_uuid(),
            "productable_type": "Course",
            "productable_id": course_id,
            "name": values["title"],
            "slug": values["slug"],
            "status": "published" if values["status"] == "published" else "draft",
            "price_cents": values.get("price_cents", 0),
            "created_at": u.now,
        }
    )
    if labels:
        await repo.set_tags(course_id, await TagRepo(u).ensure(labels, new_uuid))
    course = await _load_course(u, course_id)
    await record(
        u,
        "course.created",
        "course",
        course.id,
        course.uuid,
        course_snapshot(course),
        course_uuid=course.uuid,
    )
    return course


async def update_course(ctx: Ctx, course_id: int, data: dict[str, Any]) -> Course:
    async with ctx.writing() as u:
        before = await _load_course(u, course_id)
        values = await _check_course(u, data, course_id)
        repo = CourseRepo(u)
        if values.get("status") == "published" and before.published_at is None:
            values["published_at"] = u.now
        try:
            await repo.update(course_id, {**values, "updated_at": u.now})
        except UniqueViolation as exc:
            raise _duplicate(exc, {**data, **values}) from exc
        if "tags" in data:
            labels = _normalize_tags(data.get("tags") or [])
            await repo.set_tags(course_id, await TagRepo(u).ensure(labels, new_uuid))
        product_changes = {
            k: v
            for k, v in (("name", values.get("title")), ("slug", values.get("slug")))
            if v is not None
        }
        if "status" in values:
            product_changes["status"] = "published" if values["status"] == "published" else "draft"
        await ProductRepo(u).update_for_item("Course", course_id, product_changes)
        course = await _load_course(u, course_id)
        changed = sorted(k for k in values if k != "updated_at")
        if "tags" in data:
            changed.append("tags")
        payload = {**course_snapshot(course), "changed": changed}
        await record(
            u, "course.updated", "course", course.id, course.uuid, payload, course_uuid=course.uuid
        )
        return course


async def _load_course(u: Unit, course_id: int) -> Course:
    course = await CourseRepo(u).get(course_id)
    if course is None:
        raise NotFound("course", course_id)
    return course


async def resolve_course(u: Unit, key: str | int) -> Course | None:
    repo = CourseRepo(u)
    if isinstance(key, int) or is_int_id(key):
        return await repo.get(int(key))
    if is_uuid(key):
        return await repo.get_by_uuid(key)
    return await repo.get_by_slug(key)


async def get_course(ctx: Ctx, key: str | int) -> Course:
    async with ctx.reading() as u:
        course = await resolve_course(u, key)
    if course is None:
        raise NotFound("course", key)
    return course


async def get_course_by_external_id(ctx: Ctx, external_id: str) -> Course:
    async with ctx.reading() as u:
        course = await CourseRepo(u).get_by_external_id(external_id)
    if course is None:
        raise NotFound("course", external_id)
    return course


async def list_courses(ctx: Ctx, offset: int, limit: int) -> Page[Course]:
    async with ctx.reading() as u:
        repo = CourseRepo(u)
        stmt = repo.all()
        items = await repo.list_page(stmt, [repo.table.c.id], offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)


@dataclass(slots=True)
class SearchResult:
    items: list[Course]
    total: int
    has_more: bool


async def search_catalog(
    ctx: Ctx,
    *,
    course_types: list[str],
    text: str | None,
    sort: str = "created_at",
    descending: bool = True,
    after: tuple[Any, int] | None = None,
    limit: int = 25,
) -> SearchResult:
    if sort not in SEARCH_SORTS:
        raise Invalid.one("sort", "invalid_choice", value=sort, choices=tuple(SEARCH_SORTS))
    async with ctx.reading() as u:
        items, total, has_more = await search_courses(
            CourseRepo(u),
            course_types=course_types,
            text=text,
            sort=sort,
            descending=descending,
            after=after,
            limit=limit,
        )
    return SearchResult(items, total, has_more)


async def get_chapter(ctx: Ctx, key: str | int) -> Chapter:
    async with ctx.reading() as u:
        repo = ChapterRepo(u)
        chapter = await (repo.get(int(key)) if is_int_id(str(key)) else repo.get_by_uuid(str(key)))
    if chapter is None:
        raise NotFound("chapter", key)
    return chapter


async def list_chapters(ctx: Ctx, course_id: int, offset: int, limit: int) -> Page[Chapter]:
    async with ctx.reading() as u:
        if await CourseRepo(u).get(course_id) is None:
            raise NotFound("course", course_id)
        repo = ChapterRepo(u)
        stmt = repo.of_course(course_id)
        items = await repo.list_page(stmt, offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)


async def get_lesson(ctx: Ctx, key: str | int) -> Lesson:
    async with ctx.reading() as u:
        repo = LessonRepo(u)
        lesson = await (repo.get(int(key)) if is_int_id(str(key)) else repo.get_by_uuid(str(key)))
    if lesson is None:
        raise NotFound("lesson", key)
    return lesson


async def list_lessons(ctx: Ctx, chapter_id: int, offset: int, limit: int) -> Page[Lesson]:
    async with ctx.reading() as u:
        if await ChapterRepo(u).get(chapter_id) is None:
            raise NotFound("chapter", chapter_id)
        repo = LessonRepo(u)
        stmt = repo.of_chapter(chapter_id)
        items = await repo.list_page(stmt, offset, limit)
        total = await repo.count(stmt)
    return Page(items, total)


async def add_chapter(
    ctx: Ctx, course_id: int, title: str, description: str | None = None
) -> Chapter:
    if not title.strip():
        raise Invalid.one("title", "required")
    async with ctx.writing() as u:
        course = await _load_course(u, course_id)
        repo = ChapterRepo(u)
        chapter_id = await repo.create(
            {
                "uuid": new_uuid(),
                "course_id": course.id,
                "title": title.strip(),
                "slug": slugify(title),
                "description": description,
                "position": await repo.next_position(course.id),
                "created_at": u.now,
            }
        )
        await CourseRepo(u).update(course.id, {"updated_at": u.now})
        chapter = await repo.get(chapter_id)
        assert chapter is not None
        await record(
            u,
            "chapter.created",
            "chapter",
            chapter.id,
            chapter.uuid,
            {
                "id": chapter.id,
                "uuid": chapter.uuid,
                "course_id": course.id,
                "title": chapter.title,
            },
            course_uuid=course.uuid,
        )
        return chapter


async def add_lesson(
    ctx: Ctx,
    chapter_id: int,
    title: str,
    kind: str = "Lesson",
    free_preview: bool = False,
    duration_seconds: int | None = None,
) -> Lesson:
    if not title.strip():
        raise Invalid.one("title", "required")
    async with ctx.writing() as u:
        chapter = await ChapterRepo(u).get(chapter_id)
        if chapter is None:
            raise NotFound("chapter", chapter_id)
        repo = LessonRepo(u)
        lesson_id = await repo.create(
            {
                "uuid": new_uuid(),
                "course_id": chapter.course_id,
                "chapter_id": chapter.id,
                "title": title.strip(),
                "slug": slugify(title),
                "position": await repo.next_position(chapter.id),
                "kind": kind,
                "free_preview": free_preview,
                "duration_seconds": duration_seconds,
                "created_at": u.now,
            }
        )
        course = await _load_course(u, chapter.course_id)
        await CourseRepo(u).update(course.id, {"updated_at": u.now})
        lesson = await repo.get(lesson_id)
        assert lesson is not None
        await record(
            u,
            "lesson.created",
            "lesson",
            lesson.id,
            lesson.uuid,
            {
                "id": lesson.id,
                "uuid": lesson.uuid,
                "chapter_id": chapter.id,
                "course_id": course.id,
                "title": lesson.title,
                "kind": lesson.kind,
            },
            course_uuid=course.uuid,
        )
        return lesson


async def ensure_default_instructor(u: Unit, name: str) -> int:
    repo = InstructorRepo(u)
    existing = await repo.default_id()
    if existing is not None:
        return existing
    first, _, last = name.partition(" ")
    return await repo.create(
        {
            "uuid": new_uuid(),
            "first_name": first or name,
            "last_name": last or "Team",
            "slug": slugify(name),
            "created_at": u.now,
        }
    )
