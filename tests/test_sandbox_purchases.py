"""Purchases driven through the sandbox API: checkout, coupon use, order and access."""

from __future__ import annotations

from tests import builders
from tests.conftest import Tenant
from tests.sandbox_client import sb


async def test_purchase_with_a_coupon_grants_access_and_records_the_order(tenant: Tenant) -> None:
    course = await builders.priced_course(tenant.ctx)
    buyer = await builders.user(tenant.ctx)
    promotion = await builders.promotion(tenant.ctx)
    await builders.coupon(tenant.ctx, promotion.id, code="SANDBOX10", quantity=1)
    bought = await sb(
        tenant,
        "POST",
        "/purchases",
        json={"user_id": buyer.id, "product_id": course.product_id, "coupon_code": "SANDBOX10"},
    )
    assert bought.status_code == 201, bought.text
    order = bought.json()
    assert order["user_id"] == buyer.id and order["coupon_code"] == "SANDBOX10"
    assert (await tenant.tk("GET", f"/orders/{order['id']}")).json()["id"] == order["id"]
    enrolled = await tenant.tk("GET", "/enrollments", params={"query[user_id]": buyer.id})
    [enrollment] = enrolled.json()["items"]
    assert enrollment["course_id"] == course.id and enrollment["is_free_trial"] is False
    second = await builders.user(tenant.ctx)
    used_up = await sb(
        tenant,
        "POST",
        "/purchases",
        json={"user_id": second.id, "product_id": course.product_id, "coupon_code": "SANDBOX10"},
    )
    assert used_up.status_code == 422 and "coupon_code" in used_up.json()["error"]
    none_for_second = await tenant.tk("GET", "/enrollments", params={"query[user_id]": second.id})
    assert none_for_second.json()["items"] == [], "a refused checkout grants nothing"
    unknown = await sb(
        tenant, "POST", "/purchases", json={"user_id": buyer.id, "product_id": 999999}
    )
    assert unknown.status_code == 422 and "product_id" in unknown.json()["error"]
