"""Thought Industries Panorama: clients, licenses, seat limits and license assignment."""

from __future__ import annotations

import asyncio
from typing import Any

from coursegate.domain import panorama
from coursegate.domain.errors import Invalid
from tests import builders
from tests.conftest import Tenant

SWITCHES = {
    "enableSegmentation": True,
    "enableEcommerce": False,
    "enableBranding": True,
    "enableOnboardingSurvey": False,
    "enableGlobalLinks": False,
    "enableNavLinks": True,
}


async def _license_row(tenant: Tenant, uuid: str) -> Any:
    return await panorama.find_license(tenant.ctx, uuid)


async def test_create_client_returns_full_object_and_validates(tenant: Tenant) -> None:
    body = {"name": "Acme Corp", "slug": "acme", "defaultLanguage": "en-US", **SWITCHES}
    response = await tenant.ti("POST", "/clients", json=body)
    assert response.status_code == 201
    client = response.json()
    assert (
        client["name"] == "Acme Corp" and client["slug"] == "acme" and client["status"] == "active"
    )
    assert client["enableSegmentation"] is True and client["enableEcommerce"] is False
    assert client["enableDiscussions"] is False and client["defaultLanguage"] == "en-US"
    [event] = await builders.events_of(tenant.ctx, "client.created", client["id"])
    assert event["payload"]["features"]["segmentation"] is True

    missing = await tenant.ti(
        "POST", "/clients", json={"name": "B", "slug": "b", "enableBranding": True}
    )
    assert missing.status_code == 400
    assert missing.json()["errors"] == [
        f"Field '{name}' is required." for name in SWITCHES if name != "enableBranding"
    ]
    duplicate = await tenant.ti("POST", "/clients", json=body)
    assert duplicate.status_code == 409 and "slug" in duplicate.json()["errors"][0]
    for bad in (
        {"slug": "Not A Slug"},
        {"name": ""},
        {"enableNavLinks": "yes"},
        {"sku": "K" * 256},
        {"defaultLanguage": "en-" + "abcdefgh-" * 5 + "x"},
    ):
        response = await tenant.ti("POST", "/clients", json={**body, "slug": "other", **bad})
        assert response.status_code == 400, bad
    assert len(await builders.events_of(tenant.ctx, "client.created")) == 1


async def test_list_clients_query_sort_page_count(tenant: Tenant, other_tenant: Tenant) -> None:
    for name in ("Zeta Labs", "alpha Inc", "Mid Co"):
        await builders.client(tenant.ctx, name=name)
    await builders.client(other_tenant.ctx, name="Alien")
    response = await tenant.ti("GET", "/clients")
    body = response.json()["data"]["Clients"]
    assert [c["name"] for c in body["clients"]] == ["alpha Inc", "Mid Co", "Zeta Labs"]
    assert body["pageInfo"]["total"] == 3 and body["aggregations"] == []
    page = await tenant.ti("GET", "/clients", params={"sort": "name:desc", "count": 2, "page": 2})
    second = page.json()["data"]["Clients"]
    assert [c["name"] for c in second["clients"]] == ["alpha Inc"]
    assert second["pageInfo"] == {
        "perPage": 2,
        "cursor": None,
        "total": 3,
        "hasMore": False,
        "currentPage": 2,
    }
    found = await tenant.ti("GET", "/clients", params={"query": "LAB"})
    assert [c["name"] for c in found.json()["data"]["Clients"]["clients"]] == ["Zeta Labs"]
    newest = await tenant.ti("GET", "/clients", params={"sort": "createdAt"})
    assert newest.json()["data"]["Clients"]["clients"][0]["name"] == "Mid Co"
    for params in ({"sort": "size"}, {"count": "-1"}, {"page": "x"}):
        assert (await tenant.ti("GET", "/clients", params=params)).status_code == 400


async def test_update_client_status_unwrapped(tenant: Tenant, other_tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    path = f"/clients/{client.uuid}/updateStatus"
    off = await tenant.ti("PUT", path, json={"status": "disabled"})
    assert off.status_code == 200 and off.json() == {"id": client.uuid, "status": "disabled"}
    on = await tenant.ti("PUT", path, json={"status": "enabled-please"})
    assert on.json() == {"id": client.uuid, "status": "active"}
    events = await builders.events_of(tenant.ctx, "client.updated", client.uuid)
    assert [e["payload"]["status"] for e in events] == ["disabled", "active"]
    missing = await tenant.ti("PUT", path, json={})
    assert missing.status_code == 400 and missing.json() == {
        "errors": ["Field 'status' is required."]
    }
    foreign = await other_tenant.ti("PUT", path, json={"status": "disabled"})
    assert foreign.status_code == 404 and foreign.json() == {"errors": ["Client not found."]}


async def test_license_create_list_update_delete(tenant: Tenant, other_tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    course_a = await builders.course(tenant.ctx)
    course_b = await builders.course(tenant.ctx)
    path = await builders.course(tenant.ctx, course_type="learning_path")
    created = await tenant.ti(
        "POST",
        "/licenses",
        json={
            "clientId": client.uuid,
            "name": "Gold",
            "sku": "GOLD",
            "seatsLimit": 0,
            "accessDays": 365,
            "courseIds": [course_a.uuid],
            "learningPathIds": [path.uuid],
        },
    )
    assert created.status_code == 201
    lic = created.json()
    assert lic["name"] == "Gold" and lic["sku"] == "GOLD" and lic["seatsLimit"] is None
    assert lic["client"]["id"] == client.uuid and lic["courseIds"] == [course_a.uuid]
    assert (
        lic["learningPathIds"] == [path.uuid] and lic["accessDays"] == 365 and lic["seatsUsed"] == 0
    )

    listed = await tenant.ti(
        "GET", f"/clients/{client.uuid}/licenses", params={"clientId": client.uuid}
    )
    body = listed.json()["data"]["APILicensesByClientId"]
    assert body["id"] == client.uuid and body["name"] == client.name
    assert [x["id"] for x in body["licenses"]] == [lic["id"]] and body["pageInfo"]["total"] == 1

    appended = await tenant.ti(
        "PUT", f"/licenses/{lic['id']}", json={"courseIds": [course_b.uuid], "seatsLimit": 5}
    )
    assert appended.status_code == 200
    assert (
        appended.json()["courseIds"] == [course_a.uuid, course_b.uuid]
        and appended.json()["seatsLimit"] == 5
    )
    replaced = await tenant.ti(
        "PUT",
        f"/licenses/{lic['id']}",
        json={"courseIds": [course_b.uuid], "replaceCourseIds": True, "name": "Gold+"},
    )
    assert replaced.json()["courseIds"] == [course_b.uuid] and replaced.json()["name"] == "Gold+"
    assert replaced.json()["sku"] == "GOLD"

    assert (await other_tenant.ti("DELETE", f"/licenses/{lic['id']}")).status_code == 404
    deleted = await tenant.ti("DELETE", f"/licenses/{lic['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["data"]["LicenseById"]["id"] == lic["id"]
    assert deleted.json()["data"]["LicenseById"]["name"] == "Gold+"
    again = await tenant.ti("DELETE", f"/licenses/{lic['id']}")
    assert again.status_code == 404 and again.json() == {"errors": ["License not found."]}
    empty = await tenant.ti("GET", f"/clients/{client.uuid}/licenses")
    assert empty.json()["data"]["APILicensesByClientId"]["licenses"] == []
    updates = await builders.events_of(tenant.ctx, "license.updated", lic["id"])
    assert [e["payload"]["name"] for e in updates] == ["Gold", "Gold+"]
    assert len(await builders.events_of(tenant.ctx, "license.deleted", lic["id"])) == 1


async def test_license_validation(tenant: Tenant, other_tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    foreign_client = await builders.client(other_tenant.ctx)
    await builders.license(tenant.ctx, client.uuid, sku="TAKEN")
    base = {"clientId": client.uuid, "name": "Silver"}
    cases = [
        ({"name": "x"}, 400, "Field 'clientId' is required."),
        ({"clientId": client.uuid}, 400, "Field 'name' is required."),
        ({**base, "clientId": foreign_client.uuid}, 400, "Client not found"),
        ({**base, "seatsLimit": -2}, 400, "seatsLimit"),
        ({**base, "seatsLimit": "ten"}, 400, "seatsLimit"),
        ({**base, "courseIds": ["00000000-0000-0000-0000-000000000000"]}, 400, "courseIds"),
        (
            {**base, "parentLicenseId": "00000000-0000-0000-0000-000000000000"},
            400,
            "parentLicenseId",
        ),
        ({**base, "expirationDate": "whenever"}, 400, "expirationDate"),
        ({**base, "sku": "TAKEN"}, 409, "sku"),
        ({**base, "seatsLimit": 2**40}, 400, "seatsLimit"),
        ({**base, "accessDays": 0}, 400, "accessDays"),
        ({**base, "sku": "S" * 256}, 400, "sku"),
        ({**base, "label": "L" * 256}, 400, "label"),
    ]
    for body, status, needle in cases:
        response = await tenant.ti("POST", "/licenses", json=body)
        assert response.status_code == status, body
        assert needle in response.json()["errors"][0], (body, response.json())
    listed = await tenant.ti("GET", f"/clients/{client.uuid}/licenses")
    assert listed.json()["data"]["APILicensesByClientId"]["pageInfo"]["total"] == 1
    mismatch = await tenant.ti(
        "GET", f"/clients/{client.uuid}/licenses", params={"clientId": foreign_client.uuid}
    )
    assert mismatch.status_code == 400


async def test_create_user_with_licenses_enforces_seats_atomically(tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    seat = await builders.license(tenant.ctx, client.uuid, seats_limit=1, sku="ONE-SEAT")
    admin = await builders.license(tenant.ctx, client.uuid, seats_limit=1, sku="ADMIN")
    first = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "a@example.com",
            "firstName": "A",
            "lastName": "One",
            "studentLicenseIds": [seat.uuid],
            "managerLicenseSkus": ["ADMIN"],
        },
    )
    assert first.status_code == 201, first.text
    assert (await _license_row(tenant, seat.uuid)).seats_used == 1
    assert (await _license_row(tenant, admin.uuid)).seats_used == 0  # managers take no seat
    assigned = await builders.events_of(tenant.ctx, "license.assigned")
    assert sorted(e["payload"]["role"] for e in assigned) == ["manager", "student"]

    full = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "b@example.com",
            "firstName": "B",
            "lastName": "Two",
            "studentLicenseSkus": ["ONE-SEAT"],
        },
    )
    assert full.status_code == 400 and "no seats left" in full.json()["errors"][0]
    unknown = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "c@example.com",
            "firstName": "C",
            "lastName": "Three",
            "studentLicenseIds": ["nope"],
        },
    )
    assert unknown.status_code == 400 and "studentLicenseIds" in unknown.json()["errors"][0]
    typed = await tenant.ti(
        "POST",
        "/users",
        json={
            "email": "d@example.com",
            "firstName": "D",
            "lastName": "F",
            "managerLicenseIds": "x",
        },
    )
    assert typed.status_code == 400 and "managerLicenseIds" in typed.json()["errors"][0]
    # Nothing of the refused requests was written.
    for email in ("b@example.com", "c@example.com", "d@example.com"):
        assert (await tenant.ti("GET", "/users", params={"email": email})).json()["data"][
            "APIUsers"
        ]["users"] == []
    assert (await _license_row(tenant, seat.uuid)).seats_used == 1

    # Upserting the holder again neither double-counts nor fails; replacing frees the seat.
    again = await tenant.ti(
        "POST",
        "/users",
        json={"email": "a@example.com", "upsert": True, "studentLicenseIds": [seat.uuid]},
    )
    assert again.status_code == 200 and (await _license_row(tenant, seat.uuid)).seats_used == 1
    cleared = await tenant.ti(
        "POST",
        "/users",
        json={"email": "a@example.com", "upsert": True, "replaceLicenseAccess": True},
    )
    assert cleared.status_code == 200
    assert (await _license_row(tenant, seat.uuid)).seats_used == 0
    assert len(await builders.events_of(tenant.ctx, "license.unassigned")) == 2


async def test_seat_limit_holds_under_parallel_assignment(tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    seat = await builders.license(tenant.ctx, client.uuid, seats_limit=3)
    learners = [await builders.user(tenant.ctx) for _ in range(8)]
    grants = panorama.LicenseGrants({"student": [seat.uuid]}, {})
    results = await asyncio.gather(
        *(panorama.grant_licenses(tenant.ctx, u.id, grants) for u in learners),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Invalid)]
    assert len(refused) == 5 and all(r is None or isinstance(r, Invalid) for r in results)
    assert (await _license_row(tenant, seat.uuid)).seats_used == 3
    assert len(await builders.events_of(tenant.ctx, "license.assigned")) == 3


async def test_seats_limit_cannot_drop_below_seats_in_use(tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    seat = await builders.license(tenant.ctx, client.uuid, seats_limit=2)
    for _ in range(2):
        learner = await builders.user(tenant.ctx)
        await panorama.grant_licenses(
            tenant.ctx, learner.id, panorama.LicenseGrants({"student": [seat.uuid]}, {})
        )
    response = await tenant.ti("PUT", f"/licenses/{seat.uuid}", json={"seatsLimit": 1})
    assert response.status_code == 400 and "seatsLimit" in response.json()["errors"][0]
    unlimited = await tenant.ti("PUT", f"/licenses/{seat.uuid}", json={"seatsLimit": 0})
    assert unlimited.json()["seatsLimit"] is None and unlimited.json()["seatsUsed"] == 2


async def test_update_user_assigns_and_replaces_licenses(tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    gold = await builders.license(tenant.ctx, client.uuid, seats_limit=1, sku="GOLD-PUT")
    silver = await builders.license(tenant.ctx, client.uuid, sku="SILVER-PUT")
    learner = await builders.user(tenant.ctx)
    path = f"/users/{learner.uuid}"
    first = await tenant.ti("PUT", path, json={"studentLicenseSkus": ["GOLD-PUT"]})
    assert first.status_code == 200 and first.json()["id"] == learner.uuid
    assert (await _license_row(tenant, gold.uuid)).seats_used == 1
    swapped = await tenant.ti(
        "PUT", path, json={"studentLicenseIds": [silver.uuid], "replaceLicenseAccess": True}
    )
    assert swapped.status_code == 200
    assert (await _license_row(tenant, gold.uuid)).seats_used == 0
    assert (await _license_row(tenant, silver.uuid)).seats_used == 1
    held = await panorama.licenses_of_user(tenant.ctx, learner.id)
    assert [(lic.uuid, role) for lic, role in held] == [(silver.uuid, "student")]
    bad = await tenant.ti("PUT", path, json={"managerLicenseIds": [7]})
    assert bad.status_code == 400 and "managerLicenseIds" in bad.json()["errors"][0]


async def test_releasing_a_users_licenses_frees_their_seats(tenant: Tenant) -> None:
    client = await builders.client(tenant.ctx)
    seat = await builders.license(tenant.ctx, client.uuid, seats_limit=1)
    boss = await builders.license(tenant.ctx, client.uuid)
    learner = await builders.user(tenant.ctx)
    grants = panorama.LicenseGrants({"student": [seat.uuid], "manager": [boss.uuid]}, {})
    await panorama.grant_licenses(tenant.ctx, learner.id, grants)
    async with tenant.ctx.writing() as u:
        await panorama.release_user_licenses(u, learner)
    assert (await _license_row(tenant, seat.uuid)).seats_used == 0
    assert await panorama.licenses_of_user(tenant.ctx, learner.id) == []
    released = await builders.events_of(tenant.ctx, "license.unassigned")
    assert sorted(e["payload"]["role"] for e in released) == ["manager", "student"]
    newcomer = await builders.user(tenant.ctx)
    await panorama.grant_licenses(
        tenant.ctx, newcomer.id, panorama.LicenseGrants({"student": [seat.uuid]}, {})
    )
    assert (await _license_row(tenant, seat.uuid)).seats_used == 1
