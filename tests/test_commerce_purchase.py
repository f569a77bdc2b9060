"""The platform's checkout: coupons applied under every rule, orders written, access granted,
and coupon counters that stay exact when buyers race for the last use."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from coursegate.domain import commerce, learning, orders
from coursegate.domain.errors import Invalid
from coursegate.domain.models import EnrollmentQuery
from coursegate.store.tables.events import events
from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract


async def _buy(tenant: Tenant, user_id: int, product_id: int | None, code: str | None = None):  # type: ignore[no-untyped-def]
    body = {"user_id": user_id, "product_id": product_id, "coupon_code": code}
    return await tenant.tk("POST", "/orders", json=body)


async def _events(tenant: Tenant) -> list[tuple[str, dict[str, Any]]]:
    async with tenant.ctx.db.read() as conn:
        rows = await conn.execute(
            select(events.c.type, events.c.payload)
            .where(events.c.site_id == tenant.site.id)
            .order_by(events.c.seq)
        )
        return [(r.type, r.payload) for r in rows]


async def _event_types(tenant: Tenant) -> list[str]:
    return [kind for kind, _ in await _events(tenant)]


async def test_last_use_of_a_coupon_goes_to_exactly_one_buyer(
    tenant: Tenant, shared_dir: Path
) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=1000)
    promo = await builders.promotion(tenant.ctx, discount_type="fixed", amount=5)
    coupon = await builders.coupon(tenant.ctx, promo.id, code="ONLYONCE", quantity=1)
    buyers = [await builders.user(tenant.ctx) for _ in range(6)]

    responses = await asyncio.gather(
        *(_buy(tenant, b.id, course.product_id, "ONLYONCE") for b in buyers)
    )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422, 422, 422, 422, 422]
    for r in responses:
        if r.status_code == 422:
            assert r.json() == {"errors": {"coupon_code": ["has been fully redeemed"]}}
        else:
            assert r.json()["amount_cents"] == 500
    got = await tenant.tk("GET", f"/coupons/{coupon.id}")
    thinkific_contract(shared_dir).check("GET", f"/coupons/{coupon.id}", 200, got.content)
    assert got.json()["quantity_used"] == 1
    listed = (await tenant.tk("GET", "/orders")).json()
    assert listed["meta"]["pagination"]["total_items"] == 1
    page = await learning.list_enrollments(tenant.ctx, EnrollmentQuery(course_id=course.id), 0, 10)
    assert page.total == 1


async def test_concurrent_uses_of_an_unlimited_coupon_are_all_counted(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=1000)
    promo = await builders.promotion(tenant.ctx)
    coupon = await builders.coupon(tenant.ctx, promo.id, code="OPEN")
    buyers = [await builders.user(tenant.ctx) for _ in range(5)]
    responses = await asyncio.gather(
        *(_buy(tenant, b.id, course.product_id, "open") for b in buyers)
    )
    assert [r.status_code for r in responses] == [201] * 5
    assert (await commerce.get_coupon(tenant.ctx, coupon.id)).quantity_used == 5


async def test_coupon_rules_refuse_without_side_effects(tenant: Tenant, clock) -> None:  # type: ignore[no-untyped-def]
    course = await builders.priced_course(tenant.ctx, price_cents=4000)
    elsewhere = await builders.priced_course(tenant.ctx)
    buyer = await builders.user(tenant.ctx)
    now = tenant.ctx.clock.now()
    expired = await builders.promotion(
        tenant.ctx, starts_at=now - timedelta(days=10), expires_at=now - timedelta(days=1)
    )
    future = await builders.promotion(tenant.ctx, starts_at=now + timedelta(days=1))
    scoped = await builders.promotion(tenant.ctx, product_ids=[elsewhere.product_id])
    used_up = await builders.promotion(tenant.ctx)
    cases = {
        "OLD": (expired, "has expired"),
        "SOON": (future, "is not active yet"),
        "ELSEWHERE": (scoped, "does not apply to this product"),
        "GONE": (used_up, "has been fully redeemed"),
    }
    for code, (promo, _) in cases.items():
        await builders.coupon(
            tenant.ctx, promo.id, code=code, quantity=0 if code == "GONE" else None
        )
    for code, (_, message) in cases.items():
        response = await _buy(tenant, buyer.id, course.product_id, code)
        assert response.status_code == 422
        assert response.json() == {"errors": {"coupon_code": [message]}}
    unknown = await _buy(tenant, buyer.id, course.product_id, "NOSUCH")
    assert unknown.json() == {"errors": {"coupon_code": ["Coupon could not be found."]}}

    assert (await tenant.tk("GET", "/orders")).json()["items"] == []
    assert (
        await learning.list_enrollments(tenant.ctx, EnrollmentQuery(user_id=buyer.id), 0, 5)
    ).total == 0
    for promo in (expired, future, scoped, used_up):
        for coupon in (await commerce.list_coupons(tenant.ctx, promo.id, 0, 5)).items:
            assert coupon.quantity_used == 0
    assert "order.created" not in await _event_types(tenant)

    # Once the clock reaches the start date, the same code works.
    clock.shift = timedelta(days=2)
    assert (await _buy(tenant, buyer.id, course.product_id, "SOON")).status_code == 201


async def test_purchase_checks_user_product_and_publication(tenant: Tenant) -> None:
    draft = await builders.course(tenant.ctx)
    buyer = await builders.user(tenant.ctx)
    missing = await _buy(tenant, 999999, 999999)
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"user_id", "product_id"}
    unpublished = await _buy(tenant, buyer.id, draft.product_id)
    assert unpublished.json() == {"errors": {"product_id": ["is not published"]}}
    blank = await tenant.tk("POST", "/orders", json={})
    assert set(blank.json()["errors"]) == {"user_id", "product_id"}


async def test_purchase_grants_full_access_with_product_expiry_and_records_events(
    tenant: Tenant,
) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=2000, days_until_expiry=90)
    buyer = await builders.user(tenant.ctx)
    # A free trial first: buying turns it into full access.
    await builders.enrollment(tenant.ctx, buyer.id, course.id)
    promo = await builders.promotion(tenant.ctx, discount_type="fixed", amount=50)
    await builders.coupon(tenant.ctx, promo.id, code="BIGGER")

    order = await orders.purchase(
        tenant.ctx, user_id=buyer.id, product_id=course.product_id, coupon_code="BIGGER"
    )
    # A discount larger than the price makes the order free, never negative.
    assert order.amount_cents == 0 and order.discount_cents == 2000 and order.status == "complete"

    enrollment = (
        await learning.list_enrollments(tenant.ctx, EnrollmentQuery(user_id=buyer.id), 0, 5)
    ).items[0]
    assert not enrollment.is_free_trial
    assert enrollment.activated_at is not None and enrollment.expiry_date is not None
    assert enrollment.expiry_date - enrollment.activated_at == timedelta(days=90)

    types = await _event_types(tenant)
    assert "order.created" in types and "enrollment.activated" in types
    payload = next(p for kind, p in await _events(tenant) if kind == "order.created")
    assert payload["coupon"] == {"id": order.coupon_id, "code": "BIGGER", "promotion_id": promo.id}
    assert payload["user"]["email"] == buyer.email and payload["payment_type"] == "one-time"
    assert payload["amount_cents"] == 0 and payload["items"][0]["product_id"] == course.product_id
    assert types.index("enrollment.activated") < types.index("order.created")


async def test_new_purchase_without_coupon_charges_list_price(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=1999)
    buyer = await builders.user(tenant.ctx)
    order = await orders.purchase(tenant.ctx, user_id=buyer.id, product_id=course.product_id)
    assert order.amount_cents == 1999 and order.coupon_id is None and order.coupon_code is None
    enrollment = (
        await learning.list_enrollments(tenant.ctx, EnrollmentQuery(user_id=buyer.id), 0, 5)
    ).items[0]
    assert enrollment.expiry_date is None and enrollment.source == "purchase"
    assert "enrollment.created" in await _event_types(tenant)


async def test_product_price_validation(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    assert course.product_id is not None
    try:
        await orders.set_product_price(
            tenant.ctx, course.product_id, price_cents=-1, currency="dollars"
        )
    except Invalid as exc:
        assert {p.field for p in exc.problems} == {"price_cents", "currency"}
    else:
        raise AssertionError("a negative price was accepted")


async def test_double_checkout_over_a_trial_sells_once(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=1500)
    buyer = await builders.user(tenant.ctx)
    await builders.enrollment(tenant.ctx, buyer.id, course.id)  # a free trial
    responses = await asyncio.gather(*(_buy(tenant, buyer.id, course.product_id) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [201, 422, 422]
    assert (await tenant.tk("GET", "/orders")).json()["meta"]["pagination"]["total_items"] == 1
