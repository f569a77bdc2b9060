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


# --- Thought Industries operations (assessments, meetings, Panorama, SSO) ---------------------


async def assessment_lesson(ctx: Ctx, kind: str = "Quiz", title: str = "Final quiz") -> Lesson:
    """A course with one chapter holding one lesson of `kind` (Quiz, Survey, Assignment...)."""
    created = await course(ctx)
    holder = await catalog.add_chapter(ctx, created.id, "Assessments")
    return await catalog.add_lesson(ctx, holder.id, title, kind=kind)


async def meeting(ctx: Ctx, course_id: int, starts_in_hours: int = 24, **kwargs: Any) -> Any:
    from datetime import timedelta  # noqa: PLC0415

    from coursegate.domain import meetings  # noqa: PLC0415

    start = ctx.clock.now() + timedelta(hours=starts_in_hours)
    title = kwargs.pop("title", f"Session {next(_n)}")
    return await meetings.create_meeting(ctx, course_id, title, start, start + timedelta(hours=2), **kwargs)


async def client(ctx: Ctx, **overrides: Any) -> Any:
    from coursegate.domain import panorama  # noqa: PLC0415

    n = next(_n)
    return await panorama.create_client(ctx, {"name": f"Client {n}", "slug": f"client-{n}", **overrides})


async def license(ctx: Ctx, client_uuid: str, **overrides: Any) -> Any:  # noqa: A001
    from coursegate.domain import panorama  # noqa: PLC0415

    n = next(_n)
    data = panorama.LicenseData(client_uuid=client_uuid, name=f"License {n}", **overrides)
    data.sent = frozenset({"name", *overrides})
    data.seats_limit_sent = "seats_limit" in overrides
    return await panorama.create_license(ctx, data)


async def events_of(ctx: Ctx, event_type: str, subject_uuid: str | None = None) -> list[dict[str, Any]]:
    from coursegate.store.event_reads import EventReader  # noqa: PLC0415

    async with ctx.reading() as u:
        return await EventReader(u).of_type(event_type, subject_uuid)
