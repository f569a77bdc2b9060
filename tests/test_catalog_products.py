"""Products: listing with prices, categories and related products; publish requests."""

from __future__ import annotations

from coursegate.domain import catalog, products
from coursegate.domain.errors import Invalid
from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


async def test_every_course_is_a_product_with_its_prices(tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx, title="Pottery", keywords="clay,wheel")
    assert course.product_id is not None
    await builders.price(tenant.ctx, course.product_id, price_cents=4999, days_until_expiry=30)
    await builders.price(
        tenant.ctx,
        course.product_id,
        payment_type="subscription",
        price_cents=900,
        interval="month",
        is_primary=False,
        label="Monthly",
    )

    response = await api(tenant, "GET", f"/products/{course.product_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["productable_type"] == "Course" and body["productable_id"] == course.id
    assert body["name"] == "Pottery" and body["keywords"] == "clay,wheel"
    assert body["price"] == 49.99 and body["subscription"] is True
    assert body["days_until_expiry"] == 30
    primary, monthly = body["product_prices"]
    assert primary["is_primary"] is True and primary["price"] == "49.99"
    assert primary["price_name"] == "Pottery" and primary["days_until_expiry"] == "30"
    assert monthly["payment_type"] == "subscription" and monthly["price"] == "9.00"
    assert monthly["price_name"] == "Pottery - Monthly" and monthly["interval"] == "month"
    assert monthly["interval_count"] == "1" and monthly["currency"] == "usd"

    listing = await api(tenant, "GET", "/products")
    assert [p["id"] for p in listing.json()["items"]] == [course.product_id]
    assert listing.json()["meta"]["pagination"]["total_items"] == 1


async def test_a_second_primary_price_replaces_the_first(tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx)
    assert course.product_id is not None
    await builders.price(tenant.ctx, course.product_id, price_cents=1000)
    await builders.price(tenant.ctx, course.product_id, payment_type="free")
    body = (await api(tenant, "GET", f"/products/{course.product_id}")).json()
    assert [p["is_primary"] for p in body["product_prices"]] == [True, False]
    assert body["product_prices"][0]["payment_type"] == "free"
    assert body["product_prices"][0]["price"] == "0.00" and body["price"] == 0


async def test_price_rules_are_checked_before_writing(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    assert course.product_id is not None
    for bad in (
        {"payment_type": "barter"},
        {"payment_type": "subscription", "is_primary": True},
        {"payment_type": "one-time", "is_primary": False},
    ):
        try:
            await products.add_price(tenant.ctx, course.product_id, bad)
        except Invalid as exc:
            assert exc.problems
        else:
            raise AssertionError(f"accepted {bad}")
    assert (await products.get_product(tenant.ctx, course.product_id)).prices == []


async def test_related_products(tenant: Tenant, api: Checked) -> None:
    a, b, c = [await builders.course(tenant.ctx) for _ in range(3)]
    assert a.product_id and b.product_id and c.product_id
    await products.set_related(tenant.ctx, a.product_id, [c.product_id, b.product_id])
    response = await api(tenant, "GET", f"/products/{a.product_id}/related")
    assert {p["id"] for p in response.json()["items"]} == {b.product_id, c.product_id}
    body = (await api(tenant, "GET", f"/products/{a.product_id}")).json()
    assert body["related_product_ids"] == [c.product_id, b.product_id]
    assert (await api(tenant, "GET", f"/products/{b.product_id}/related")).json()["items"] == []


async def test_unknown_and_foreign_products_are_not_found(
    tenant: Tenant, other_tenant: Tenant, api: Checked
) -> None:
    theirs = await builders.course(other_tenant.ctx)
    for path in (
        f"/products/{theirs.product_id}",
        f"/products/{theirs.product_id}/related",
        "/products/999999999",
        "/products/abc",
    ):
        response = await api(tenant, "GET", path)
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found."}
    assert (await api(tenant, "GET", "/products")).json()["items"] == []


async def test_publish_request_approval_publishes_the_product(tenant: Tenant, api: Checked) -> None:
    admin = await builders.user(tenant.ctx, roles=["site_admin"])
    author = await builders.user(tenant.ctx, roles=["course_admin"])
    course = await builders.course(tenant.ctx)
    other = await builders.course(tenant.ctx)
    assert course.product_id and other.product_id
    first = await builders.publish_request(tenant.ctx, course.product_id, author.id)
    second = await builders.publish_request(tenant.ctx, other.product_id, author.id)

    pending = (await api(tenant, "GET", "/product_publish_requests")).json()["items"]
    assert [(r["id"], r["status"]) for r in pending] == [
        (first.id, "pending"),
        (second.id, "pending"),
    ]

    approve = await api(
        tenant,
        "POST",
        f"/product_publish_requests/{first.id}/approve",
        json={"user_id": admin.id, "response_text": "Looks great"},
    )
    assert approve.status_code == 200 and approve.content == b""
    deny = await api(
        tenant,
        "POST",
        f"/product_publish_requests/{second.id}/deny",
        json={"user_id": admin.id, "response_text": "Needs work"},
    )
    assert deny.status_code == 200

    done = (await api(tenant, "GET", f"/product_publish_requests/{first.id}")).json()
    assert done["status"] == "approved" and done["responding_user_id"] == admin.id
    assert done["response_text"] == "Looks great" and done["completed_at"] is not None
    assert (await api(tenant, "GET", "/product_publish_requests")).json()["items"] == []
    assert (await api(tenant, "GET", f"/products/{course.product_id}")).json()[
        "status"
    ] == "published"
    assert (await api(tenant, "GET", f"/products/{other.product_id}")).json()["status"] == "draft"
    # The course follows its product: learners (and the other dialect) see it published.
    assert (await catalog.get_course(tenant.ctx, course.id)).status == "published"
    assert (await catalog.get_course(tenant.ctx, other.id)).status == "draft"
    denied = (await api(tenant, "GET", f"/product_publish_requests/{second.id}")).json()
    assert denied["status"] == "denied" and denied["response_text"] == "Needs work"


async def test_publish_decisions_need_a_known_responder_once(tenant: Tenant, api: Checked) -> None:
    author = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    assert course.product_id
    request = await builders.publish_request(tenant.ctx, course.product_id, author.id)
    path = f"/product_publish_requests/{request.id}/approve"
    missing = await api(tenant, "POST", path, json={})
    assert missing.status_code == 422 and missing.json() == {
        "errors": {"user_id": ["can't be blank"]}
    }
    unknown = await api(tenant, "POST", path, json={"user_id": 987654})
    assert unknown.status_code == 422 and "user_id" in unknown.json()["errors"]
    assert (await api(tenant, "POST", path, json={"user_id": author.id})).status_code == 200
    again = await api(
        tenant, "POST", f"/product_publish_requests/{request.id}/deny", json={"user_id": author.id}
    )
    assert again.status_code == 422 and "status" in again.json()["errors"]
    gone = await api(
        tenant, "POST", "/product_publish_requests/424242/approve", json={"user_id": author.id}
    )
    assert gone.status_code == 404


async def test_publish_requests_are_per_site(
    tenant: Tenant, other_tenant: Tenant, api: Checked
) -> None:
    their_author = await builders.user(other_tenant.ctx)
    their_course = await builders.course(other_tenant.ctx)
    assert their_course.product_id
    theirs = await builders.publish_request(
        other_tenant.ctx, their_course.product_id, their_author.id
    )
    me = await builders.user(tenant.ctx)
    assert (await api(tenant, "GET", "/product_publish_requests")).json()["items"] == []
    assert (await api(tenant, "GET", f"/product_publish_requests/{theirs.id}")).status_code == 404
    approve = await api(
        tenant, "POST", f"/product_publish_requests/{theirs.id}/approve", json={"user_id": me.id}
    )
    assert approve.status_code == 404
    still = (await api(other_tenant, "GET", f"/product_publish_requests/{theirs.id}")).json()
    assert still["status"] == "pending"
    # A request names a product and a requester of its own site.
    mine = await builders.course(tenant.ctx)
    assert mine.product_id
    try:
        await builders.publish_request(tenant.ctx, mine.product_id, their_author.id)
    except Invalid as exc:
        assert exc.problems[0].field == "user_id"
    else:
        raise AssertionError("a user of another site requested publication")
