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


# ---- commerce -----------------------------------------------------------------------------------


async def priced_course(
    ctx: Ctx, price_cents: int = 5000, days_until_expiry: int | None = None, **overrides: Any
) -> Course:
    """A published course whose product sells at `price_cents`."""
    from coursegate.domain import orders  # imported here: this block is append-only

    created = await course(ctx, status="published", **overrides)
    assert created.product_id is not None
    await orders.set_product_price(ctx, created.product_id, price_cents=price_cents,
                                   days_until_expiry=days_until_expiry)  # fmt: skip
    return await catalog.get_course(ctx, created.id)


async def promotion(ctx: Ctx, **overrides: Any) -> Any:
    from coursegate.domain import commerce  # imported here: this block is append-only

    n = next(_n)
    data = {"name": f"Promo {n}", "discount_type": "percentage", "amount": 25, **overrides}
    return await commerce.create_promotion(ctx, data)


async def coupon(ctx: Ctx, promotion_id: int, **overrides: Any) -> Any:
    from coursegate.domain import commerce  # imported here: this block is append-only

    n = next(_n)
    return await commerce.create_coupon(ctx, promotion_id, {"code": f"CODE{n}", **overrides})
