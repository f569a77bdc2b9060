"""Course search reads trigram indexes on PostgreSQL (store/search_indexes.py, migration 0002),
and a database that cannot have them is left as it was."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from coursegate.platform.seeding import Scale, seed_scale
from coursegate.store import search_indexes
from coursegate.store.database import Database
from tests.conftest import Tenant
from tests.test_perf_page_marks import executed, sql_literal


async def _index_names(db: Database) -> set[str]:
    async with db.read() as conn:
        if db.is_postgres:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'courses'"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'courses'"
        return {r[0] for r in (await conn.execute(text(sql))).all()}


async def test_course_search_reads_the_trigram_indexes(tenant: Tenant) -> None:
    await seed_scale(tenant.ctx, Scale(users=2, courses=30, lessons_per_course=0, enrollments=0))
    with executed(tenant) as seen:
        found = await tenant.ti("GET", "/content?types=course&query=PYTHON&perPage=50")
    assert found.status_code == 200, found.text
    items = found.json()["data"]["APIContentSearch"]["contentItems"]
    assert items and all(
        "python" in (i["title"] + (i["description"] or "")).lower() for i in items
    ), items
    indexes = await _index_names(tenant.ctx.db)
    if not tenant.ctx.db.is_postgres:
        # SQLite has no trigram operator class: migration 0002 makes nothing there.
        assert not indexes & set(search_indexes.INDEXES)
        return
    assert set(search_indexes.INDEXES) <= indexes
    sql, params = next((s, p) for s, p in seen if "LIKE" in s and "FROM courses" in s)
    arguments = ", ".join(sql_literal(p) for p in params)
    async with tenant.ctx.db.read() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        # A handful of courses is cheaper to scan, or to find by site: in a transaction rolled
        # back, without the site's B-tree indexes and with scans discouraged, the plan shows
        # whether the trigram indexes can serve this very statement.
        site_indexes = [
            r[0]
            for r in await driver.fetch(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'courses' "
                "AND indexdef LIKE '%(site_id%'"
            )
        ]
        transaction = driver.transaction()
        await transaction.start()
        try:
            for name in site_indexes:
                await driver.execute(f"DROP INDEX {name}")
            await driver.execute("SET LOCAL enable_seqscan = off")
            await driver.execute(f"PREPARE search AS {sql}")
            plan = "\n".join(
                r[0] for r in await driver.fetch(f"EXPLAIN EXECUTE search({arguments})")
            )
            await driver.execute("DEALLOCATE search")
        finally:
            await transaction.rollback()
    for name in search_indexes.INDEXES:
        assert f"Bitmap Index Scan on {name}" in plan, plan


async def test_without_the_extension_the_database_is_left_as_it_was(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_indexes, "EXTENSION", "coursegate_no_such_extension")
    async with db.write() as conn:
        made = await conn.run_sync(search_indexes.create)
        # The failed CREATE EXTENSION was rolled back to its savepoint: the transaction goes on.
        assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    assert made is False
