"""Promotions, coupons, orders and external orders through the Thinkific dialect, every
response checked against Thinkific's own OpenAPI file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract


async def call(
    tenant: Tenant, shared_dir: Path, method: str, path: str, status: int, **kw: Any
) -> httpx.Response:
    response = await tenant.tk(method, path, **kw)
    assert response.status_code == status, response.text
    thinkific_contract(shared_dir).check(method, path, status, response.content)
    return response


async def test_promotion_crud_round_trip(tenant: Tenant, shared_dir: Path) -> None:
    course = await builders.priced_course(tenant.ctx)
    body = {
        "name": "Spring sale",
        "description": "Ten dollars off",
        "discount_type": "fixed",
        "amount": 10,
        "starts_at": "2026-01-01T00:00:00Z",
        "expires_at": "2027-01-01T00:00:00Z",
        "product_ids": [course.product_id],
        "duration": 3,
    }
    created = (await call(tenant, shared_dir, "POST", "/promotions", 201, json=body)).json()
    assert created["name"] == "Spring sale" and created["amount"] == 10.0
    assert created["discount_type"] == "fixed" and created["coupon_ids"] == []
    assert created["product_ids"] == [course.product_id]
    assert created["starts_at"] == "2026-01-01T00:00:00.000Z"

    pid = created["id"]
    await call(
        tenant,
        shared_dir,
        "PUT",
        f"/promotions/{pid}",
        204,
        json={"discount_type": "percentage", "amount": 15, "product_ids": []},
    )
    got = (await call(tenant, shared_dir, "GET", f"/promotions/{pid}", 200)).json()
    assert (
        got["discount_type"] == "percentage" and got["amount"] == 15.0 and got["product_ids"] == []
    )
    assert got["name"] == "Spring sale"

    listed = (await call(tenant, shared_dir, "GET", "/promotions", 200)).json()
    assert [p["id"] for p in listed["items"]] == [pid]
    assert listed["meta"]["pagination"]["total_items"] == 1

    coupon = await builders.coupon(tenant.ctx, pid)
    await call(tenant, shared_dir, "DELETE", f"/promotions/{pid}", 204)
    await call(tenant, shared_dir, "GET", f"/promotions/{pid}", 404)
    # Its coupons go with it.
    await call(tenant, shared_dir, "GET", f"/coupons/{coupon.id}", 404)
    await call(tenant, shared_dir, "DELETE", f"/promotions/{pid}", 404)


async def test_promotion_validation_names_each_field(tenant: Tenant, shared_dir: Path) -> None:
    response = await call(tenant, shared_dir, "POST", "/promotions", 422, json={})
    errors = response.json()["errors"]
    assert errors["name"] == ["can't be blank"]
    assert errors["discount_type"] == ["can't be blank"]

    for amount in (0, 100.5, -3):
        bad = await call(
            tenant,
            shared_dir,
            "POST",
            "/promotions",
            422,
            json={"name": "x", "discount_type": "percentage", "amount": amount},
        )
        assert list(bad.json()["errors"]) == ["amount"]
    wrong_type = await call(
        tenant,
        shared_dir,
        "POST",
        "/promotions",
        422,
        json={"name": "x", "discount_type": "bogus", "amount": 5},
    )
    assert wrong_type.json()["errors"]["discount_type"] == ["is not included in the list"]
    unknown = await call(
        tenant,
        shared_dir,
        "POST",
        "/promotions",
        422,
        json={"name": "x", "discount_type": "fixed", "amount": 5, "product_ids": [999999]},
    )
    assert "product_ids" in unknown.json()["errors"]
    backwards = await call(
        tenant,
        shared_dir,
        "POST",
        "/promotions",
        422,
        json={
            "name": "x",
            "discount_type": "fixed",
            "amount": 5,
            "starts_at": "2026-02-01",
            "expires_at": "2026-01-01",
        },
    )
    assert "expires_at" in backwards.json()["errors"]
    # Switching a 150-dollar fixed promotion to a percentage re-checks the amount.
    promo = await builders.promotion(tenant.ctx, discount_type="fixed", amount=150)
    switch = await call(
        tenant,
        shared_dir,
        "PUT",
        f"/promotions/{promo.id}",
        422,
        json={"discount_type": "percentage"},
    )
    assert list(switch.json()["errors"]) == ["amount"]
    listed = (await call(tenant, shared_dir, "GET", "/promotions", 200)).json()
    assert listed["meta"]["pagination"]["total_items"] == 1  # nothing half-written


async def test_coupon_crud_and_site_wide_unique_codes(tenant: Tenant, shared_dir: Path) -> None:
    promo = await builders.promotion(tenant.ctx)
    other = await builders.promotion(tenant.ctx)
    created = (
        await call(
            tenant,
            shared_dir,
            "POST",
            f"/coupons?promotion_id={promo.id}",
            201,
            json={"code": "SAVE10", "note": "launch", "quantity": 5},
        )
    ).json()
    assert (
        created["code"] == "SAVE10" and created["quantity"] == 5 and created["quantity_used"] == 0
    )
    assert created["promotion_id"] == promo.id and created["note"] == "launch"

    # The same code, in any case, is taken across the whole site.
    dup = await call(
        tenant,
        shared_dir,
        "POST",
        f"/coupons?promotion_id={other.id}",
        422,
        json={"code": "save10"},
    )
    assert dup.json() == {"errors": {"code": ["has already been taken"]}}
    blank = await call(
        tenant, shared_dir, "POST", f"/coupons?promotion_id={promo.id}", 422, json={"code": " "}
    )
    assert blank.json() == {"errors": {"code": ["can't be blank"]}}
    missing = await call(
        tenant, shared_dir, "POST", "/coupons?promotion_id=999999", 422, json={"code": "X1"}
    )
    assert "promotion_id" in missing.json()["errors"]

    cid = created["id"]
    await call(
        tenant,
        shared_dir,
        "PUT",
        f"/coupons/{cid}",
        204,
        json={"code": "SAVE20", "quantity": None, "quantity_used": "2"},
    )
    got = (await call(tenant, shared_dir, "GET", f"/coupons/{cid}", 200)).json()
    assert got["code"] == "SAVE20" and got["quantity"] is None and got["quantity_used"] == 2

    listed = (
        await call(tenant, shared_dir, "GET", f"/coupons?promotion_id={promo.id}", 200)
    ).json()
    assert [c["id"] for c in listed["items"]] == [cid]
    assert (await call(tenant, shared_dir, "GET", f"/coupons?promotion_id={other.id}", 200)).json()[
        "items"
    ] == []
    promo_body = (await call(tenant, shared_dir, "GET", f"/promotions/{promo.id}", 200)).json()
    assert promo_body["coupon_ids"] == [cid]

    no_param = await tenant.tk("GET", "/coupons")
    assert no_param.status_code == 400
    assert no_param.json() == {"error": "Parameter promotion_id is required."}

    await call(tenant, shared_dir, "DELETE", f"/coupons/{cid}", 204)
    await call(tenant, shared_dir, "GET", f"/coupons/{cid}", 404)


async def test_bulk_create_makes_1000_unique_codes(tenant: Tenant, shared_dir: Path) -> None:
    promo = await builders.promotion(tenant.ctx)
    body = {"bulk_quantity": 1000, "bulk_coupon_code_length": 6, "bulk_quantity_per_coupon": 2}
    response = await call(
        tenant, shared_dir, "POST", f"/coupons/bulk_create?promotion_id={promo.id}", 201, json=body
    )
    items = response.json()["items"]
    codes = [c["code"] for c in items]
    assert len(codes) == 1000 and len({c.lower() for c in codes}) == 1000
    assert all(len(c) == 6 and c.isalnum() for c in codes)
    assert all(c["quantity"] == 2 and c["promotion_id"] == promo.id for c in items)
    listed = (
        await call(tenant, shared_dir, "GET", f"/coupons?promotion_id={promo.id}&limit=250", 200)
    ).json()
    assert listed["meta"]["pagination"]["total_items"] == 1000
    assert len(listed["items"]) == 250

    too_many = await tenant.tk(
        "POST",
        f"/coupons/bulk_create?promotion_id={promo.id}",
        json={"bulk_quantity": 1001, "bulk_coupon_code_length": 8},
    )
    assert too_many.status_code == 422 and "bulk_quantity" in too_many.json()["errors"]
    too_short = await tenant.tk(
        "POST",
        f"/coupons/bulk_create?promotion_id={promo.id}",
        json={"bulk_quantity": 5, "bulk_coupon_code_length": 5},
    )
    assert too_short.status_code == 422 and "bulk_coupon_code_length" in too_short.json()["errors"]
    await call(
        tenant,
        shared_dir,
        "POST",
        "/coupons/bulk_create?promotion_id=999999",
        404,
        json={"bulk_quantity": 3},
    )


async def test_buy_a_course_with_a_coupon_then_see_order_enrollment_and_usage(
    tenant: Tenant, shared_dir: Path
) -> None:
    course = await builders.priced_course(tenant.ctx, price_cents=8000, days_until_expiry=30)
    buyer = await builders.user(tenant.ctx)
    promo = (
        await call(
            tenant,
            shared_dir,
            "POST",
            "/promotions",
            201,
            json={
                "name": "Quarter off",
                "discount_type": "percentage",
                "amount": 25,
                "product_ids": [course.product_id],
            },
        )
    ).json()
    coupon = (
        await call(
            tenant,
            shared_dir,
            "POST",
            f"/coupons?promotion_id={promo['id']}",
            201,
            json={"code": "QUARTER", "quantity": 10},
        )
    ).json()

    found = await call(
        tenant,
        shared_dir,
        "GET",
        f"/promotions/by_coupon?product_id={course.product_id}&coupon_code=quarter",
        200,
    )
    assert found.json()["id"] == promo["id"]

    bought = await tenant.tk(
        "POST",
        "/orders",
        json={"user_id": buyer.id, "product_id": course.product_id, "coupon_code": "QUARTER"},
    )
    assert bought.status_code == 201, bought.text
    order = bought.json()
    thinkific_contract(shared_dir).check("GET", f"/orders/{order['id']}", 200, bought.content)
    assert order["amount_cents"] == 6000 and order["amount_dollars"] == "60.0"
    assert order["coupon_code"] == "QUARTER" and order["coupon_id"] == coupon["id"]
    assert order["status"] == "complete" and order["subscription"] is False
    assert order["user_email"] == buyer.email and order["product_name"] == course.title
    assert order["items"] == [
        {
            "product_id": course.product_id,
            "product_name": course.title,
            "amount_dollars": 60.0,
            "amount_cents": 6000,
        }
    ]
    assert order["created_at"] == order["created at"]

    got = (await call(tenant, shared_dir, "GET", f"/orders/{order['id']}", 200)).json()
    assert got == order
    listed = (await call(tenant, shared_dir, "GET", "/orders", 200)).json()
    assert [o["id"] for o in listed["items"]] == [order["id"]]

    used = (await call(tenant, shared_dir, "GET", f"/coupons/{coupon['id']}", 200)).json()
    assert used["quantity_used"] == 1

    enrollments = (await tenant.tk("GET", f"/enrollments?query[user_id]={buyer.id}")).json()[
        "items"
    ]
    assert len(enrollments) == 1
    enrollment = enrollments[0]
    assert enrollment["course_id"] == course.id and enrollment["is_free_trial"] is False
    assert enrollment["activated_at"] is not None and enrollment["expiry_date"] is not None

    again = await tenant.tk(
        "POST", "/orders", json={"user_id": buyer.id, "product_id": course.product_id}
    )
    assert again.status_code == 422
    assert again.json() == {"errors": {"product_id": ["User is already enrolled in this course."]}}


async def test_by_coupon_misses_are_404(tenant: Tenant, shared_dir: Path) -> None:
    scoped_course = await builders.priced_course(tenant.ctx)
    other_course = await builders.priced_course(tenant.ctx)
    promo = await builders.promotion(tenant.ctx, product_ids=[scoped_course.product_id])
    await builders.coupon(tenant.ctx, promo.id, code="ONLYONE")
    for query in (
        f"product_id={other_course.product_id}&coupon_code=ONLYONE",
        f"product_id={scoped_course.product_id}&coupon_code=NOPE",
        "coupon_code=ONLYONE",
    ):
        response = await call(tenant, shared_dir, "GET", f"/promotions/by_coupon?{query}", 404)
        assert response.json() == {"error": "Record not found."}


async def test_external_order_with_purchase_and_refund(tenant: Tenant, shared_dir: Path) -> None:
    course = await builders.priced_course(tenant.ctx)
    buyer = await builders.user(tenant.ctx)
    body = {
        "payment_provider": "Stripe",
        "user_id": buyer.id,
        "product_id": course.product_id,
        "order_type": "subscription",
        "transaction": {"amount": 2500, "currency": "usd", "reference": "ch_1"},
    }
    created = await call(tenant, shared_dir, "POST", "/external_orders", 201, json=body)
    eid = created.json()["id"]
    assert isinstance(eid, int)
    purchase = {"amount": 2500, "currency": "USD", "reference": "ch_2", "action": "purchase"}
    await call(
        tenant,
        shared_dir,
        "POST",
        f"/external_orders/{eid}/transactions/purchase",
        200,
        json=purchase,
    )
    await call(
        tenant,
        shared_dir,
        "POST",
        f"/external_orders/{eid}/transactions/refund",
        200,
        json={"amount": 5000, "currency": "USD", "reference": "re_1"},
    )
    # Everything paid has been refunded: a further refund is refused.
    over = await tenant.tk(
        "POST", f"/external_orders/{eid}/transactions/refund", json={"amount": 1, "currency": "USD"}
    )
    assert over.status_code == 422 and "amount" in over.json()["errors"]

    from coursegate.domain import orders

    stored = await orders.get_external_order(tenant.ctx, eid)
    assert [(t.kind, t.amount) for t in stored.transactions] == [
        ("purchase", 2500),
        ("purchase", 2500),
        ("refund", 5000),
    ]
    # Stored only: no order, no enrollment.
    assert (await call(tenant, shared_dir, "GET", "/orders", 200)).json()["items"] == []
    assert (await tenant.tk("GET", f"/enrollments?query[user_id]={buyer.id}")).json()["items"] == []

    bad = await tenant.tk(
        "POST", "/external_orders", json={"user_id": buyer.id, "order_type": "gift"}
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"payment_provider", "product_id", "order_type"}
    missing = await tenant.tk(
        "POST", "/external_orders/999999/transactions/refund", json={"amount": 1, "currency": "USD"}
    )
    assert missing.status_code == 404


async def test_commerce_is_site_scoped(
    tenant: Tenant, other_tenant: Tenant, shared_dir: Path
) -> None:
    promo = await builders.promotion(tenant.ctx)
    coupon = await builders.coupon(tenant.ctx, promo.id, code="MINE")
    await call(other_tenant, shared_dir, "GET", f"/promotions/{promo.id}", 404)
    await call(other_tenant, shared_dir, "GET", f"/coupons/{coupon.id}", 404)
    assert (
        await call(other_tenant, shared_dir, "GET", f"/coupons?promotion_id={promo.id}", 200)
    ).json()["items"] == []
    # Codes are unique per site, not across sites.
    other_promo = await builders.promotion(other_tenant.ctx)
    await call(
        other_tenant,
        shared_dir,
        "POST",
        f"/coupons?promotion_id={other_promo.id}",
        201,
        json={"code": "MINE"},
    )


async def test_out_of_range_numbers_and_long_text_are_422_not_500(tenant: Tenant) -> None:
    huge = 2**70
    promo = await builders.promotion(tenant.ctx)
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        (
            "POST",
            "/promotions",
            {"name": "x", "discount_type": "fixed", "amount": 5, "duration": 2**40},
            "duration",
        ),
        (
            "POST",
            "/promotions",
            {"name": "x", "discount_type": "fixed", "amount": 5, "product_ids": [huge]},
            "product_ids",
        ),
        ("POST", "/promotions", {"name": "x", "discount_type": "fixed", "amount": 1e300}, "amount"),
        (
            "POST",
            f"/coupons?promotion_id={promo.id}",
            {"code": "BIG", "quantity": 2**40},
            "quantity",
        ),
        ("POST", "/orders", {"user_id": huge, "product_id": huge}, "user_id"),
        (
            "POST",
            "/external_orders",
            {
                "payment_provider": "p" * 300,
                "user_id": 1,
                "product_id": 1,
                "order_type": "one-time",
            },
            "payment_provider",
        ),
        (
            "POST",
            "/external_orders",
            {
                "payment_provider": "p",
                "user_id": 1,
                "product_id": 1,
                "order_type": "one-time",
                "transaction": {"amount": 2**40, "currency": "USD"},
            },
            "transaction.amount",
        ),
    ]
    for method, path, body, field in cases:
        response = await tenant.tk(method, path, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert field in response.json()["errors"], (path, response.json())
