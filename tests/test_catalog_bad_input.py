"""Hostile input to the catalog and people operations: the vendor's 422 or 404, never a 500,
and nothing written."""

from __future__ import annotations

from tests import builders
from tests.catalog_support import Checked, event_types
from tests.conftest import Tenant

HUGE = 10**30
BEYOND_64_BITS = 2**63


async def test_ids_beyond_any_row_are_refused(tenant: Tenant, api: Checked) -> None:
    course = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [course.id])
    group = await builders.group(tenant.ctx, "G")
    category = await builders.category(tenant.ctx)
    before = await event_types(tenant)
    calls = [
        ("POST", f"/bundles/{bundle.id}/enrollments", {"user_id": BEYOND_64_BITS}),
        ("POST", "/group_users", {"user_id": HUGE, "group_names": ["G"]}),
        ("POST", f"/groups/{group.id}/analysts", {"user_ids": [BEYOND_64_BITS]}),
        ("POST", f"/collection_memberships/{category.id}", {"product_ids": [HUGE]}),
        (
            "POST",
            "/instructors",
            {"first_name": "a", "last_name": "b", "slug": "c", "user_id": HUGE},
        ),
        (
            "POST",
            f"/course_reviews?course_id={course.id}",
            {
                "rating": 5,
                "title": "t",
                "review_text": "r",
                "user_id": BEYOND_64_BITS,
                "approved": True,
            },
        ),
    ]
    for method, path, body in calls:
        # Not contract-checked: some of these operations document no 422 (see the compat notes).
        response = await tenant.tk(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert "errors" in response.json()
    for path in (f"/products/{'9' * 30}", f"/bundles/{'9' * 30}", f"/groups/{'9' * 30}/analysts"):
        assert (await api(tenant, "GET", path)).status_code == 404
    review = await api(tenant, "POST", f"/course_reviews?course_id={'9' * 30}", json={})
    assert review.status_code == 404
    assert await event_types(tenant) == before


async def test_nul_characters_are_refused(tenant: Tenant, api: Checked) -> None:
    field = await builders.profile_field(tenant.ctx, "City")
    before = await event_types(tenant)
    group = await api(tenant, "POST", "/groups", json={"name": "a\x00b"})
    assert group.status_code == 422 and "name" in group.json()["errors"]
    category = await api(
        tenant, "POST", "/collections", json={"name": "n", "description": "\x00", "slug": "s"}
    )
    assert category.status_code == 422 and "description" in category.json()["errors"]
    user = await api(
        tenant,
        "POST",
        "/users",
        json={
            "first_name": "A",
            "last_name": "B",
            "email": "nul@example.com",
            "custom_profile_fields": [
                {"custom_profile_field_definition_id": field.id, "value": "x\x00"}
            ],
        },
    )
    assert user.status_code == 422
    assert user.json() == {
        "errors": {"custom_profile_fields": ["contains a NUL character, which is not allowed"]}
    }
    assert await event_types(tenant) == before


async def test_over_long_text_is_refused(tenant: Tenant, api: Checked) -> None:
    long_url = "https://cdn.example.com/" + "a" * 3000
    instructor = await api(
        tenant,
        "POST",
        "/instructors",
        json={"first_name": "a", "last_name": "b", "slug": "c", "avatar_url": long_url},
    )
    assert instructor.status_code == 422 and "avatar_url" in instructor.json()["errors"]
    script = await api(
        tenant,
        "POST",
        "/site_scripts",
        json={
            "name": "n",
            "description": "d",
            "page_scopes": ["all"],
            "category": "functional",
            "src": long_url,
        },
    )
    assert script.status_code == 422 and "src" in script.json()["errors"]
    review = await api(
        tenant,
        "POST",
        f"/course_reviews?course_id={(await builders.course(tenant.ctx)).id}",
        json={
            "rating": 5,
            "title": "t" * 300,
            "review_text": "r",
            "user_id": (await builders.user(tenant.ctx)).id,
            "approved": True,
        },
    )
    assert review.status_code == 422 and review.json()["errors"]["title"] == [
        "is too long (maximum is 255 characters)"
    ]
