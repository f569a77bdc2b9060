"""Test data built through the domain services (never raw SQL)."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from coursegate.domain import catalog, learning, people
from coursegate.domain.context import Ctx
from coursegate.domain.models import Chapter, Course, Enrollment, Lesson, User
from coursegate.store.catalog import CustomFieldRepo

_n = count(1)


async def user(ctx: Ctx, **overrides: Any) -> User:
    n = next(_n)
    data = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"user{n}@example.com", **overrides}
    return await people.create_user(ctx, data)


async def course(ctx: Ctx, chapters: int = 0, lessons: int = 0, **overrides: Any) -> Course:
    n = next(_n)
    data = {"title": f"Course {n}", "course_type": "course", **overrides}
    created = await catalog.create_course(ctx, data)
    for c in range(chapters):
        chapter = await catalog.add_chapter(ctx, created.id, f"Chapter {c + 1}")
        for lesson_index in range(lessons):
            await catalog.add_lesson(ctx, chapter.id, f"Lesson {c + 1}.{lesson_index + 1}", duration_seconds=60)
    return await catalog.get_course(ctx, created.id)


async def chapter(ctx: Ctx, course_id: int, title: str = "Chapter") -> Chapter:
    return await catalog.add_chapter(ctx, course_id, title)


async def lesson(ctx: Ctx, chapter_id: int, title: str = "Lesson", **kwargs: Any) -> Lesson:
    return await catalog.add_lesson(ctx, chapter_id, title, **kwargs)


async def enrollment(
    ctx: Ctx, user_id: int, course_id: int, activated_at: datetime | None = None, expiry_date: datetime | None = None
) -> Enrollment:
    return await learning.create_enrollment(ctx, user_id, course_id, activated_at, expiry_date)


async def custom_field(ctx: Ctx, key: str) -> None:
    async with ctx.writing() as u:
        await CustomFieldRepo(u).add(key, key, "text")


async def certificate_rules(
    ctx: Ctx, course_id: int, *, enabled: bool = True, valid_days: int | None = None
) -> None:
    from coursegate.domain import certificates

    await certificates.configure_course(ctx, course_id, enabled=enabled, valid_days=valid_days)


async def drip(ctx: Ctx, chapter_id: int, release_at: datetime | None) -> Chapter:
    from coursegate.domain import progress

    return await progress.schedule_release(ctx, chapter_id, release_at)
