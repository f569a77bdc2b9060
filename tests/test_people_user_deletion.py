"""Deleting a user erases their reviews, group memberships, analyst roles, profile values
and enrollments (bundle ones included); what other users have is untouched."""

from __future__ import annotations

from datetime import UTC, datetime

from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


async def test_delete_user_removes_what_is_personal(tenant: Tenant, api: Checked) -> None:
    field = await builders.profile_field(tenant.ctx, "City")
    course = await builders.course(tenant.ctx)
    bundle = await builders.bundle(tenant.ctx, [course.id])
    group = await builders.group(tenant.ctx, "Team")
    leaving = (
        await api(
            tenant,
            "POST",
            "/users",
            json={
                "first_name": "Lee",
                "last_name": "Gone",
                "email": "lee@example.com",
                "roles": ["group_analyst"],
                "custom_profile_fields": [
                    {"custom_profile_field_definition_id": field.id, "value": "Rome"}
                ],
            },
        )
    ).json()
    staying = await builders.user(tenant.ctx, roles=["group_analyst"])
    for person in (leaving["id"], staying.id):
        await api(tenant, "POST", "/group_users", json={"user_id": person, "group_names": ["Team"]})
        await api(tenant, "POST", f"/groups/{group.id}/analysts", json={"user_ids": [person]})
        await api(
            tenant,
            "POST",
            f"/course_reviews?course_id={course.id}",
            json={
                "rating": 4,
                "title": "Fine",
                "review_text": "Ok",
                "user_id": person,
                "approved": True,
            },
        )
    await api(
        tenant,
        "POST",
        f"/bundles/{bundle.id}/enrollments",
        json={"user_id": leaving["id"], "activated_at": datetime.now(UTC).isoformat()},
    )

    profile = await api(
        tenant,
        "POST",
        "/instructors",
        json={"first_name": "Lee", "last_name": "G", "slug": "lee", "user_id": leaving["id"]},
    )

    assert (await api(tenant, "DELETE", f"/users/{leaving['id']}")).status_code == 204

    kept = (await api(tenant, "GET", f"/instructors/{profile.json()['id']}")).json()
    assert kept["first_name"] == "Lee" and kept["user_id"] is None

    reviews = (await api(tenant, "GET", f"/course_reviews?course_id={course.id}")).json()["items"]
    assert [r["user_id"] for r in reviews] == [staying.id]
    members = (await api(tenant, "GET", f"/users?query[group_id]={group.id}")).json()["items"]
    assert [u["id"] for u in members] == [staying.id]
    assert (await api(tenant, "GET", f"/groups/{group.id}/analysts")).json() == {
        "group_analysts": [staying.id]
    }
    assert (await api(tenant, "GET", f"/bundles/{bundle.id}/enrollments")).json()["items"] == []
    found = await api(
        tenant,
        "GET",
        "/users?query[custom_profile_field_label]=City&query[custom_profile_field_value]=Rome",
    )
    assert found.json()["items"] == []
    assert (await api(tenant, "GET", f"/users/{leaving['id']}")).status_code == 404
    # The address is free again and a new account starts clean.
    again = await api(
        tenant,
        "POST",
        "/users",
        json={"first_name": "Lee", "last_name": "Back", "email": "lee@example.com"},
    )
    assert again.status_code == 201 and again.json()["custom_profile_fields"] == []
