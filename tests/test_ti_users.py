"""Thought Industries users: list, get, create/upsert with course access, update."""

from __future__ import annotations

from tests import builders
from tests.conftest import Tenant


async def test_create_upsert_get_update(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx)
    created = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "ana@example.com",
            "firstName": "Ana",
            "lastName": "Silva",
            "externalCustomerId": "crm-1",
            "courseIds": [course.uuid],
        },
    )
    assert created.status_code == 201
    user = created.json()
    assert (
        user["name"] == "Ana Silva"
        and user["abbreviatedName"] == "Ana S."
        and user["role"] == "learner"
    )
    duplicate = await tenant.ti(
        "POST", "/users", json={"email": "ANA@example.com", "firstName": "A", "lastName": "B"}
    )
    assert duplicate.status_code == 409
    assert duplicate.json() == {"errors": ["A user with email 'ANA@example.com' already exists."]}
    upsert = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "ana@example.com",
            "lastName": "Souza",
            "upsert": True,
            "courseSlugs": [course.slug],
        },
    )
    assert (
        upsert.status_code == 200
        and upsert.json()["id"] == user["id"]
        and upsert.json()["lastName"] == "Souza"
    )
    for key in (user["id"], "ana@example.com", "crm-1"):
        fetched = await tenant.ti("GET", f"/users/{key}")
        assert fetched.status_code == 200, key
        detail = fetched.json()["data"]["UserById"]
        assert detail["id"] == user["id"]
        assert [c["courseId"] for c in detail["purchasedCourses"]] == [course.uuid]
    updated = await tenant.ti("PUT", f"/users/{user['id']}", json={"firstName": "Anna"})
    assert updated.status_code == 200 and updated.json()["firstName"] == "Anna"
    unknown_course = await tenant.ti(
        "POST",
        "/users",
        json={"email": "x@example.com", "firstName": "X", "lastName": "Y", "courseSlugs": ["nope"]},
    )
    assert unknown_course.status_code == 400
    assert (await tenant.ti("GET", "/users/x@example.com")).status_code == 404, (
        "nothing half-written"
    )
    bad = await tenant.ti(
        "POST", "/users", json={"email": "not-an-email", "firstName": "X", "lastName": "Y"}
    )
    assert bad.status_code == 400 and "email" in bad.json()["errors"][0]


async def test_list_pages_by_cursor_and_by_page(tenant: Tenant) -> None:
    for _ in range(5):
        await builders.user(tenant.ctx)
    first = (await tenant.ti("GET", "/users", params={"perPage": 2})).json()["data"]["APIUsers"]
    assert (
        first["pageInfo"]["total"] == 5
        and first["pageInfo"]["hasMore"] is True
        and len(first["users"]) == 2
    )
    walked = [u["id"] for u in first["users"]]
    cursor = first["pageInfo"]["cursor"]
    while cursor:
        page = (await tenant.ti("GET", "/users", params={"perPage": 2, "cursor": cursor})).json()[
            "data"
        ]["APIUsers"]
        walked += [u["id"] for u in page["users"]]
        cursor = page["pageInfo"]["cursor"] if page["pageInfo"]["hasMore"] else None
    assert len(walked) == len(set(walked)) == 5
    paged = (await tenant.ti("GET", "/users", params={"perPage": 2, "page": 3})).json()["data"][
        "APIUsers"
    ]
    assert (
        paged["pageInfo"]["currentPage"] == 3
        and len(paged["users"]) == 1
        and paged["pageInfo"]["hasMore"] is False
    )
    assert paged["users"][0]["id"] == walked[-1]
    learners = (await tenant.ti("GET", "/users", params={"role": "learner"})).json()["data"][
        "APIUsers"
    ]
    assert learners["pageInfo"]["total"] == 5
    admins = (await tenant.ti("GET", "/users", params={"role": "admin"})).json()["data"]["APIUsers"]
    assert admins["users"] == []
