"""Bulk loading: many rows per round trip, for seeding and imports.

Rows arrive as tuples of Python values in a given column order. PostgreSQL receives them
through COPY (asyncpg `copy_records_to_table`) on the unit's own connection, so they commit
with the rest of the unit; SQLite receives them through the driver's `executemany`, in the
unit's BEGIN IMMEDIATE transaction. Values are converted once per column to what the driver
stores, with the same conventions as the table types (naive UTC times, JSON text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Boolean, Table, func, select, text
from sqlalchemy.types import JSON

from coursegate.store.database import Database, Unit
from coursegate.store.types import UTCDateTime

Converter = Callable[[Any], Any]


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_time(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DateTime text format (always with microseconds), so text order
    # matches time order and comparisons against bound parameters hold.
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _json_text(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


class BulkWriter:
    """Writes large batches into the unit's site. Every row gets the unit's `site_id`."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.postgres = unit.conn.dialect.name == "postgresql"
        self._driver: Any = None

    async def _driver_connection(self) -> Any:
        if self._driver is None:
            # Start the unit's transaction through SQLAlchemy first, so the driver-level
            # writes below belong to it (asyncpg begins lazily on the first statement).
            await self.unit.conn.execute(text("SELECT 1"))
            raw = await self.unit.conn.get_raw_connection()
            self._driver = raw.driver_connection
        return self._driver

    async def reserve_ids(self, table: Table, count: int) -> list[int]:
        """`count` fresh primary keys for `table`, safe against concurrent inserts: a
        PostgreSQL sequence hands them out; SQLite's write lock is held by this unit."""
        if count <= 0:
            return []
        pk = table.primary_key.columns.values()[0]
        if self.postgres:
            sequence = func.pg_get_serial_sequence(table.name, pk.name)
            stmt = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            return [int(v) for v in (await self.unit.conn.execute(stmt)).scalars()]
        top = (await self.unit.conn.execute(select(func.coalesce(func.max(pk), 0)))).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + count))

    def _converters(self, table: Table, columns: Sequence[str]) -> list[tuple[int, Converter]]:
        found: list[tuple[int, Converter]] = []
        for index, name in enumerate(columns):
            column_type = table.c[name].type
            if isinstance(column_type, UTCDateTime):
                found.append((index, _naive_utc if self.postgres else _sqlite_time))
            elif isinstance(column_type, JSON):
                found.append((index, _json_text))
            elif isinstance(column_type, Boolean) and not self.postgres:
                found.append((index, _sqlite_bool))
        return found

    async def insert(
        self, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Insert rows (values in `columns` order, without site_id); returns how many."""
        names = ["site_id", *columns]
        converters = self._converters(table, columns)
        site_id = self.unit.site_id
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            values = [site_id, *row]
            for index, convert in converters:
                values[index + 1] = convert(values[index + 1])
            batch.append(tuple(values))
        if not batch:
            return 0
        driver = await self._driver_connection()
        if self.postgres:
            await driver.copy_records_to_table(table.name, records=batch, columns=names)
        else:
            placeholders = ", ".join("?" for _ in names)
            quoted = ", ".join(f'"{name}"' for name in names)
            sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})'
            driver.executemany(sql, batch)  # the unit's inline sqlite3 connection
        return len(batch)


async def settle_bulk_load(db: Database, tables: Sequence[Table]) -> None:
    """After a bulk load on PostgreSQL, VACUUM (ANALYZE) the tables loaded, as autovacuum would
    in its own time: the planner sees the new rows at once (instead of planning joins over
    "empty" tables meanwhile), and pages marked all-visible spare every scan a visibility
    check per row (a content search's scan of the courses: ~1,050 -> ~1,215 req/s). SQLite
    plans well from its indexes alone and has no such map."""
    if not db.is_postgres:
        return
    # VACUUM cannot run in a transaction: the readers' engine is in autocommit.
    async with db.reader.connect() as conn:
        for table in tables:
            await conn.execute(text(f'VACUUM (ANALYZE) "{table.name}"'))
