"""Deep Thinkific pages seek from remembered marks; they must list exactly what a full scan
lists, also after rows are added and removed between walks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from coursegate.platform.seeding import Scale, seed_scale
from coursegate.store import base as store_base
from tests import builders
from tests.conftest import Tenant
from tests.test_perf_seed import _tk

PAGE = 7


@contextmanager
def executed(tenant: Tenant) -> Iterator[list[tuple[str, Any]]]:
    """The SQL the site's reader runs meanwhile, with the values bound to it."""
    seen: list[tuple[str, Any]] = []

    def listen(_c: Any, _cur: Any, sql: str, params: Any, *_rest: Any) -> None:
        seen.append((sql, params))

    engine = tenant.ctx.db.reader.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def sql_literal(value: Any) -> str:
    """A captured bound value written as PostgreSQL SQL (for `EXECUTE` of a prepared copy)."""
    if isinstance(value, list):
        return "ARRAY[" + ", ".join(sql_literal(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@contextmanager
def statements(tenant: Tenant) -> Iterator[list[str]]:
    """The SQL the site's reader runs meanwhile (filled when the block ends)."""
    sql: list[str] = []
    with executed(tenant) as seen:
        yield sql
    sql.extend(s for s, _ in seen)


async def _ids(tenant: Tenant, shared_dir: Path, listing: str) -> list[int]:
    body = await _tk(tenant, shared_dir, f"/{listing}?limit=250")
    return [item["id"] for item in body["items"]]


async def _walk(tenant: Tenant, shared_dir: Path, listing: str, pages: list[int]) -> list[int]:
    found: list[int] = []
    for page in pages:
        body = await _tk(tenant, shared_dir, f"/{listing}?page={page}&limit={PAGE}")
        found += [item["id"] for item in body["items"]]
    return found


async def _same_as_full_scan(tenant: Tenant, shared_dir: Path, listing: str) -> None:
    everything = await _ids(tenant, shared_dir, listing)
    pages = list(range(1, len(everything) // PAGE + 2))
    assert await _walk(tenant, shared_dir, listing, pages) == everything
    # Out of order: each page seeks from the nearest mark below it.
    for page in (pages[-2], 3, pages[len(pages) // 2], 1, pages[-1]):
        walked = await _walk(tenant, shared_dir, listing, [page])
        assert walked == everything[(page - 1) * PAGE : page * PAGE], page


@pytest.fixture(autouse=True)
def every_page_is_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_base, "DEFERRED_JOIN_FROM", 0)


@pytest.mark.parametrize("listing", ["users", "enrollments"])
async def test_marked_pages_match_a_full_scan_through_changes(
    tenant: Tenant, shared_dir: Path, listing: str
) -> None:
    await seed_scale(tenant.ctx, Scale(users=45, courses=3, lessons_per_course=0, enrollments=80))
    await _same_as_full_scan(tenant, shared_dir, listing)

    with statements(tenant) as seen:  # a second walk seeks instead of skipping rows
        await _walk(tenant, shared_dir, listing, [4, 5, 6])
    pages = [sql for sql in seen if "ORDER BY" in sql and f"FROM {listing}" in sql]
    assert pages and all(" >= " in sql and " IN (SELECT" not in sql for sql in pages)

    # Rows added after the marks: the marks stay, the new rows page in at the end.
    newcomer = await builders.user(tenant.ctx)
    course = await builders.course(tenant.ctx)
    await builders.enrollment(tenant.ctx, newcomer.id, course.id)
    await _same_as_full_scan(tenant, shared_dir, listing)

    # A removal before the marks: they are dropped, pages shift exactly as a scan's do.
    users = await _ids(tenant, shared_dir, "users")
    assert (await tenant.tk("DELETE", f"/users/{users[2]}")).status_code == 204
    await _same_as_full_scan(tenant, shared_dir, listing)


async def test_marks_are_per_site(tenant: Tenant, other_tenant: Tenant, shared_dir: Path) -> None:
    await seed_scale(tenant.ctx, Scale(users=30, courses=1, lessons_per_course=0, enrollments=0))
    await seed_scale(
        other_tenant.ctx, Scale(users=20, courses=1, lessons_per_course=0, enrollments=0)
    )
    await _same_as_full_scan(tenant, shared_dir, "users")
    await _same_as_full_scan(other_tenant, shared_dir, "users")
    await _same_as_full_scan(tenant, shared_dir, "users")


async def test_revisited_deep_pages_keep_one_plan(tenant: Tenant, shared_dir: Path) -> None:
    """A page that starts at a mark runs without OFFSET, and its check for newer rows is costed
    alike for any value: PostgreSQL keeps one generic plan for it instead of planning it on
    every execution (1 ms of planning against 0.2 ms of work at the bench's scale)."""
    await seed_scale(
        tenant.ctx, Scale(users=10_000, courses=2, lessons_per_course=0, enrollments=20_000)
    )
    first = await _walk(tenant, shared_dir, "enrollments", [300, 301])
    with executed(tenant) as seen:
        assert await _walk(tenant, shared_dir, "enrollments", [300, 301]) == first
    seeks = [(sql, params) for sql, params in seen if "FROM enrollments JOIN" in sql]
    assert len(seeks) == 2 and all(" >= " in sql for sql, _ in seeks), seen
    if not tenant.ctx.db.is_postgres:
        return  # SQLite has no plan cache to keep; SQLAlchemy always writes its OFFSET
    sql, params = seeks[0]
    assert "OFFSET" not in sql
    arguments = ", ".join(sql_literal(p) for p in params)
    async with tenant.ctx.db.read() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        await driver.execute("ANALYZE enrollments")
        await driver.execute(f"PREPARE seek AS {sql}")
        try:
            for _ in range(6):  # PostgreSQL weighs a generic plan after five custom ones
                await driver.execute(f"EXECUTE seek({arguments})")
            plan = "\n".join(r[0] for r in await driver.fetch(f"EXPLAIN EXECUTE seek({arguments})"))
        finally:
            await driver.execute("DEALLOCATE seek")
    # A generic plan shows the mark as a parameter; a custom one, as the value it was given.
    assert re.search(r"id >= \$\d+", plan), plan
