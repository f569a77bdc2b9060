"""Kept connections (store/database.py): as many reads as the pool holds keep their connections
between requests, and a connection is never kept while a unit waits on an exhausted pool."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from coursegate.store.database import Database
from tests import builders
from tests.conftest import Tenant


@contextmanager
def checkouts(db: Database) -> Iterator[list[Any]]:
    """Connections checked out of `db`'s pools (PostgreSQL's reader shares the writer's)."""
    seen: list[Any] = []
    pools = {id(e.sync_engine.pool): e.sync_engine.pool for e in (db.reader, db.writer)}

    def listen(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        seen.append(dbapi_connection)

    for pool in pools.values():
        event.listen(pool, "checkout", listen)
    try:
        yield seen
    finally:
        for pool in pools.values():
            event.remove(pool, "checkout", listen)


async def test_concurrent_reads_keep_their_connections(db: Database, tenant: Tenant) -> None:
    # The tests' Database has a pool of 5: five requests at once, each waiting on its read
    # (on PostgreSQL; SQLite's reads run inline and never overlap).
    users = [await builders.user(tenant.ctx) for _ in range(5)]

    async def round_of_reads() -> None:
        replies = await asyncio.gather(*(tenant.tk("GET", f"/users/{u.id}") for u in users))
        assert [r.status_code for r in replies] == [200] * 5

    await round_of_reads()  # warms the key lookup and the kept connections
    with checkouts(db) as seen:
        for _ in range(3):
            await round_of_reads()
    assert seen == []


async def test_a_unit_waiting_on_an_exhausted_pool_gets_the_next_released_connection(
    database_url: str,
) -> None:
    db = Database(database_url, pool_size=2)  # room for 4: 2 in the pool, 2 overflow
    try:
        releases = [asyncio.Event() for _ in range(4)]
        held = asyncio.Event()
        holding = 0

        async def hold(release: asyncio.Event) -> None:
            nonlocal holding
            async with db.read() as conn:
                await conn.execute(text("SELECT 1"))
                holding += 1
                if holding == len(releases):
                    held.set()
                await release.wait()

        holders = [asyncio.create_task(hold(r)) for r in releases]
        await asyncio.wait_for(held.wait(), 10)

        async def wait_for_a_connection() -> int:
            async with db.read() as conn:
                return int((await conn.execute(text("SELECT 7"))).scalar_one())

        waiting = asyncio.create_task(wait_for_a_connection())
        await asyncio.sleep(0.2)
        assert not waiting.done()  # the pool has nothing left to give
        # One unit ends, with room among the kept connections: its connection must go to the
        # waiter, far sooner than the pool's 30 s timeout (what keeping it would leave).
        releases[0].set()
        assert await asyncio.wait_for(waiting, 5) == 7
        for release in releases:
            release.set()
        await asyncio.gather(*holders)
    finally:
        await db.dispose()
