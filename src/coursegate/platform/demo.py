"""A small, realistic demo catalogue, built through the domain services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from coursegate.domain import catalog, learning, people
from coursegate.domain.context import Ctx
from coursegate.store.catalog import CustomFieldRepo

CUSTOM_FIELDS = [
    ("difficulty", "Difficulty", "text"),
    ("estimatedHours", "Estimated hours", "number"),
]

COURSES: list[dict[str, Any]] = [
    {
        "title": "Introduction to Platform APIs",
        "course_type": "course",
        "status": "published",
        "description": "<p>Authentication, pagination and webhooks, end to end.</p>",
        "authors": ["Jane Doe"],
        "tags": ["api", "integration"],
        "custom_fields": {"difficulty": "beginner", "estimatedHours": 2},
        "price_cents": 4900,
        "chapters": {
            "Getting started": ["Welcome", "Your first API key", "Making a request"],
            "Working with lists": ["Pagination", "Filtering", "Quiz: lists"],
        },
    },
    {
        "title": "Advanced Integration Patterns",
        "course_type": "course",
        "status": "published",
        "description": "<p>Idempotency, retries and event feeds for production integrations.</p>",
        "authors": ["Jane Doe", "John Smith"],
        "tags": ["integration", "advanced"],
        "external_id": "EXT-COURSE-042",
        "custom_fields": {"difficulty": "advanced", "estimatedHours": 4},
        "price_cents": 9900,
        "chapters": {
            "Reliable delivery": ["Webhooks", "Signatures", "Retries"],
            "Keeping in sync": ["Event feeds", "Cursors", "Backfills"],
            "Wrap-up": ["Checklist"],
        },
    },
    {
        "title": "Security Awareness Essentials",
        "course_type": "video",
        "status": "published",
        "description": "<p>Phishing, passwords and safe browsing in twenty minutes.</p>",
        "authors": ["Priya Patel"],
        "tags": ["compliance", "security"],
        "is_free": True,
        "chapters": {"Essentials": ["Phishing", "Passwords", "Safe browsing"]},
    },
    {
        "title": "Leading Remote Teams",
        "course_type": "webinar",
        "status": "draft",
        "description": "<p>A live session on rituals, trust and async communication.</p>",
        "authors": ["Alex Morgan"],
        "tags": ["leadership"],
        "chapters": {"Live session": ["Pre-reading", "Recording"]},
    },
]

USERS = [
    ("Bob", "Smith", "bob@example.com"),
    ("Alice", "Nguyen", "alice@example.com"),
    ("Carlos", "Mendes", "carlos@example.com"),
    ("Dana", "Kim", "dana@example.com"),
    ("Eve", "Okafor", "eve@example.com"),
    ("Farah", "Haddad", "farah@example.com"),
]


async def seed_demo(ctx: Ctx, advance: Callable[[int], None] = lambda _n: None) -> None:
    async with ctx.writing() as u:
        known = await CustomFieldRepo(u).keys()
        for key, label, field_type in CUSTOM_FIELDS:
            if key not in known:
                await CustomFieldRepo(u).add(key, label, field_type)
    course_ids: list[int] = []
    for spec in COURSES:
        data = {k: v for k, v in spec.items() if k != "chapters"}
        course = await catalog.create_course(ctx, data)
        course_ids.append(course.id)
        chapters = spec["chapters"]
        assert isinstance(chapters, dict)
        for chapter_title, lessons in chapters.items():
            chapter = await catalog.add_chapter(ctx, course.id, chapter_title)
            for lesson_title in lessons:
                kind = "Quiz" if lesson_title.startswith("Quiz") else "Lesson"
                await catalog.add_lesson(
                    ctx,
                    chapter.id,
                    lesson_title,
                    kind=kind,
                    free_preview=lesson_title == "Welcome",
                    duration_seconds=300,
                )
        advance(1)
    now = ctx.clock.now()
    for index, (first, last, email) in enumerate(USERS):
        user = await people.create_user(
            ctx, {"first_name": first, "last_name": last, "email": email}
        )
        for offset, course_id in enumerate(course_ids[: 1 + index % 3]):
            trial = (index + offset) % 4 == 3
            await learning.create_enrollment(
                ctx,
                user.id,
                course_id,
                activated_at=None if trial else now - timedelta(days=index),
                expiry_date=None,
            )
        advance(1)


DEMO_STEPS = len(COURSES) + len(USERS)
