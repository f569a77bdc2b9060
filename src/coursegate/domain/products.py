"""Products (what a course or bundle is sold as), their prices and related products, and
the publish requests that ask an administrator to put a product on sale."""

from __future__ import annotations

from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Invalid, NotFound
from coursegate.domain.models import Page, Product
from coursegate.domain.offering_models import (
    PAYMENT_TYPES,
    PRICE_INTERVALS,
    TRIAL_INTERVALS,
    ProductDetail,
    ProductPrice,
    PublishRequest,
)
from coursegate.domain.recording import record
from coursegate.domain.snapshots import course_snapshot
from coursegate.platform.ids import new_uuid
from coursegate.store.catalog import CourseRepo
from coursegate.store.database import Unit
from coursegate.store.offerings import (
    ProductCatalogRepo,
    ProductPriceRepo,
    PublishRequestRepo,
    RelatedProductRepo,
)
from coursegate.store.people import UserRepo

PUBLISH_DECISIONS = {"approve": "approved", "deny": "denied"}


def product_snapshot(p: Product) -> dict[str, Any]:
    return {
        "id": p.id,
        "uuid": p.uuid,
        "productable_type": p.productable_type,
        "productable_id": p.productable_id,
        "name": p.name,
        "slug": p.slug,
        "status": p.status,
        "private": p.private,
        "hidden": p.hidden,
        "price_cents": p.price_cents,
    }


async def load_product(u: Unit, product_id: int) -> Product:
    product = await ProductCatalogRepo(u).get(product_id)
    if product is None:
        raise NotFound("product", product_id)
    return product


async def list_products(ctx: Ctx, offset: int, limit: int) -> Page[ProductDetail]:
    async with ctx.reading() as u:
        repo = ProductCatalogRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def get_product(ctx: Ctx, product_id: int) -> ProductDetail:
    async with ctx.reading() as u:
        product = await load_product(u, product_id)
        return (await ProductCatalogRepo(u).details([product]))[0]


async def related_products(
    ctx: Ctx, product_id: int, offset: int, limit: int
) -> Page[ProductDetail]:
    async with ctx.reading() as u:
        await load_product(u, product_id)
        repo = ProductCatalogRepo(u)
        stmt = repo.related_to(product_id)
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


def _check_price(data: dict[str, Any]) -> dict[str, Any]:
    problems = Collector()
    payment_type = data.get("payment_type", "one-time")
    if payment_type not in PAYMENT_TYPES:
        problems.add("payment_type", "invalid_choice", value=payment_type, choices=PAYMENT_TYPES)
    price_cents = 0 if payment_type == "free" else data.get("price_cents", 0)
    if not isinstance(price_cents, int) or price_cents < 0:
        problems.add("price_cents", "out_of_range", minimum=0, maximum="infinity")
    is_primary = bool(data.get("is_primary", False))
    if not is_primary and not (data.get("label") or "").strip():
        problems.add("label", "required")
    interval = data.get("interval")
    if payment_type in ("subscription", "payment-plan"):
        if interval not in PRICE_INTERVALS:
            problems.add("interval", "invalid_choice", value=interval, choices=PRICE_INTERVALS)
    elif interval is not None:
        problems.add("interval", "not_allowed")
    if payment_type == "payment-plan" and not data.get("number_of_payments"):
        problems.add("number_of_payments", "required")
    trial = data.get("trial_interval")
    if trial is not None and trial not in TRIAL_INTERVALS:
        problems.add("trial_interval", "invalid_choice", value=trial, choices=TRIAL_INTERVALS)
    problems.raise_if_any()
    recurring = payment_type in ("subscription", "payment-plan")
    return {
        "payment_type": payment_type,
        "price_cents": price_cents,
        "currency": str(data.get("currency", "usd")).lower(),
        "label": data.get("label"),
        "is_primary": is_primary,
        "days_until_expiry": data.get("days_until_expiry"),
        "pay_button_text": data.get("pay_button_text"),
        "number_of_payments": data.get("number_of_payments"),
        "interval": interval,
        "interval_count": data.get("interval_count", 1) if recurring else None,
        "trial_interval": trial,
        "trial_interval_count": data.get("trial_interval_count"),
        "custom_first_price_cents": data.get("custom_first_price_cents"),
    }


async def add_price(ctx: Ctx, product_id: int, data: dict[str, Any]) -> ProductPrice:
    """Add a pricing option. A primary price replaces the previous primary one and sets the
    product's headline price and access length."""
    values = _check_price(data)
    async with ctx.writing() as u:
        product = await load_product(u, product_id)
        prices = ProductPriceRepo(u)
        if values["is_primary"]:
            await prices.clear_primary(product_id)
            await ProductCatalogRepo(u).update_row(
                product_id,
                {
                    "price_cents": values["price_cents"],
                    "currency": values["currency"],
                    "days_until_expiry": values["days_until_expiry"],
                },
            )
        price_id = await prices.create(
            {**values, "uuid": new_uuid(), "product_id": product_id, "created_at": u.now}
        )
        price = await prices.get(price_id)
        assert price is not None
        await record(
            u,
            "product.updated",
            "product",
            product.id,
            product.uuid,
            {
                **product_snapshot(product),
                "changed": ["product_prices"],
                "price": {"id": price.id, **values},
            },
        )
        return price


async def set_related(ctx: Ctx, product_id: int, related_ids: list[int]) -> None:
    related = list(dict.fromkeys(r for r in related_ids if r != product_id))
    async with ctx.writing() as u:
        product = await load_product(u, product_id)
        missing = set(related) - await ProductCatalogRepo(u).existing_ids(related)
        if missing:
            raise Invalid.one("related_product_ids", "not_found", resource="product")
        await RelatedProductRepo(u).replace(product_id, related)
        await record(
            u,
            "product.updated",
            "product",
            product.id,
            product.uuid,
            {
                **product_snapshot(product),
                "changed": ["related_product_ids"],
                "related_product_ids": related,
            },
        )


# ---- publish requests -----------------------------------------------------------------------


def _request_snapshot(r: PublishRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "uuid": r.uuid,
        "product_id": r.product_id,
        "status": r.status,
        "requesting_user_id": r.requesting_user_id,
        "responding_user_id": r.responding_user_id,
        "response_text": r.response_text,
        "completed_at": r.completed_at,
    }


async def request_publish(ctx: Ctx, product_id: int, requesting_user_id: int) -> PublishRequest:
    """A (course admin) user asks for a product to be published."""
    async with ctx.writing() as u:
        await load_product(u, product_id)
        if await UserRepo(u).get(requesting_user_id) is None:
            raise Invalid.one("user_id", "not_found", resource="user")
        repo = PublishRequestRepo(u)
        request_id = await repo.create(
            {
                "uuid": new_uuid(),
                "product_id": product_id,
                "status": "pending",
                "requesting_user_id": requesting_user_id,
                "created_at": u.now,
                "updated_at": u.now,
            }
        )
        request = await repo.get(request_id)
        assert request is not None
        await record(
            u,
            "product_publish_request.created",
            "product_publish_request",
            request.id,
            request.uuid,
            _request_snapshot(request),
        )
        return request


async def list_publish_requests(ctx: Ctx, offset: int, limit: int) -> Page[PublishRequest]:
    async with ctx.reading() as u:
        repo = PublishRequestRepo(u)
        stmt = repo.pending()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def get_publish_request(ctx: Ctx, request_id: int) -> PublishRequest:
    async with ctx.reading() as u:
        request = await PublishRequestRepo(u).get(request_id)
    if request is None:
        raise NotFound("product_publish_request", request_id)
    return request


async def decide_publish_request(
    ctx: Ctx,
    request_id: int,
    decision: str,
    *,
    responding_user_id: int | None,
    response_text: str | None,
    notify_requester: bool,
) -> PublishRequest:
    """Approve (which publishes the product) or deny a pending request."""
    status = PUBLISH_DECISIONS[decision]
    async with ctx.writing() as u:
        repo = PublishRequestRepo(u)
        request = await repo.get(request_id)
        if request is None:
            raise NotFound("product_publish_request", request_id)
        problems = Collector()
        if responding_user_id is None:
            problems.add("user_id", "required")
        elif await UserRepo(u).get(responding_user_id) is None:
            problems.add("user_id", "not_found", resource="user")
        if request.status != "pending":
            problems.add("status", "not_allowed", reason="has already been handled")
        problems.raise_if_any()
        await repo.update(
            request_id,
            {
                "status": status,
                "responding_user_id": responding_user_id,
                "response_text": response_text,
                "notify_requester": notify_requester,
                "completed_at": u.now,
                "updated_at": u.now,
            },
        )
        if status == "approved":
            await _publish(u, request.product_id)
        decided = await repo.get(request_id)
        assert decided is not None
        await record(
            u,
            f"product_publish_request.{status}",
            "product_publish_request",
            decided.id,
            decided.uuid,
            _request_snapshot(decided),
        )
        return decided


async def _publish(u: Unit, product_id: int) -> None:
    product = await load_product(u, product_id)
    if product.status == "published":
        return
    await ProductCatalogRepo(u).set_status(product_id, "published")
    if product.productable_type == "Course":
        # The course is what learners see; it follows its product.
        courses = CourseRepo(u)
        course = await courses.get(product.productable_id)
        if course is not None and course.status != "published":
            values: dict[str, Any] = {"status": "published", "updated_at": u.now}
            if course.published_at is None:
                values["published_at"] = u.now
            await courses.update(course.id, values)
            published_course = await courses.get(course.id)
            assert published_course is not None
            await record(
                u,
                "course.updated",
                "course",
                course.id,
                course.uuid,
                {**course_snapshot(published_course), "changed": sorted(values)},
                course_uuid=course.uuid,
            )
    published = await load_product(u, product_id)
    await record(
        u,
        "product.updated",
        "product",
        published.id,
        published.uuid,
        {**product_snapshot(published), "changed": ["status"]},
    )
