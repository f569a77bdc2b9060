"""Courses, their chapters and lessons, tags, products and instructors."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Select,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import BindParameter

from coursegate.domain.models import Chapter, Course, Lesson, Product, Tag
from coursegate.store import direct
from coursegate.store.base import LIMIT, SITE, Repo, escape_like
from coursegate.store.counters import counted
from coursegate.store.json_rows import json_rows
from coursegate.store.member_of import member_of
from coursegate.store.tables.catalog import (
    chapters,
    course_tags,
    courses,
    instructors,
    lessons,
    products,
    tags,
)
from coursegate.store.tables.platform import custom_field_definitions
from coursegate.store.text_match import contains, pattern_for
from coursegate.store.types import utc_instant

# What a course carries besides its row (its product id, chapter ids and tags), as columns of
# the statement that reads it (store/json_rows.py): as a second statement over the page's
# ids it was a loopback round trip on PostgreSQL on every course read, and 125 rows for a
# 25-course page. Chapters and tags come as [position, id, ...]: `hydrate` sorts them
# by those (ids are unique, so no later element is ever compared).
_PRODUCT_OF = (
    select(products.c.id)
    .where(
        products.c.site_id == courses.c.site_id,
        products.c.productable_type == "Course",
        products.c.productable_id == courses.c.id,
    )
    .scalar_subquery()
    .label("related_product")
)
_CHAPTERS_OF = (
    select(json_rows(chapters.c.position, chapters.c.id))
    .where(chapters.c.site_id == courses.c.site_id, chapters.c.course_id == courses.c.id)
    .scalar_subquery()
    .label("related_chapters")
)
_TAGS_OF = (
    select(
        json_rows(course_tags.c.position, tags.c.id, tags.c.uuid, tags.c.label, tags.c.updated_at)
    )
    .select_from(course_tags.join(tags, tags.c.id == course_tags.c.tag_id))
    .where(course_tags.c.site_id == courses.c.site_id, course_tags.c.course_id == courses.c.id)
    .scalar_subquery()
    .label("related_tags")
)
RELATED = (_PRODUCT_OF, _CHAPTERS_OF, _TAGS_OF)


def with_related(stmt: Select[Any]) -> Select[Any]:
    """`stmt` (rows of `courses`) with the columns `CourseRepo.hydrate` reads."""
    return stmt.add_columns(*RELATED)


# Keyed course reads run on every course request: built once (store/base.py, "Hot
# statements").
_BY = {
    name: with_related(
        select(courses).where(courses.c.site_id == SITE, courses.c[name] == bindparam("key"))
    ).limit(1)
    for name in ("id", "uuid", "slug")
}


class CourseRepo(Repo):
    table = courses
    counter = "courses"

    def all(self) -> Select[Any]:
        base = self.scoped()
        return counted(base, base, "courses")

    @staticmethod
    def hydrate(rows: list[Any]) -> list[Course]:
        """Courses of rows read `with_related`, their product, chapters and tags attached."""
        found = Course.from_rows(rows)
        for course, row in zip(found, rows, strict=True):
            course.product_id = row.related_product
            chapter_rows = row.related_chapters
            if chapter_rows:  # SQLite's empty group is [], PostgreSQL's NULL
                course.chapter_ids = [item[1] for item in sorted(chapter_rows)]
            tag_rows = row.related_tags
            if tag_rows:
                course.tags = [
                    Tag(tag_id, uuid, label, cast(datetime, utc_instant(updated_at)))
                    for _position, tag_id, uuid, label, updated_at in sorted(tag_rows)
                ]
        return found

    async def _one(self, stmt: Select[Any], params: dict[str, Any] | None = None) -> Course | None:
        row = (
            await self.conn.execute(with_related(stmt).limit(1))
            if params is None
            else await direct.execute(self.conn, stmt, params)
        ).first()
        return self.hydrate([row])[0] if row is not None else None

    async def get(self, course_id: int) -> Course | None:
        return await self._one(_BY["id"], {"site_id": self.site_id, "key": course_id})

    async def get_by_uuid(self, course_uuid: str) -> Course | None:
        return await self._one(_BY["uuid"], {"site_id": self.site_id, "key": course_uuid})

    async def get_by_slug(self, slug: str) -> Course | None:
        return await self._one(_BY["slug"], {"site_id": self.site_id, "key": slug})

    async def get_by_external_id(self, external_id: str) -> Course | None:
        return await self._one(self.scoped().where(courses.c.external_id == external_id))

    async def id_for_uuid(self, course_uuid: str) -> int | None:
        row = await self.first(courses.c.uuid == course_uuid)
        return None if row is None else int(row.id)

    async def slug_taken(self, slug: str, except_id: int | None = None) -> bool:
        clauses = [courses.c.slug == slug]
        if except_id is not None:
            clauses.append(courses.c.id != except_id)
        return await self.exists(*clauses)

    async def title_taken(self, title: str, except_id: int | None = None) -> bool:
        clauses = [courses.c.title == title]
        if except_id is not None:
            clauses.append(courses.c.id != except_id)
        return await self.exists(*clauses)

    async def external_id_taken(self, external_id: str, except_id: int | None = None) -> bool:
        clauses = [courses.c.external_id == external_id]
        if except_id is not None:
            clauses.append(courses.c.id != except_id)
        return await self.exists(*clauses)

    async def slugs_like(self, base: str) -> set[str]:
        rows = await self.conn.execute(
            self.scoped(courses.c.slug).where(
                or_(
                    courses.c.slug == base,
                    courses.c.slug.like(f"{escape_like(base)}-%", escape="\\"),
                )
            )
        )
        return {r.slug for r in rows}

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, course_id: int, values: dict[str, Any]) -> None:
        await self.update_row(course_id, values)

    async def list_page(
        self, stmt: Select[Any], order_by: list[Any], offset: int, limit: int
    ) -> list[Course]:
        return self.hydrate(await self.page(stmt, order_by, offset, limit, RELATED))

    async def adjust_enrollment_count(self, course_id: int, delta: int) -> None:
        await self.conn.execute(
            update(courses)
            .where(courses.c.site_id == self.site_id, courses.c.id == course_id)
            .values(enrollment_count=courses.c.enrollment_count + delta)
        )

    async def set_tags(self, course_id: int, tag_ids: list[int]) -> None:
        await self.conn.execute(
            delete(course_tags).where(
                course_tags.c.site_id == self.site_id, course_tags.c.course_id == course_id
            )
        )
        if tag_ids:
            await self.conn.execute(
                insert(course_tags),
                [
                    {"site_id": self.site_id, "course_id": course_id, "tag_id": t, "position": i}
                    for i, t in enumerate(tag_ids)
                ],
            )


class TagRepo(Repo):
    table = tags

    async def ensure(self, labels: list[str], new_uuid: Any) -> list[int]:
        """Find or create each tag by its case-insensitive key, keeping the given order."""
        ids: list[int] = []
        for label in labels:
            key = label.lower()
            row = await self.first(tags.c.label_key == key)
            if row is None:
                tag_id = await self.insert_row(
                    {
                        "uuid": new_uuid(),
                        "label": label,
                        "label_key": key,
                        "updated_at": self.unit.now,
                    }
                )
            else:
                tag_id = int(row.id)
            if tag_id not in ids:
                ids.append(tag_id)
        return ids


class CustomFieldRepo(Repo):
    table = custom_field_definitions

    async def keys(self) -> set[str]:
        rows = await self.conn.execute(self.scoped(custom_field_definitions.c.key))
        return {r.key for r in rows}

    async def add(self, key: str, label: str, field_type: str) -> int:
        return await self.insert_row({"key": key, "label": label, "field_type": field_type})


class ChapterRepo(Repo):
    table = chapters

    async def _with_lessons(self, rows: list[Any]) -> list[Chapter]:
        found = Chapter.from_rows(rows)
        if not found:
            return found
        by_id = {c.id: c for c in found}
        lesson_rows = await self.conn.execute(
            select(lessons.c.chapter_id, lessons.c.id, lessons.c.duration_seconds)
            .where(lessons.c.site_id == self.site_id, lessons.c.chapter_id.in_(list(by_id)))
            .order_by(lessons.c.chapter_id, lessons.c.position, lessons.c.id)
        )
        for chapter_id, lesson_id, duration in lesson_rows:
            chapter = by_id[chapter_id]
            chapter.lesson_ids.append(lesson_id)
            if duration:
                chapter.duration_seconds = (chapter.duration_seconds or 0) + duration
        return found

    async def get(self, chapter_id: int) -> Chapter | None:
        row = await self.first(chapters.c.id == chapter_id)
        return (await self._with_lessons([row]))[0] if row is not None else None

    async def get_by_uuid(self, chapter_uuid: str) -> Chapter | None:
        row = await self.first(chapters.c.uuid == chapter_uuid)
        return (await self._with_lessons([row]))[0] if row is not None else None

    def of_course(self, course_id: int) -> Select[Any]:
        return self.scoped().where(chapters.c.course_id == course_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Chapter]:
        rows = await self.page(stmt, [chapters.c.position, chapters.c.id], offset, limit)
        return await self._with_lessons(rows)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def next_position(self, course_id: int) -> int:
        stmt = select(func.coalesce(func.max(chapters.c.position), 0)).where(
            chapters.c.site_id == self.site_id, chapters.c.course_id == course_id
        )
        return int((await self.conn.execute(stmt)).scalar_one()) + 1


class LessonRepo(Repo):
    table = lessons

    def _with_course_slug(self) -> Select[Any]:
        return (
            select(lessons, courses.c.slug.label("course_slug"))
            .join(courses, courses.c.id == lessons.c.course_id)
            .where(lessons.c.site_id == self.site_id)
        )

    async def get(self, lesson_id: int) -> Lesson | None:
        row = (
            await self.conn.execute(self._with_course_slug().where(lessons.c.id == lesson_id))
        ).first()
        return _lesson(row) if row is not None else None

    async def get_by_uuid(self, lesson_uuid: str) -> Lesson | None:
        row = (
            await self.conn.execute(self._with_course_slug().where(lessons.c.uuid == lesson_uuid))
        ).first()
        return _lesson(row) if row is not None else None

    def of_chapter(self, chapter_id: int) -> Select[Any]:
        return self._with_course_slug().where(lessons.c.chapter_id == chapter_id)

    def of_course(self, course_id: int) -> Select[Any]:
        return self._with_course_slug().where(lessons.c.course_id == course_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Lesson]:
        rows = await self.page(
            stmt, [chapters_position_subquery(), lessons.c.position, lessons.c.id], offset, limit
        )
        return [_lesson(r) for r in rows]

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def count_in_course(self, course_id: int) -> int:
        stmt = select(func.count()).where(
            lessons.c.site_id == self.site_id, lessons.c.course_id == course_id
        )
        return int((await self.conn.execute(stmt)).scalar_one())

    async def next_position(self, chapter_id: int) -> int:
        stmt = select(func.coalesce(func.max(lessons.c.position), 0)).where(
            lessons.c.site_id == self.site_id, lessons.c.chapter_id == chapter_id
        )
        return int((await self.conn.execute(stmt)).scalar_one()) + 1


def chapters_position_subquery() -> Any:
    return (
        select(chapters.c.position).where(chapters.c.id == lessons.c.chapter_id).scalar_subquery()
    )


def _lesson(row: Any) -> Lesson:
    lesson = Lesson.from_row(row)
    lesson.course_slug = row.course_slug
    return lesson


class ProductRepo(Repo):
    table = products

    async def get_by_uuid(self, product_uuid: str) -> Product | None:
        row = await self.first(products.c.uuid == product_uuid)
        return Product.from_row(row) if row is not None else None

    async def get(self, product_id: int) -> Product | None:
        row = await self.first(products.c.id == product_id)
        return Product.from_row(row) if row is not None else None

    async def for_item(self, productable_type: str, productable_id: int) -> Product | None:
        row = await self.first(
            products.c.productable_type == productable_type,
            products.c.productable_id == productable_id,
        )
        return Product.from_row(row) if row is not None else None

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update_for_item(
        self, productable_type: str, productable_id: int, values: dict[str, Any]
    ) -> None:
        if not values:
            return
        await self.conn.execute(
            update(products)
            .where(
                products.c.site_id == self.site_id,
                products.c.productable_type == productable_type,
                products.c.productable_id == productable_id,
            )
            .values(**values)
        )


class InstructorRepo(Repo):
    table = instructors

    async def default_id(self) -> int | None:
        row = (
            await self.conn.execute(
                self.scoped(instructors.c.id).order_by(instructors.c.id).limit(1)
            )
        ).first()
        return None if row is None else int(row.id)

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)


# Sort keys the catalog search understands, by their platform names.
SEARCH_TOTAL = "search_total"
SEARCH_SORTS = {
    "created_at": courses.c.created_at,
    "updated_at": courses.c.updated_at,
    "title": courses.c.title,
    "published_at": courses.c.published_at,
}


async def search_courses(
    repo: CourseRepo,
    *,
    course_types: list[str],
    text: str | None,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> tuple[list[Course], int, bool]:
    """Keyset search: (sort value, id) strictly after the cursor; stable while rows are added."""
    params: dict[str, Any] = {"site_id": repo.site_id, "types": course_types, "limit": limit + 1}
    if text:
        params["pattern"] = pattern_for(text)
    if after is not None:
        params["after_value"], params["after_id"] = after
    count, rows_stmt = _search(bool(text), sort, descending, after is not None)
    rows = list((await direct.execute(repo.conn, rows_stmt, params)).all())
    if count is None:  # a first page counts its matches in the same scan
        total = int(getattr(rows[0], SEARCH_TOTAL)) if rows else 0
    else:
        total = int((await direct.execute(repo.conn, count, params)).scalar_one())
    has_more = len(rows) > limit
    return repo.hydrate(rows[:limit]), total, has_more


@lru_cache(maxsize=64)
def _search(
    has_text: bool, sort: str, descending: bool, has_after: bool
) -> tuple[Select[Any] | None, Select[Any]]:
    """The search's count and page statements for one shape of request, built once: the values
    (site, types, pattern, cursor, limit) are bound parameters. A first page brings the count
    of all matches along (a window count over the one scan that finds them), so it has no
    count statement."""
    stmt = select(courses).where(
        courses.c.site_id == SITE,
        member_of(courses.c.course_type, "types"),
    )
    if has_text:
        pattern: BindParameter[str] = bindparam("pattern")
        stmt = stmt.where(
            or_(
                contains(courses.c.title, pattern),
                contains(courses.c.description, pattern),
            )
        )
    count: Select[Any] | None = None
    if has_after:
        count = select(func.count()).select_from(stmt.subquery())
    else:
        stmt = stmt.add_columns(func.count().over().label(SEARCH_TOTAL))
    key = SEARCH_SORTS[sort]
    sort_key = func.coalesce(key, courses.c.created_at) if sort == "published_at" else key
    if has_after:
        value = bindparam("after_value", type_=key.type)
        last_id: BindParameter[int] = bindparam("after_id")
        if descending:
            stmt = stmt.where(or_(sort_key < value, (sort_key == value) & (courses.c.id < last_id)))
        else:
            stmt = stmt.where(or_(sort_key > value, (sort_key == value) & (courses.c.id > last_id)))
    order = [sort_key.desc(), courses.c.id.desc()] if descending else [sort_key, courses.c.id]
    return count, with_related(stmt).order_by(*order).limit(LIMIT)
