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
    data = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "email": f"user{n}@example.com",
        **overrides,
    }
    return await people.create_user(ctx, data)


async def course(ctx: Ctx, chapters: int = 0, lessons: int = 0, **overrides: Any) -> Course:
    n = next(_n)
    data = {"title": f"Course {n}", "course_type": "course", **overrides}
    created = await catalog.create_course(ctx, data)
    for c in range(chapters):
        chapter = await catalog.add_chapter(ctx, created.id, f"Chapter {c + 1}")
        for lesson_index in range(lessons):
            await catalog.add_lesson(
                ctx, chapter.id, f"Lesson {c + 1}.{lesson_index + 1}", duration_seconds=60
            )
    return await catalog.get_course(ctx, created.id)


async def chapter(ctx: Ctx, course_id: int, title: str = "Chapter") -> Chapter:
    return await catalog.add_chapter(ctx, course_id, title)


async def lesson(ctx: Ctx, chapter_id: int, title: str = "Lesson", **kwargs: Any) -> Lesson:
    return await catalog.add_lesson(ctx, chapter_id, title, **kwargs)


async def enrollment(
    ctx: Ctx,
    user_id: int,
    course_id: int,
    activated_at: datetime | None = None,
    expiry_date: datetime | None = None,
) -> Enrollment:
    return await learning.create_enrollment(ctx, user_id, course_id, activated_at, expiry_date)


async def custom_field(ctx: Ctx, key: str) -> None:
    async with ctx.writing() as u:
        await CustomFieldRepo(u).add(key, key, "text")


async def topic(
    ctx: Ctx, lesson_uuid: str, title: str = "Topic", topic_type: str = "text", **extra: Any
) -> Any:
    from coursegate.domain import structure

    return await structure.add_topic(
        ctx, lesson_uuid, {"title": title, "topic_type": topic_type, **extra}
    )


# ---- catalog and people around courses (tk-catalog) -----------------------------------------


async def bundle(ctx: Ctx, course_ids: list[int], **overrides: Any) -> Any:
    from coursegate.domain import bundles

    n = next(_n)
    return await bundles.create_bundle(
        ctx, overrides.pop("name", f"Bundle {n}"), course_ids=course_ids, **overrides
    )


async def price(ctx: Ctx, product_id: int, **data: Any) -> Any:
    from coursegate.domain import products

    return await products.add_price(
        ctx,
        product_id,
        {"payment_type": "one-time", "price_cents": 1999, "is_primary": True, **data},
    )


async def category(ctx: Ctx, **overrides: Any) -> Any:
    from coursegate.domain import categories

    n = next(_n)
    data = {
        "name": f"Category {n}",
        "description": f"About {n}",
        "slug": f"category-{n}",
        **overrides,
    }
    return await categories.create_category(ctx, data)


async def group(ctx: Ctx, name: str | None = None) -> Any:
    from coursegate.domain import groups

    return await groups.create_group(ctx, name or f"Group {next(_n)}")


async def profile_field(ctx: Ctx, label: str, required: bool = False) -> Any:
    from coursegate.domain import profile_fields

    return await profile_fields.define_field(ctx, label, required=required)


async def publish_request(ctx: Ctx, product_id: int, requesting_user_id: int) -> Any:
    from coursegate.domain import products

    return await products.request_publish(ctx, product_id, requesting_user_id)


# ---- commerce -----------------------------------------------------------------------------------


async def priced_course(
    ctx: Ctx, price_cents: int = 5000, days_until_expiry: int | None = None, **overrides: Any
) -> Course:
    """A published course whose product sells at `price_cents`."""
    from coursegate.domain import orders  # imported here: this block is append-only

    created = await course(ctx, status="published", **overrides)
    assert created.product_id is not None
    await orders.set_product_price(
        ctx, created.product_id, price_cents=price_cents, days_until_expiry=days_until_expiry
    )
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


# --- Thought Industries operations (assessments, meetings, Panorama, SSO) ---------------------


async def assessment_lesson(ctx: Ctx, kind: str = "Quiz", title: str = "Final quiz") -> Lesson:
    """A course with one chapter holding one lesson of `kind` (Quiz, Survey, Assignment...)."""
    created = await course(ctx)
    holder = await catalog.add_chapter(ctx, created.id, "Assessments")
    return await catalog.add_lesson(ctx, holder.id, title, kind=kind)


async def meeting(ctx: Ctx, course_id: int, starts_in_hours: int = 24, **kwargs: Any) -> Any:
    from datetime import timedelta

    from coursegate.domain import meetings

    start = ctx.clock.now() + timedelta(hours=starts_in_hours)
    title = kwargs.pop("title", f"Session {next(_n)}")
    return await meetings.create_meeting(
        ctx, course_id, title, start, start + timedelta(hours=2), **kwargs
    )


async def client(ctx: Ctx, **overrides: Any) -> Any:
    from coursegate.domain import panorama

    n = next(_n)
    return await panorama.create_client(
        ctx, {"name": f"Client {n}", "slug": f"client-{n}", **overrides}
    )


async def license(ctx: Ctx, client_uuid: str, **overrides: Any) -> Any:
    from coursegate.domain import panorama

    n = next(_n)
    data = panorama.LicenseData(client_uuid=client_uuid, name=f"License {n}", **overrides)
    data.sent = frozenset({"name", *overrides})
    data.seats_limit_sent = "seats_limit" in overrides
    return await panorama.create_license(ctx, data)


async def events_of(
    ctx: Ctx, event_type: str, subject_uuid: str | None = None
) -> list[dict[str, Any]]:
    from coursegate.store.event_reads import EventReader

    async with ctx.reading() as u:
        return await EventReader(u).of_type(event_type, subject_uuid)


async def certificate_rules(
    ctx: Ctx, course_id: int, *, enabled: bool = True, valid_days: int | None = None
) -> None:
    from coursegate.domain import certificates

    await certificates.configure_course(ctx, course_id, enabled=enabled, valid_days=valid_days)


async def drip(ctx: Ctx, chapter_id: int, release_at: datetime | None) -> Chapter:
    from coursegate.domain import progress

    return await progress.schedule_release(ctx, chapter_id, release_at)
