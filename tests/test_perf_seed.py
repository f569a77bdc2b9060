"""Bulk seeding and maintained counts, observed through both dialects' HTTP APIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from coursegate.domain.errors import Invalid
from coursegate.platform.seeding import Scale, seed_scale
from coursegate.store import base as store_base
from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract

SCALE = Scale(users=200, courses=12, lessons_per_course=7, enrollments=900, events=2500)


async def _tk(tenant: Tenant, shared_dir: Path, path: str) -> Any:
    response = await tenant.tk("GET", path)
    assert response.status_code == 200, response.text
    thinkific_contract(shared_dir).check("GET", path, 200, response.content)
    return response.json()


def _total(body: Any) -> int:
    return int(body["meta"]["pagination"]["total_items"])


async def test_seeded_site_is_consistent_through_both_dialects(
    tenant: Tenant, shared_dir: Path
) -> None:
    rows: list[int] = []
    await seed_scale(tenant.ctx, SCALE, rows.append)
    assert sum(rows) == SCALE.rows

    assert _total(await _tk(tenant, shared_dir, "/users")) == 200
    assert _total(await _tk(tenant, shared_dir, "/courses")) == 12
    assert _total(await _tk(tenant, shared_dir, "/enrollments")) == 900

    # Every course's enrollments, counted by filter, agree with its maintained enrollmentCount.
    listing = await _tk(tenant, shared_dir, "/courses?limit=50")
    per_course = 0
    for item in listing["items"]:
        filtered = await _tk(
            tenant, shared_dir, f"/enrollments?query[course_id]={item['id']}&limit=1"
        )
        found = await tenant.ti(
            "GET",
            "/content",
            params={"types": "course,video,webinar,article", "query": item["name"]},
        )
        assert found.status_code == 200
        [ti_course] = found.json()["data"]["APIContentSearch"]["contentItems"]
        assert ti_course["enrollmentCount"] == _total(filtered) > 0
        chapters = await _tk(tenant, shared_dir, f"/courses/{item['id']}/chapters")
        assert _total(chapters) == 2  # 7 lessons, 5 per chapter
        assert sum(len(c["content_ids"]) for c in chapters["items"]) == 7
        per_course += _total(filtered)
    assert per_course == 900

    ti_users = await tenant.ti("GET", "/users?perPage=50")
    assert ti_users.status_code == 200
    info = ti_users.json()["data"]["APIUsers"]["pageInfo"]
    assert info["total"] == 200 and info["hasMore"] is True

    # The seeded email is findable by filter in both dialects.
    first = (await _tk(tenant, shared_dir, "/users?limit=1"))["items"][0]
    by_email = await _tk(tenant, shared_dir, f"/users?query[email]={first['email']}")
    assert [u["id"] for u in by_email["items"]] == [first["id"]] and _total(by_email) == 1
    ti_user = await tenant.ti("GET", f"/users/{first['email']}")
    assert ti_user.status_code == 200
    courses_of_user = ti_user.json()["data"]["UserById"]
    assert courses_of_user["email"] == first["email"]


async def test_a_bulk_seed_leaves_postgresql_tables_vacuumed(tenant: Tenant) -> None:
    """After the load the seeded tables' pages are marked all-visible (VACUUM; ANALYZE alone
    leaves the map empty) and their statistics count the rows, as autovacuum would leave
    them in time: scans then skip a visibility check per row."""
    if not tenant.ctx.db.is_postgres:
        pytest.skip("SQLite has no visibility map or planner statistics to settle")
    await seed_scale(tenant.ctx, SCALE)
    loaded = ("courses", "chapters", "lessons", "users", "enrollments", "events")
    async with tenant.ctx.db.read() as conn:
        rows = await conn.execute(
            text(
                "SELECT relname, relallvisible, reltuples FROM pg_class"
                " WHERE relkind = 'r' AND relname = ANY(:names)"
            ),
            {"names": list(loaded)},
        )
        found = {r.relname: (r.relallvisible, r.reltuples) for r in rows}
    assert set(found) == set(loaded), found
    assert all(visible > 0 and tuples > 0 for visible, tuples in found.values()), found


async def test_search_finds_seeded_courses_by_text(tenant: Tenant) -> None:
    await seed_scale(tenant.ctx, Scale(users=3, courses=28, lessons_per_course=1, enrollments=3))
    every = await tenant.ti("GET", "/content?types=course,video,webinar,article&perPage=5")
    assert every.status_code == 200
    assert every.json()["data"]["APIContentSearch"]["pageInfo"]["total"] == 28
    # Titles cycle through 14 topics: two courses per topic.
    found = await tenant.ti("GET", "/content?types=course,video,webinar,article&query=kubernetes")
    items = found.json()["data"]["APIContentSearch"]["contentItems"]
    assert len(items) == 2 and all("Kubernetes" in i["title"] for i in items)


async def test_totals_follow_creates_and_deletes(tenant: Tenant, shared_dir: Path) -> None:
    await seed_scale(tenant.ctx, Scale(users=5, courses=2, lessons_per_course=1, enrollments=6))
    course = await builders.course(tenant.ctx)
    person = {"first_name": "New", "last_name": "Person", "email": "new.person@example.com"}
    created = await tenant.tk("POST", "/users", json=person)
    assert created.status_code == 201
    user_id = created.json()["id"]
    for course_id in (
        course.id,
        (await _tk(tenant, shared_dir, "/courses?limit=1"))["items"][0]["id"],
    ):
        enrolled = await tenant.tk(
            "POST", "/enrollments", json={"user_id": user_id, "course_id": course_id}
        )
        assert enrolled.status_code == 201
    assert _total(await _tk(tenant, shared_dir, "/users")) == 6
    assert _total(await _tk(tenant, shared_dir, "/courses")) == 3
    assert _total(await _tk(tenant, shared_dir, "/enrollments")) == 8

    assert (await tenant.tk("DELETE", f"/users/{user_id}")).status_code == 204
    users = await _tk(tenant, shared_dir, "/users?limit=250")
    assert _total(users) == 6 - 1 == len(users["items"])
    enrollments = await _tk(tenant, shared_dir, "/enrollments?limit=250")
    assert _total(enrollments) == 6 == len(enrollments["items"])
    ti_users = await tenant.ti("GET", "/users")
    assert ti_users.json()["data"]["APIUsers"]["pageInfo"]["total"] == 5


async def test_totals_are_per_site(tenant: Tenant, other_tenant: Tenant, shared_dir: Path) -> None:
    await seed_scale(tenant.ctx, Scale(users=4, courses=1, lessons_per_course=0, enrollments=4))
    await builders.user(other_tenant.ctx)
    assert _total(await _tk(tenant, shared_dir, "/users")) == 4
    assert _total(await _tk(other_tenant, shared_dir, "/users")) == 1
    assert _total(await _tk(other_tenant, shared_dir, "/enrollments")) == 0


@pytest.mark.parametrize("deferred_from", [0, 10_000])
async def test_deep_pages_list_the_same_rows_as_a_full_scan(
    tenant: Tenant, shared_dir: Path, monkeypatch: pytest.MonkeyPatch, deferred_from: int
) -> None:
    # 0: every page goes through the deferred join (ids first); 10_000: plain OFFSET.
    monkeypatch.setattr(store_base, "DEFERRED_JOIN_FROM", deferred_from)
    await seed_scale(tenant.ctx, Scale(users=40, courses=3, lessons_per_course=0, enrollments=110))
    everything = await _tk(tenant, shared_dir, "/enrollments?limit=250")
    all_ids = [e["id"] for e in everything["items"]]
    assert all_ids == sorted(all_ids) and len(all_ids) == 110
    for page in (1, 2, 5, 11, 12):
        body = await _tk(tenant, shared_dir, f"/enrollments?page={page}&limit=10")
        assert [e["id"] for e in body["items"]] == all_ids[(page - 1) * 10 : page * 10]
        assert body["meta"]["pagination"]["total_items"] == 110
    users = await _tk(tenant, shared_dir, "/users?limit=250")
    user_ids = [u["id"] for u in users["items"]]
    body = await _tk(tenant, shared_dir, "/users?page=4&limit=7")
    assert [u["id"] for u in body["items"]] == user_ids[21:28]
    # Filtered listings page the same way (the ids query keeps the filter and its joins).
    email = users["items"][3]["email"]
    mine = await _tk(tenant, shared_dir, f"/enrollments?query[email]={email}&limit=1&page=2")
    assert [e["user_email"] for e in mine["items"]] == [email]
    assert mine["meta"]["pagination"]["total_items"] == 3  # 110 enrollments over 40 users
    # An erased user's enrollments leave every page.
    erased = users["items"][0]["id"]
    assert (await tenant.tk("DELETE", f"/users/{erased}")).status_code == 204
    remaining = await _tk(tenant, shared_dir, "/enrollments?limit=250")
    assert (
        all(e["user_id"] != erased for e in remaining["items"]) and len(remaining["items"]) == 107
    )
    body = await _tk(tenant, shared_dir, "/enrollments?page=3&limit=10")
    assert [e["id"] for e in body["items"]] == [e["id"] for e in remaining["items"]][20:30]


def test_a_scale_that_cannot_be_seeded_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        Scale(users=2, courses=3, lessons_per_course=0, enrollments=7).check()
    assert raised.value.problems[0].field == "enrollments"
    with pytest.raises(Invalid):
        Scale(users=-1, courses=0, lessons_per_course=0, enrollments=0).check()
