"""The platform's own checkout (purchase), the orders it writes, and external orders that
other systems report (stored only: they neither enroll nor appear among orders)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from coursegate.domain.access import grant_course, has_full_access
from coursegate.domain.commerce_models import (
    DAYS_MAX,
    EXTERNAL_ORDER_TYPES,
    INT32_MAX,
    Coupon,
    ExternalOrder,
    Order,
    Promotion,
    storable,
    valid_id,
)
from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, NotFound, Problem
from coursegate.domain.models import Page, Product, User
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.catalog import CourseRepo, ProductRepo
from coursegate.store.commerce import CouponRepo, ExternalOrderRepo, OrderRepo
from coursegate.store.database import Unit
from coursegate.store.learning import EnrollmentRepo
from coursegate.store.people import UserRepo

PURCHASE_SOURCE = "purchase"


def order_snapshot(o: Order, buyer: User | None = None) -> dict[str, Any]:
    """What an order event carries: enough for a vendor webhook (order.created) without
    another read."""
    return {
        "id": o.id,
        "uuid": o.uuid,
        "order_number": o.id,
        "user_id": o.user_id,
        "user_email": o.user_email,
        "user": None
        if buyer is None
        else {
            "id": buyer.id,
            "uuid": buyer.uuid,
            "email": buyer.email,
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
        },
        "billing_name": o.user_name,
        "product_id": o.product_id,
        "product_name": o.product_name,
        "payment_type": "one-time",
        "list_price_cents": o.list_price_cents,
        "discount_cents": o.discount_cents,
        "amount_cents": o.amount_cents,
        "currency": o.currency,
        "coupon_id": o.coupon_id,
        "coupon_code": o.coupon_code,
        "promotion_id": o.promotion_id,
        "coupon": None
        if o.coupon_id is None
        else {
            "id": o.coupon_id,
            "code": o.coupon_code,
            "promotion_id": o.promotion_id,
        },
        "affiliate_referral_code": o.affiliate_referral_code,
        "status": o.status,
        "items": o.items,
        "created_at": o.created_at,
    }


async def _usable_coupon(u: Unit, code: str, product: Product) -> Coupon:
    """The coupon for a code if it may be used on this product now (uses are taken later)."""
    coupon = await CouponRepo(u).get_by_code(code) if storable(code) else None
    if coupon is None or coupon.promotion is None:
        raise Invalid.one("coupon_code", "not_found", resource="coupon")
    promotion: Promotion = coupon.promotion
    if not promotion.applies_to(product.id):
        raise Invalid.one("coupon_code", "not_allowed", reason="does not apply to this product")
    if promotion.starts_at is not None and u.now < promotion.starts_at:
        raise Invalid.one("coupon_code", "not_allowed", reason="is not active yet")
    if promotion.expires_at is not None and u.now >= promotion.expires_at:
        raise Invalid.one("coupon_code", "not_allowed", reason="has expired")
    if coupon.exhausted:
        raise Invalid.one("coupon_code", "not_allowed", reason="has been fully redeemed")
    return coupon


async def _enroll_for(u: Unit, user_id: int, product: Product) -> str | None:
    """Full access to what the product sells; returns the course uuid for the event, if any."""
    expiry = (
        u.now + timedelta(days=product.days_until_expiry)
        if product.days_until_expiry is not None
        else None
    )
    if product.productable_type == "Course":
        grant = await grant_course(u, user_id, product.productable_id, expiry, PURCHASE_SOURCE)
        return grant.enrollment.course.uuid if grant.enrollment.course else None
    if product.productable_type == "Bundle":
        # The bundles module is written on another branch; imported here so that this module
        # loads without it, and a build without it refuses bundle sales cleanly.
        try:
            from coursegate.domain.bundles import enroll_in_bundle
        except ImportError:
            raise Invalid.one(
                "product_id", "not_allowed", reason="bundles cannot be sold yet"
            ) from None

        await enroll_in_bundle(
            u,
            user_id,
            product.productable_id,
            activated_at=u.now,
            expiry_date=expiry,
            source=PURCHASE_SOURCE,
        )
        return None
    raise Invalid.one("product_id", "not_allowed", reason="cannot be purchased")


async def _owns_already(u: Unit, user_id: int, product: Product) -> bool:
    if product.productable_type != "Course":
        return False
    await OrderRepo(u).lock_access(user_id, product.productable_id)
    existing = await EnrollmentRepo(u).for_user_course(user_id, product.productable_id)
    return has_full_access(existing, u.now)


async def purchase_in(
    u: Unit, *, user_id: int, product_id: int, coupon_code: str | None = None
) -> Order:
    """Checkout inside an open transaction: validate, take one coupon use, write the order,
    grant access. Any failure rolls back all of it, the coupon use included."""
    problems = Collector()
    user = await UserRepo(u).get(user_id) if valid_id(user_id) else None
    if user is None:
        problems.add("user_id", "not_found", resource="user")
    product = await ProductRepo(u).get(product_id) if valid_id(product_id) else None
    if product is None:
        problems.add("product_id", "not_found", resource="product")
    problems.raise_if_any()
    assert user is not None and product is not None
    if product.status != "published":
        raise Invalid.one("product_id", "not_allowed", reason="is not published")
    if await _owns_already(u, user_id, product):
        raise Duplicate(Problem("product_id", "already_enrolled"))
    coupon = None
    discount = 0
    if coupon_code is not None and coupon_code.strip():
        coupon = await _usable_coupon(u, coupon_code, product)
        assert coupon.promotion is not None
        discount = coupon.promotion.discount_on(product.price_cents)
        if not await CouponRepo(u).take_one_use(coupon.id, u.now):
            # Another checkout took the last use between our read and our update.
            raise Invalid.one("coupon_code", "not_allowed", reason="has been fully redeemed")
    amount = product.price_cents - discount
    repo = OrderRepo(u)
    order_id = await repo.create(
        {
            "uuid": new_uuid(),
            "user_id": user.id,
            "product_id": product.id,
            "product_name": product.name,
            "list_price_cents": product.price_cents,
            "discount_cents": discount,
            "amount_cents": amount,
            "currency": product.currency,
            "coupon_id": coupon.id if coupon else None,
            "coupon_code": coupon.code if coupon else None,
            "promotion_id": coupon.promotion_id if coupon else None,
            "subscription": False,
            "status": "complete",
            "items": [
                {"product_id": product.id, "product_name": product.name, "amount_cents": amount}
            ],
            "created_at": u.now,
        }
    )
    course_uuid = await _enroll_for(u, user.id, product)
    order = await repo.get(order_id)
    assert order is not None
    await record(
        u,
        "order.created",
        "order",
        order.id,
        order.uuid,
        order_snapshot(order, user),
        user_uuid=user.uuid,
        course_uuid=course_uuid,
    )
    return order


async def purchase(
    ctx: Ctx, *, user_id: int, product_id: int, coupon_code: str | None = None
) -> Order:
    async with ctx.writing() as u:
        return await purchase_in(u, user_id=user_id, product_id=product_id, coupon_code=coupon_code)


async def product_by_uuid(ctx: Ctx, product_uuid: str) -> Product:
    async with ctx.reading() as u:
        product = await ProductRepo(u).get_by_uuid(product_uuid)
    if product is None:
        raise Invalid.one("product_id", "not_found", resource="product")
    return product


async def get_order(ctx: Ctx, order_id: int) -> Order:
    async with ctx.reading() as u:
        order = await OrderRepo(u).get(order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


async def list_orders(ctx: Ctx, offset: int, limit: int) -> Page[Order]:
    async with ctx.reading() as u:
        items, total = await OrderRepo(u).list_page(offset, limit)
    return Page(items, total)


# ---- products: prices (the catalogue creates a product with each course) ----------------------


async def set_product_price(
    ctx: Ctx,
    product_id: int,
    *,
    price_cents: int,
    currency: str = "usd",
    days_until_expiry: int | None = None,
) -> Product:
    problems = Collector()
    if not 0 <= price_cents <= INT32_MAX:
        problems.add("price_cents", "out_of_range", minimum=-1, maximum=INT32_MAX)
    if len(currency) != 3 or not currency.isalpha():
        problems.add("currency", "invalid", value=currency)
    if days_until_expiry is not None and not 1 <= days_until_expiry <= DAYS_MAX:
        problems.add("days_until_expiry", "out_of_range", minimum=0, maximum=DAYS_MAX)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = ProductRepo(u)
        product = await repo.get(product_id)
        if product is None:
            raise NotFound("product", product_id)
        values = {
            "price_cents": price_cents,
            "currency": currency.lower(),
            "days_until_expiry": days_until_expiry,
        }
        await repo.update_for_item(product.productable_type, product.productable_id, values)
        if product.productable_type == "Course":
            await CourseRepo(u).update(product.productable_id, {"price_cents": price_cents})
        updated = await repo.get(product_id)
        assert updated is not None
        await record(
            u,
            "product.updated",
            "product",
            updated.id,
            updated.uuid,
            {"id": updated.id, "uuid": updated.uuid, **values, "changed": sorted(values)},
        )
        return updated


# ---- external orders ----------------------------------------------------------------------------


def _check_transaction(problems: Collector, data: dict[str, Any], prefix: str = "") -> None:
    amount = data.get("amount")
    if amount is None:
        problems.add(f"{prefix}amount", "required")
    elif isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= INT32_MAX:
        problems.add(f"{prefix}amount", "out_of_range", minimum=-1, maximum=INT32_MAX)
    currency = data.get("currency")
    if not currency or not str(currency).strip():
        problems.add(f"{prefix}currency", "required")
    elif len(currency) != 3 or not currency.isalpha():
        problems.add(f"{prefix}currency", "invalid", value=currency)
    for name, longest in (("reference", 255), ("action", 64)):
        if len(data.get(name) or "") > longest:
            problems.add(f"{prefix}{name}", "too_long", count=longest)


def _transaction_values(u: Unit, order_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "external_order_id": order_id,
        "kind": kind,
        "amount": data["amount"],
        "currency": data["currency"].upper(),
        "reference": data.get("reference"),
        "action": data.get("action"),
        "created_at": u.now,
    }


def external_snapshot(order: ExternalOrder) -> dict[str, Any]:
    return {
        "id": order.id,
        "uuid": order.uuid,
        "user_id": order.user_id,
        "product_id": order.product_id,
        "payment_provider": order.payment_provider,
        "order_type": order.order_type,
        "transactions": [
            {"kind": t.kind, "amount": t.amount, "currency": t.currency, "reference": t.reference}
            for t in order.transactions
        ],
    }


async def create_external_order(ctx: Ctx, data: dict[str, Any]) -> ExternalOrder:
    problems = Collector()
    provider = data.get("payment_provider")
    if not provider or not str(provider).strip():
        problems.add("payment_provider", "required")
    elif len(provider) > 255:
        problems.add("payment_provider", "too_long", count=255)
    for name in ("user_id", "product_id"):
        if data.get(name) is None:
            problems.add(name, "required")
    order_type = data.get("order_type")
    if not order_type:
        problems.add("order_type", "required")
    elif order_type not in EXTERNAL_ORDER_TYPES:
        problems.add("order_type", "invalid_choice", value=order_type, choices=EXTERNAL_ORDER_TYPES)
    transaction = data.get("transaction")
    if transaction is not None:
        _check_transaction(problems, transaction, "transaction.")
    problems.raise_if_any()
    async with ctx.writing() as u:
        user_id, product_id = data["user_id"], data["product_id"]
        if not valid_id(user_id) or await UserRepo(u).get(user_id) is None:
            problems.add("user_id", "not_found", resource="user")
        if not valid_id(product_id) or await ProductRepo(u).get(product_id) is None:
            problems.add("product_id", "not_found", resource="product")
        problems.raise_if_any()
        repo = ExternalOrderRepo(u)
        order_id = await repo.create(
            {
                "uuid": new_uuid(),
                "user_id": data["user_id"],
                "product_id": data["product_id"],
                "payment_provider": str(provider).strip(),
                "order_type": order_type,
                "created_at": u.now,
            }
        )
        if transaction is not None:
            await repo.add_transaction(_transaction_values(u, order_id, "purchase", transaction))
        order = await repo.get(order_id)
        assert order is not None
        await record(
            u,
            "external_order.created",
            "external_order",
            order.id,
            order.uuid,
            external_snapshot(order),
        )
        return order


def _net_paid(order: ExternalOrder, currency: str) -> int:
    sign = {"purchase": 1, "refund": -1}
    return sum(sign[t.kind] * t.amount for t in order.transactions if t.currency == currency)


async def add_external_transaction(
    ctx: Ctx, order_id: int, kind: str, data: dict[str, Any]
) -> ExternalOrder:
    """A later charge (purchase) or a refund. A refund may not exceed what was paid in that
    currency, so the stored ledger never goes negative."""
    problems = Collector()
    _check_transaction(problems, data)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = ExternalOrderRepo(u)
        order = await repo.get(order_id)
        if order is None:
            raise NotFound("external order", order_id)
        currency = data["currency"].upper()
        if kind == "refund" and data["amount"] > _net_paid(order, currency):
            raise Invalid.one("amount", "not_allowed", reason="exceeds the amount paid")
        await repo.add_transaction(_transaction_values(u, order_id, kind, data))
        order = await repo.get(order_id)
        assert order is not None
        await record(
            u,
            f"external_order.{kind}",
            "external_order",
            order.id,
            order.uuid,
            {
                **external_snapshot(order),
                "transaction": {
                    "kind": kind,
                    "amount": data["amount"],
                    "currency": currency,
                    "reference": data.get("reference"),
                },
            },
        )
        return order


async def get_external_order(ctx: Ctx, order_id: int) -> ExternalOrder:
    async with ctx.reading() as u:
        order = await ExternalOrderRepo(u).get(order_id)
    if order is None:
        raise NotFound("external order", order_id)
    return order
