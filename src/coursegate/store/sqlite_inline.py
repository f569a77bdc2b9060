"""SQLite on the event loop itself, through the standard sqlite3 module.

aiosqlite gives every connection a thread and hands each driver call to it and back: about
twenty thread hand-offs per list request, which cost more kernel time (futex wake-ups) and GIL
convoys than the queries themselves. A page of rows from a local file takes microseconds, so
both engines run sqlite3 inline: SQLAlchemy's async layer drives a plain DBAPI connection that
simply never yields. Reads in WAL mode never wait for a lock; the one statement of a write that
can wait (BEGIN IMMEDIATE, for another process's write lock) runs with busy_timeout 0 and is
retried asynchronously (store/database.py), so no lock wait ever blocks the loop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, Self

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.util.concurrency import await_, in_greenlet

DRIVER = "coursegate_inline"


async def _ready() -> None:
    return None


def _pass_through_the_loop() -> None:
    """AsyncConnection insists that each execution awaited something; awaiting a finished
    coroutine satisfies it without leaving the current task (no loop iteration, no thread)."""
    if in_greenlet():
        await_(_ready())


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        _pass_through_the_loop()
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Self:
        _pass_through_the_loop()
        return super().executemany(sql, seq_of_parameters)

    async def _async_soft_close(self) -> None:
        """Called by AsyncConnection after execute; a sync cursor reads its rows later as is."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


class SQLiteDialect_inline(SQLiteDialect_pysqlite):
    driver = DRIVER
    supports_statement_cache = True
    # Accepted by create_async_engine: every call completes without awaiting anything.
    is_async = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool

    def create_connect_args(self, url: URL) -> Any:
        args, kwargs = super().create_connect_args(url)
        # Connections live on the loop's thread, but the pool may close them from another one
        # at interpreter shutdown.
        kwargs["check_same_thread"] = False
        kwargs["factory"] = _Connection
        return args, kwargs


registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_inline")


def inline_url(url: str) -> URL:
    """The same database, served by the inline dialect."""
    return make_url(url).set(drivername=f"sqlite+{DRIVER}")
