"""Categories (`/collections`) and memberships (`/collection_memberships`)."""

from __future__ import annotations

from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


async def test_category_lifecycle_and_memberships(tenant: Tenant, api: Checked) -> None:
    a = await builders.course(tenant.ctx, title="Knitting")
    b = await builders.course(tenant.ctx, title="Weaving")
    created = await api(
        tenant,
        "POST",
        "/collections",
        json={"name": "Crafts", "description": "Hands on", "slug": "crafts"},
    )
    assert created.status_code == 201
    category = created.json()
    assert (
        category["name"] == "Crafts"
        and category["product_ids"] == []
        and category["default"] is False
    )

    added = await api(
        tenant,
        "POST",
        f"/collection_memberships/{category['id']}",
        json={"product_ids": [a.product_id, b.product_id, a.product_id]},
    )
    assert added.status_code == 201 and added.content == b""
    again = await api(
        tenant,
        "POST",
        f"/collection_memberships/{category['id']}",
        json={"product_ids": [a.product_id]},
    )
    assert again.status_code == 201
    shown = (await api(tenant, "GET", f"/collections/{category['id']}")).json()
    assert shown["product_ids"] == [a.product_id, b.product_id]
    products = (await api(tenant, "GET", f"/collections/{category['id']}/products")).json()
    assert [p["name"] for p in products["items"]] == ["Knitting", "Weaving"]
    assert (await api(tenant, "GET", f"/products/{a.product_id}")).json()["collection_ids"] == [
        category["id"]
    ]

    removed = await api(
        tenant,
        "DELETE",
        f"/collection_memberships/{category['id']}",
        json={"product_ids": [a.product_id]},
    )
    assert removed.status_code == 204
    assert (await api(tenant, "GET", f"/collections/{category['id']}")).json()["product_ids"] == [
        b.product_id
    ]

    put = await api(
        tenant,
        "PUT",
        f"/collections/{category['id']}",
        json={"name": "Textiles", "description": "Threads", "slug": "textiles"},
    )
    assert put.status_code == 204
    listing = (await api(tenant, "GET", "/collections")).json()
    assert [(c["name"], c["slug"]) for c in listing["items"]] == [("Textiles", "textiles")]

    deleted = await api(tenant, "DELETE", f"/collections/{category['id']}")
    assert deleted.status_code == 204
    assert (await api(tenant, "GET", f"/collections/{category['id']}")).status_code == 404
    assert (await api(tenant, "GET", f"/products/{b.product_id}")).json()["collection_ids"] == []


async def test_category_validation(tenant: Tenant, api: Checked) -> None:
    await builders.category(tenant.ctx, slug="taken")
    blank = await api(tenant, "POST", "/collections", json={"name": "", "slug": "x"})
    assert blank.status_code == 422
    assert blank.json()["errors"] == {"name": ["can't be blank"], "description": ["can't be blank"]}
    duplicate = await api(
        tenant, "POST", "/collections", json={"name": "N", "description": "", "slug": "taken"}
    )
    assert duplicate.status_code == 422 and duplicate.json() == {
        "errors": {"slug": ["has already been taken"]}
    }
    bad_slug = await api(
        tenant, "POST", "/collections", json={"name": "N", "description": "", "slug": "Not A Slug"}
    )
    assert bad_slug.status_code == 422 and "slug" in bad_slug.json()["errors"]
    too_long = await api(
        tenant, "POST", "/collections", json={"name": "n" * 256, "description": "", "slug": "s"}
    )
    assert too_long.status_code == 422 and "name" in too_long.json()["errors"]
    assert (await api(tenant, "GET", "/collections")).json()["meta"]["pagination"][
        "total_items"
    ] == 1


async def test_categories_are_per_site(tenant: Tenant, other_tenant: Tenant, api: Checked) -> None:
    theirs = await builders.category(other_tenant.ctx, slug="shared-slug")
    their_course = await builders.course(other_tenant.ctx)
    mine = await builders.category(tenant.ctx, slug="shared-slug")  # slugs are unique per site only
    for method, path in (
        ("GET", f"/collections/{theirs.id}"),
        ("GET", f"/collections/{theirs.id}/products"),
        ("DELETE", f"/collections/{theirs.id}"),
    ):
        response = await api(tenant, method, path)
        assert response.status_code == 404 and response.json() == {"error": "Record not found."}
    foreign_product = await api(
        tenant,
        "POST",
        f"/collection_memberships/{mine.id}",
        json={"product_ids": [their_course.product_id]},
    )
    assert foreign_product.status_code == 404
    foreign_category = await api(
        tenant, "POST", f"/collection_memberships/{theirs.id}", json={"product_ids": []}
    )
    assert foreign_category.status_code == 404
    listing = (await api(other_tenant, "GET", "/collections")).json()
    assert [c["id"] for c in listing["items"]] == [theirs.id]
