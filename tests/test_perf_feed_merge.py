"""Feeds of several event types are served as one page per type, merged (store/event_log.py):
walked by cursor, oldest or newest first, with or without a date window, they must list exactly
the events a plain time-ordered scan of the log lists, ties within a millisecond included."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from coursegate.events.feeds import FEEDS
from coursegate.platform import tenancy
from coursegate.store.database import Database
from tests import builders
from tests.conftest import Tenant, TestClock
from tests.test_webhooks_feeds import T0, feed, ms


async def _mixed_course_events(tenant: Tenant, clock: TestClock) -> None:
    """Enrollments (created and trial) and starts, several per millisecond."""
    course = await builders.course(tenant.ctx, chapters=1, lessons=1)
    for n in range(17):
        clock.pinned = T0 + timedelta(milliseconds=n // 3, microseconds=n % 3)
        user = await builders.user(tenant.ctx)
        activated = clock.pinned if n % 2 else None
        await builders.enrollment(tenant.ctx, user.id, course.id, activated_at=activated)
    clock.pinned = None


async def _expected(tenant: Tenant, name: str) -> list[dict[str, Any]]:
    """The feed's events by a plain scan: every event of its types, in (time, seq) order."""
    found: list[dict[str, Any]] = []
    for event_type in {entry.domain_type for entry in FEEDS[name]}:
        found += await builders.events_of(tenant.ctx, event_type)
    return sorted(found, key=lambda e: (e["occurred_at"], e["seq"]))


async def _walk(tenant: Tenant, name: str, **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(100):  # a cursor that stops advancing fails instead of looping
        page = await feed(
            tenant, name, perPage="4", **params, **({"cursor": cursor} if cursor else {})
        )
        seen += [e["id"] for e in page["events"]]
        if not page["pageInfo"]["hasMore"]:
            return seen
        cursor = page["pageInfo"]["cursor"]
    raise AssertionError(f"{name}: no last page after 100 pages")


async def test_merged_feed_lists_what_a_scan_lists(tenant: Tenant, clock: TestClock) -> None:
    await _mixed_course_events(tenant, clock)
    expected = await _expected(tenant, "courseAction")
    assert len({e["type"] for e in expected}) >= 2  # the merge is exercised
    assert await _walk(tenant, "courseAction") == [e["uuid"] for e in expected]

    # Inclusive at the wire's millisecond: endDate=3 ms takes all of that millisecond.
    start, end = T0 + timedelta(milliseconds=1), T0 + timedelta(milliseconds=3)
    windowed = [
        e["uuid"] for e in expected if start <= e["occurred_at"] < end + timedelta(milliseconds=1)
    ]
    assert 0 < len(windowed) < len(expected)
    assert await _walk(tenant, "courseAction", startDate=ms(start), endDate=ms(end)) == windowed


async def test_merged_feed_newest_first(db: Database, clock: TestClock, tenant: Tenant) -> None:
    await tenancy.update_site(
        db, tenant.site.subdomain, {"profile": {"thoughtindustries": {"envelope": "observed"}}}
    )
    await _mixed_course_events(tenant, clock)
    expected = await _expected(tenant, "courseAction")
    assert await _walk(tenant, "courseAction") == [e["uuid"] for e in reversed(expected)]


async def test_sqlite_reads_only_the_page_rows_of_a_merged_feed(
    db: Database, clock: TestClock, tenant: Tenant
) -> None:
    """SQLite plans from a statement's shape alone (no statistics): the merged feed must lead it
    to look the page's rows up by key, not to walk the site's time index looking for them
    (which a data set this small would not show in time, only in the plan)."""
    if db.is_postgres:
        pytest.skip("PostgreSQL plans from statistics, which a test's few rows do not exercise")
    await _mixed_course_events(tenant, clock)
    seen: list[tuple[str, Any]] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, *_rest: Any) -> None:
        seen.append((sql, params))

    engine = db.reader.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        await feed(tenant, "courseAction")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    merged = [(sql, params) for sql, params in seen if "UNION ALL" in sql]
    assert len(merged) == 1, seen
    sql, params = merged[0]
    async with db.read() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        plan = [row[3] for row in driver.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert any("USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any("ix_events_site_time" in step for step in plan), plan


async def test_feed_pages_name_people_and_courses_in_the_page_statement(
    tenant: Tenant, clock: TestClock
) -> None:
    """Each event's person and course title come joined to the page's rows, and the page's
    total along with them: the merged feed of all users from the maintained counters, one
    user's feed from a COUNT in the same statement. Each is one statement."""
    await _mixed_course_events(tenant, clock)
    listed = (await tenant.ti("GET", "/users", params={"perPage": 50})).json()
    people = (listed["data"]["APIUsers"] if "data" in listed else listed)["users"]
    by_email = {p["email"]: p for p in people}
    engine = tenant.ctx.db.reader.sync_engine
    seen: list[str] = []

    def listen(_c: Any, _cur: Any, sql: str, *_rest: Any) -> None:
        seen.append(sql)

    for params in ({}, {"userId": people[0]["id"]}):
        seen.clear()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            page = await feed(tenant, "courseAction", perPage="50", **params)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert page["events"], params
        for item in page["events"]:
            person = by_email[item["user"]]
            assert item["userDetail"]["id"] == person["id"]
            assert item["userDetail"]["firstName"] == person["firstName"]
            assert item["userDetail"]["lastName"] == person["lastName"]
            assert item["title"]
        # Besides the API key's lookup (the tenant's own writes just ended its reuse).
        assert len([sql for sql in seen if "FROM api_keys" not in sql]) == 1, seen
