"""Event feeds filtered only by type read `total` from maintained per-type counts: every feed's
total must equal what a COUNT finds and what a full cursor walk lists."""

from __future__ import annotations

from typing import Any

from coursegate.platform.seeding import Scale, seed_scale
from coursegate.store import counters
from tests import builders
from tests.conftest import Tenant
from tests.test_webhooks_feeds import FEED_NAMES, feed


async def _walked(tenant: Tenant, name: str) -> int:
    seen, cursor = 0, None
    while True:
        page = await feed(tenant, name, perPage="100", **({"cursor": cursor} if cursor else {}))
        seen += len(page["events"])
        if not page["pageInfo"]["hasMore"]:
            return seen
        cursor = page["pageInfo"]["cursor"]


async def _activity(tenant: Tenant) -> None:
    await seed_scale(
        tenant.ctx, Scale(users=25, courses=3, lessons_per_course=2, enrollments=40, events=150)
    )
    user = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx, chapters=1, lessons=2)
    await builders.enrollment(tenant.ctx, user.id, course.id)
    assert (await tenant.tk("DELETE", f"/users/{user.id}")).status_code == 204


async def _totals(tenant: Tenant) -> dict[str, Any]:
    found = {}
    for name in FEED_NAMES:
        maintained = (await feed(tenant, name))["pageInfo"]["total"]
        # A date window covering everything takes the COUNT path.
        counted = (await feed(tenant, name, startDate="0"))["pageInfo"]["total"]
        found[name] = (maintained, counted, await _walked(tenant, name))
    return found


async def test_maintained_feed_totals_match_counting_and_walking(tenant: Tenant) -> None:
    await _activity(tenant)
    totals = await _totals(tenant)
    assert all(m == c == w for m, c, w in totals.values()), totals
    assert totals["registration"][0] >= 25 and totals["courseEnrollment"][0] >= 40, totals


async def test_sites_without_type_counts_fall_back_to_counting(tenant: Tenant) -> None:
    # A site created before events were counted by type has no marker: totals are counted.
    async with tenant.ctx.writing() as u:
        await counters.bump(u.conn, u.site_id, counters.EVENTS_COUNTED, -1)
    await _activity(tenant)
    async with tenant.ctx.writing() as u:  # counts that would be wrong if they were read
        await counters.bump(u.conn, u.site_id, counters.event_counter("user.created"), 1000)
    totals = await _totals(tenant)
    assert all(m == c == w for m, c, w in totals.values()), totals


async def _pages(tenant: Tenant, name: str, **params: Any) -> list[dict[str, Any]]:
    """Every page of a cursor walk, then the page its last cursor leads to (past the end)."""
    pages, cursor = [], None
    while True:
        page = await feed(tenant, name, **params, **({"cursor": cursor} if cursor else {}))
        pages.append(page)
        cursor = page["pageInfo"]["cursor"] or cursor
        if not page["pageInfo"]["hasMore"]:
            pages.append(await feed(tenant, name, **params, cursor=cursor))
            return pages


async def test_filtered_feeds_count_in_their_page_and_past_the_end(tenant: Tenant) -> None:
    """A user's feed and a windowed multi-type feed bring their COUNT in the page's statement;
    a page past the end has no row to bring it and counts alone: every page says the same."""
    await _activity(tenant)
    learner = (await tenant.ti("GET", "/users", params={"perPage": 1})).json()
    person = (learner["data"]["APIUsers"] if "data" in learner else learner)["users"][0]
    for name, params in (
        ("courseAction", {"userId": person["id"]}),
        ("courseAction", {"startDate": "0"}),
        ("registration", {"userId": person["id"], "startDate": "0"}),
    ):
        pages = await _pages(tenant, name, perPage="3", **params)
        listed = sum(len(p["events"]) for p in pages)
        assert listed > 0 and pages[-1]["events"] == [], (name, params)
        assert {p["pageInfo"]["total"] for p in pages} == {listed}, (name, params)
