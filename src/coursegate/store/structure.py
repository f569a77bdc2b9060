"""Topics, completion criteria and catalogue translations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, select

from coursegate.domain.structure_models import Criterion, Topic
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import lessons
from coursegate.store.tables.structure import completion_criteria, content_translations, topics


class TopicRepo(Repo):
    table = topics

    async def get(self, topic_id: int) -> Topic | None:
        row = await self.first(topics.c.id == topic_id)
        return Topic.from_row(row) if row is not None else None

    async def get_by_uuid(self, topic_uuid: str) -> Topic | None:
        row = await self.first(topics.c.uuid == topic_uuid)
        return Topic.from_row(row) if row is not None else None

    def of_lesson(self, lesson_id: int) -> Select[Any]:
        return self.scoped().where(topics.c.lesson_id == lesson_id)

    def of_course(self, course_id: int) -> Select[Any]:
        return self.scoped().where(topics.c.course_id == course_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Topic]:
        # Course order: the lesson's place in its chapter first, then the topic's place.
        lesson_position = (
            select(lessons.c.position).where(lessons.c.id == topics.c.lesson_id).scalar_subquery()
        )
        order = [lesson_position, topics.c.lesson_id, topics.c.position, topics.c.id]
        return Topic.from_rows(await self.page(stmt, order, offset, limit))

    async def of_lessons(self, lesson_ids: list[int]) -> dict[int, list[Topic]]:
        found: dict[int, list[Topic]] = {i: [] for i in lesson_ids}
        if not lesson_ids:
            return found
        rows = await self.conn.execute(
            self.scoped()
            .where(topics.c.lesson_id.in_(lesson_ids))
            .order_by(topics.c.lesson_id, topics.c.position, topics.c.id)
        )
        for row in rows:
            found[row.lesson_id].append(Topic.from_row(row))
        return found

    async def counts(self, lesson_ids: list[int]) -> dict[int, int]:
        if not lesson_ids:
            return {}
        rows = await self.conn.execute(
            select(topics.c.lesson_id, func.count())
            .where(topics.c.site_id == self.site_id, topics.c.lesson_id.in_(lesson_ids))
            .group_by(topics.c.lesson_id)
        )
        return {int(lesson_id): int(n) for lesson_id, n in rows}

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def next_position(self, lesson_id: int) -> int:
        stmt = select(func.coalesce(func.max(topics.c.position), 0)).where(
            topics.c.site_id == self.site_id, topics.c.lesson_id == lesson_id
        )
        return int((await self.conn.execute(stmt)).scalar_one()) + 1


class CriterionRepo(Repo):
    table = completion_criteria

    async def of_course(self, course_id: int) -> list[Criterion]:
        rows = await self.conn.execute(
            self.scoped()
            .where(completion_criteria.c.course_id == course_id)
            .order_by(completion_criteria.c.position, completion_criteria.c.id)
        )
        return Criterion.from_rows(rows)

    async def replace(self, course_id: int, rows: list[dict[str, Any]]) -> None:
        await self.conn.execute(
            delete(completion_criteria).where(
                completion_criteria.c.site_id == self.site_id,
                completion_criteria.c.course_id == course_id,
            )
        )
        for position, values in enumerate(rows, start=1):
            await self.insert_row({**values, "course_id": course_id, "position": position})


class TranslationRepo(Repo):
    table = content_translations

    async def of_course(self, course_id: int, language: str) -> dict[tuple[str, int, str], str]:
        """(subject type, subject id, field) -> translated text."""
        rows = await self.conn.execute(
            self.scoped().where(
                content_translations.c.course_id == course_id,
                content_translations.c.language == language,
            )
        )
        return {(r.subject_type, int(r.subject_id), r.field): r.text for r in rows}

    async def put(
        self, course_id: int, language: str, entries: dict[tuple[str, int, str], str]
    ) -> None:
        """Upsert each entry (delete then insert keeps it portable across both databases)."""
        for (subject_type, subject_id, field_name), text in entries.items():
            await self.conn.execute(
                delete(content_translations).where(
                    content_translations.c.site_id == self.site_id,
                    content_translations.c.subject_type == subject_type,
                    content_translations.c.subject_id == subject_id,
                    content_translations.c.field == field_name,
                    content_translations.c.language == language,
                )
            )
            await self.insert_row(
                {
                    "course_id": course_id,
                    "subject_type": subject_type,
                    "subject_id": subject_id,
                    "field": field_name,
                    "language": language,
                    "text": text,
                    "updated_at": self.unit.now,
                }
            )
