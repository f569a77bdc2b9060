"""Groups, adding users to groups by name, and group analysts from both sides."""

from __future__ import annotations

import asyncio

from tests import builders
from tests.catalog_support import Checked
from tests.conftest import Tenant


async def test_groups_and_members_by_name(tenant: Tenant, api: Checked) -> None:
    created = await api(tenant, "POST", "/groups", json={"name": "Cohort A"})
    assert created.status_code == 200  # Thinkific answers 200 to a group create
    cohort = created.json()
    assert len(cohort["token"]) == 8 and cohort["token"].isalnum()
    other = await builders.group(tenant.ctx, "Cohort B")
    alice = await builders.user(tenant.ctx)
    bob = await builders.user(tenant.ctx)

    joined = await api(
        tenant,
        "POST",
        "/group_users",
        json={"user_id": alice.id, "group_names": ["Cohort A", "Cohort B"]},
    )
    assert joined.status_code == 201 and joined.content == b""
    await api(tenant, "POST", "/group_users", json={"user_id": bob.id, "group_names": ["Cohort B"]})

    in_a = (await api(tenant, "GET", f"/users?query[group_id]={cohort['id']}")).json()
    assert [u["id"] for u in in_a["items"]] == [alice.id]
    in_b = (await api(tenant, "GET", f"/users?query[group_id]={other.id}")).json()
    assert [u["id"] for u in in_b["items"]] == [alice.id, bob.id]

    unknown = await api(
        tenant,
        "POST",
        "/group_users",
        json={"user_id": bob.id, "group_names": ["Cohort A", "Nope"]},
    )
    assert unknown.status_code == 422 and unknown.json() == {
        "errors": {"group_names": ["Invalid group_names"]}
    }
    # All or nothing: Bob did not join Cohort A either.
    assert (await api(tenant, "GET", f"/users?query[group_id]={cohort['id']}")).json()["meta"][
        "pagination"
    ]["total_items"] == 1

    listing = (await api(tenant, "GET", "/groups")).json()
    assert [g["name"] for g in listing["items"]] == ["Cohort A", "Cohort B"]
    assert (await api(tenant, "GET", f"/groups/{cohort['id']}")).json() == cohort

    assert (await api(tenant, "DELETE", f"/groups/{cohort['id']}")).status_code == 204
    assert (await api(tenant, "GET", f"/groups/{cohort['id']}")).status_code == 404
    assert (await api(tenant, "GET", f"/users?query[group_id]={cohort['id']}")).json()[
        "items"
    ] == []
    assert (await api(tenant, "GET", f"/users/{alice.id}")).status_code == 200


async def test_group_validation(tenant: Tenant, api: Checked) -> None:
    await builders.group(tenant.ctx, "Taken")
    blank = await api(tenant, "POST", "/groups", json={"name": "  "})
    assert blank.status_code == 422 and blank.json() == {"errors": {"name": ["can't be blank"]}}
    duplicate = await api(tenant, "POST", "/groups", json={"name": "Taken"})
    assert duplicate.status_code == 422 and duplicate.json() == {
        "errors": {"name": ["has already been taken"]}
    }
    missing = await api(tenant, "POST", "/group_users", json={"group_names": ["Taken"]})
    assert missing.status_code == 422 and missing.json() == {
        "errors": {"user_id": ["can't be blank"]}
    }
    ghost = await api(
        tenant, "POST", "/group_users", json={"user_id": 999999, "group_names": ["Taken"]}
    )
    assert ghost.status_code == 422 and ghost.json() == {
        "errors": {"user_id": ["User could not be found."]}
    }


async def test_analysts_need_the_role_and_work_from_both_sides(
    tenant: Tenant, api: Checked
) -> None:
    analyst = await builders.user(tenant.ctx, roles=["group_analyst"])
    learner = await builders.user(tenant.ctx)
    g1 = await builders.group(tenant.ctx)
    g2 = await builders.group(tenant.ctx)

    refused = await api(
        tenant, "POST", f"/groups/{g1.id}/analysts", json={"user_ids": [analyst.id, learner.id]}
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "errors": {"group_analysts": [f"User IDs missing group_analysts role: {learner.id}"]}
    }
    assert (await api(tenant, "GET", f"/groups/{g1.id}/analysts")).json() == {"group_analysts": []}

    added = await api(tenant, "POST", f"/groups/{g1.id}/analysts", json={"user_ids": [analyst.id]})
    assert added.status_code == 201 and added.content == b""
    by_user = await api(
        tenant, "POST", f"/group_analysts/{analyst.id}/groups", json={"group_ids": [g1.id, g2.id]}
    )
    assert by_user.status_code == 201
    assert (await api(tenant, "GET", f"/groups/{g2.id}/analysts")).json() == {
        "group_analysts": [analyst.id]
    }

    bad_groups = await api(
        tenant, "POST", f"/group_analysts/{analyst.id}/groups", json={"group_ids": [g1.id, 777777]}
    )
    assert bad_groups.status_code == 422 and bad_groups.json() == {
        "errors": {"group_id": ["Invalid group IDs: 777777"]}
    }
    ghost_group = await api(
        tenant, "POST", "/groups/777777/analysts", json={"user_ids": [analyst.id]}
    )
    assert ghost_group.status_code == 422 and "group_id" in ghost_group.json()["errors"]
    ghost_user = await api(
        tenant, "POST", "/group_analysts/888888/groups", json={"group_ids": [g1.id]}
    )
    assert ghost_user.status_code == 404

    assert (
        await api(tenant, "DELETE", f"/groups/{g1.id}/analysts/{analyst.id}")
    ).status_code == 204
    assert (
        await api(tenant, "DELETE", f"/group_analysts/{analyst.id}/groups/{g2.id}")
    ).status_code == 204
    assert (await api(tenant, "GET", f"/groups/{g1.id}/analysts")).json() == {"group_analysts": []}
    twice = await api(tenant, "DELETE", f"/groups/{g1.id}/analysts/{analyst.id}")
    assert twice.status_code == 404 and twice.json() == {"error": "Record not found."}


async def test_groups_are_per_site(tenant: Tenant, other_tenant: Tenant, api: Checked) -> None:
    theirs = await builders.group(other_tenant.ctx, "Same Name")
    mine = await builders.group(tenant.ctx, "Same Name")
    me = await builders.user(tenant.ctx)
    assert (await api(tenant, "GET", f"/groups/{theirs.id}")).status_code == 404
    assert (await api(tenant, "DELETE", f"/groups/{theirs.id}")).status_code == 404
    assert (await api(tenant, "GET", f"/groups/{theirs.id}/analysts")).status_code == 404
    await api(tenant, "POST", "/group_users", json={"user_id": me.id, "group_names": ["Same Name"]})
    assert [
        u["id"]
        for u in (await api(tenant, "GET", f"/users?query[group_id]={mine.id}")).json()["items"]
    ] == [me.id]
    assert (await api(tenant, "GET", f"/users?query[group_id]={theirs.id}")).json()["items"] == []
    assert (await api(other_tenant, "GET", f"/users?query[group_id]={theirs.id}")).json()[
        "items"
    ] == []


async def test_concurrent_identical_adds_make_one_membership(tenant: Tenant, api: Checked) -> None:
    group = await builders.group(tenant.ctx, "Busy")
    user = await builders.user(tenant.ctx)
    category = await builders.category(tenant.ctx)
    course = await builders.course(tenant.ctx)
    joins = await asyncio.gather(
        *(
            api(tenant, "POST", "/group_users", json={"user_id": user.id, "group_names": ["Busy"]})
            for _ in range(5)
        )
    )
    assert [r.status_code for r in joins] == [201] * 5
    members = (await api(tenant, "GET", f"/users?query[group_id]={group.id}")).json()
    assert [u["id"] for u in members["items"]] == [user.id]
    adds = await asyncio.gather(
        *(
            api(
                tenant,
                "POST",
                f"/collection_memberships/{category.id}",
                json={"product_ids": [course.product_id]},
            )
            for _ in range(5)
        )
    )
    assert [r.status_code for r in adds] == [201] * 5
    shown = (await api(tenant, "GET", f"/collections/{category.id}")).json()
    assert shown["product_ids"] == [course.product_id]
