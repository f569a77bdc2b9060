"""Engines, connections and the unit of work. Every domain operation runs inside a Unit."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool
from sqlalchemy.util.concurrency import await_

from coursegate.store.sqlite_inline import inline_url

# Set in a write transaction's connection info when it queued webhook deliveries (see
# `store.webhooks.DeliveryRepo.add_many`): after that transaction commits, and only then,
# `Database.write` tells this process's workers.
OUTBOX_QUEUED = "coursegate.outbox_queued"

# Moves with each write transaction of this process (through any Database) and each change
# another process announces on a channel this process listens to: whatever this process keeps
# from earlier reads (platform/auth_cache.py) is stale once it moves.
_write_epoch = 0


def write_epoch() -> int:
    return _write_epoch


def advance_write_epoch() -> None:
    global _write_epoch
    _write_epoch += 1


async def notify(conn: AsyncConnection, channel: str) -> None:
    """Tell other processes' `listening` callbacks on PostgreSQL, when (and only if) this
    transaction commits; elsewhere nothing is sent."""
    if conn.dialect.name == "postgresql":
        await conn.execute(select(func.pg_notify(channel, "")))


@asynccontextmanager
async def listening(
    db: Database, channel: str, callback: Callable[[], None]
) -> AsyncIterator[None]:
    """Call `callback` on every `notify` on `channel`, from any process, while inside: on
    PostgreSQL a LISTEN on a connection held meanwhile; elsewhere nothing."""
    if not db.is_postgres:
        yield
        return
    async with db.writer.connect() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection

        def listener(*_args: Any) -> None:
            callback()

        await driver.add_listener(channel, listener)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await driver.remove_listener(channel, listener)


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file, not its folder (./var by default)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def load_json(text: str | bytes) -> Any:
    """JSON columns are read with orjson; what only the standard library accepts (NaN, integers
    beyond 64 bits, written by earlier versions) still reads."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# How long a write waits for another process's SQLite write lock before failing.
WRITE_LOCK_WAIT_SECONDS = 10.0


def _sqlite_engine(url: str | URL, begin: str, pool_size: int, max_overflow: int) -> AsyncEngine:
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, json_deserializer=load_json
    )
    waits_async = begin == "BEGIN IMMEDIATE"

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see the "begin" hook) and tune the file.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            # Writers never let SQLite sleep on the event loop: BEGIN IMMEDIATE (the one
            # statement that waits for another process's lock) is retried asynchronously.
            "PRAGMA busy_timeout=0" if waits_async else "PRAGMA busy_timeout=10000",
            "PRAGMA cache_size=-65536",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if not waits_async:
            conn.exec_driver_sql(begin)
            return
        deadline = time.monotonic() + WRITE_LOCK_WAIT_SECONDS
        pause = 0.001
        while True:
            try:
                conn.exec_driver_sql(begin)
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            # Inside SQLAlchemy's greenlet: this awaits on the event loop, serving others.
            await_(asyncio.sleep(pause))
            pause = min(pause * 2, 0.05)

    return engine


def _postgres_connect_args(url: str) -> dict[str, Any]:
    """asyncpg keeps 100 prepared statements per connection by default; the API's distinct
    statements (filters, IN-list lengths) outnumber that, and a statement pushed out is
    prepared again (another round trip) on its next use. The URL's own setting wins."""
    if "prepared_statement_cache_size" in make_url(url).query:
        return {}
    return {"prepared_statement_cache_size": 400}


class Database:
    """Owns the engines. Writes on SQLite take the write lock up front (BEGIN IMMEDIATE) so
    concurrent writers queue instead of failing on lock upgrade."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self._outbox_listeners: list[Callable[[], None]] = []
        self.dialect = make_url(url).get_backend_name()
        # Started connections kept between units (see `_release`). A kept connection must
        # outnumber the reads in flight at once (one per concurrent request on PostgreSQL,
        # where a read waits on the server): with a quarter of the pool kept, 32 clients sent
        # most reads through a pool checkout and return (docs/performance.md, twelfth round).
        # PostgreSQL's readers share the writers' pool, so a connection is kept only while no
        # unit is waiting for one from the pool; SQLite's readers have an engine of their own.
        self._idle_readers: list[AsyncConnection] = []
        self._idle_writers: list[AsyncConnection] = []
        self._idle_limit = max(1, pool_size if self.dialect == "postgresql" else pool_size // 2)
        self._starting = 0  # units waiting for a connection from a pool
        # Connections each engine opens beyond its pool (`_waited_for` knows a full pool by it):
        # SQLite's are cheap files; PostgreSQL's count against the server's connection limit.
        self._max_overflow = pool_size if self.dialect == "sqlite" else max(2, pool_size // 4)
        if self.dialect == "sqlite":
            ensure_sqlite_directory(url)
            # Reads and writes run inline on the event loop (store/sqlite_inline.py); a write
            # waits for another process's lock asynchronously, at BEGIN IMMEDIATE.
            overflow = self._max_overflow
            self.reader = _sqlite_engine(inline_url(url), "BEGIN", pool_size, overflow)
            self.writer = _sqlite_engine(inline_url(url), "BEGIN IMMEDIATE", pool_size, overflow)
            # One writer at a time inside this process; other processes wait on busy_timeout.
            self._write_gate: asyncio.Lock | None = asyncio.Lock()
        else:
            self.writer = create_async_engine(
                url,
                pool_size=pool_size,
                # Bursts beyond the pool get a few extra connections, closed once returned.
                max_overflow=self._max_overflow,
                pool_pre_ping=False,
                json_deserializer=load_json,
                connect_args=_postgres_connect_args(url),
            )
            # Reads run in autocommit, on the same pool: under READ COMMITTED every statement
            # takes its own snapshot even inside a transaction, so BEGIN/ROLLBACK around a
            # read bought no consistency, only two more round trips per unit.
            self.reader = self.writer.execution_options(isolation_level="AUTOCOMMIT")
            self._write_gate = None

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def read(self) -> ReadUnit:
        """A connection for reads (`async with db.read() as conn`)."""
        return ReadUnit(self)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_gate is None:
            conn = await self._start(self.writer)
            try:
                async with self._committing(conn):
                    yield conn
            finally:
                await conn.close()
            return
        async with self._write_gate:
            idle = self._idle_writers
            conn = idle.pop() if idle else await self._start(self.writer)
            clean = False
            try:
                async with self._committing(conn):
                    yield conn
                clean = True
            finally:
                await self._release(conn, idle, clean)

    async def _start(self, engine: AsyncEngine) -> AsyncConnection:
        self._starting += 1
        try:
            return await engine.connect().start()
        finally:
            self._starting -= 1

    async def _release(
        self, conn: AsyncConnection, idle: list[AsyncConnection], clean: bool
    ) -> None:
        """Keep a connection that ended its unit cleanly for the next unit: checking one out of
        the pool and back (a greenlet hop, pool events, a new Connection, a reset) cost more
        than a keyed read. A unit that failed returns its connection to the pool, which resets
        it or drops it (PostgreSQL: a cancelled statement may leave it mid-protocol); SQLite's
        inline connections never stop mid-statement, so they are kept either way.
        AsyncConnection's own close (a shielded task that yields to the loop) is not used for
        inline SQLite, whose close never waits."""
        if (clean or self.is_sqlite_pair) and not conn.invalidated and not conn.closed:
            if conn.in_transaction():
                await conn.rollback()
            if len(idle) < self._idle_limit and not self._waited_for(conn):
                idle.append(conn)
                return
        await conn.close()

    def _waited_for(self, conn: AsyncConnection) -> bool:
        """A unit waits on `conn`'s pool, which has nothing left to give: `conn` goes back to
        the pool rather than being kept (kept, the unit would wait for the pool's timeout)."""
        if not self._starting:
            return False
        pool = conn.sync_engine.pool
        return isinstance(pool, QueuePool) and (
            pool.checkedout() >= pool.size() + self._max_overflow
        )

    @asynccontextmanager
    async def _committing(self, conn: AsyncConnection) -> AsyncIterator[None]:
        """One transaction on `conn`. Whatever its outcome the write epoch moves; after a commit
        (an exception or a failed commit does not get there), this process's workers are woken
        if it queued webhook deliveries."""
        conn.info.pop(OUTBOX_QUEUED, None)
        try:
            async with conn.begin():
                yield
                queued = conn.info.pop(OUTBOX_QUEUED, False)
        finally:
            # Also on failure: a commit that failed in flight may have landed.
            advance_write_epoch()
        if queued:
            for listener in list(self._outbox_listeners):
                listener()

    def on_outbox_commit(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after each commit of a transaction that queued webhook deliveries
        (in this process); returns the function that removes it."""
        self._outbox_listeners.append(listener)
        return lambda: self._outbox_listeners.remove(listener)

    async def dispose(self) -> None:
        for idle in (self._idle_readers, self._idle_writers):
            while idle:
                await idle.pop().close()
        await self.writer.dispose()
        if self.is_sqlite_pair:
            await self.reader.dispose()

    @property
    def is_sqlite_pair(self) -> bool:
        """SQLite has two engines (pools); PostgreSQL one pool seen through two options."""
        return self._write_gate is not None


class ReadUnit:
    """`Database.read()`'s context manager. A class rather than `@asynccontextmanager`: a
    request enters three or four read units, and the generator machinery cost more than taking
    the kept connection."""

    __slots__ = ("conn", "db")
    conn: AsyncConnection

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __aenter__(self) -> AsyncConnection:
        db = self.db
        idle = db._idle_readers
        self.conn = idle.pop() if idle else await db._start(db.reader)
        return self.conn

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        await self.db._release(self.conn, self.db._idle_readers, exc_type is None)


class Unit:
    """One site's view of one transaction: the connection, the tenant, and the instant."""

    __slots__ = ("conn", "now", "site_id")

    def __init__(self, conn: AsyncConnection, site_id: int, now: datetime) -> None:
        self.conn = conn
        self.site_id = site_id
        self.now = now
