"""Maintained row counts per site (the `counters` table).

A counter moves in the same transaction as the rows it counts, so it is exact whenever a
transaction can see it. Repositories bump theirs on insert and delete (`Repo.counter`);
`count()` reads it for statements tagged by `counted()` as the table's unfiltered listing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store.tables.counters import counters

_OPTION = "coursegate_counter"


async def bump(conn: AsyncConnection, site_id: int, name: str, delta: int) -> None:
    """Add `delta` to a counter, creating it at `delta` (an upsert: no lost first update)."""
    if delta == 0:
        return
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = make(counters).values(site_id=site_id, name=name, value=delta)
    stmt = stmt.on_conflict_do_update(
        index_elements=[counters.c.site_id, counters.c.name],
        set_={"value": counters.c.value + delta},
    )
    await conn.execute(stmt)


async def read(conn: AsyncConnection, site_id: int, name: str) -> int | None:
    """The counter's value, or None when nothing was ever counted under that name."""
    stmt = select(counters.c.value).where(counters.c.site_id == site_id, counters.c.name == name)
    value = (await conn.execute(stmt)).scalar_one_or_none()
    return None if value is None else int(value)


def counted(stmt: Select[Any], base: Select[Any], name: str) -> Select[Any]:
    """Tag `stmt` with counter `name` when it filters exactly like `base` (the listing that
    counter counts). Any extra condition, added here or later, voids the tag (see `counter_of`)."""
    if _same_filter(stmt, base):
        return stmt.execution_options(**{_OPTION: (name, base)})
    return stmt


def counter_of(stmt: Select[Any]) -> str | None:
    tag = stmt.get_execution_options().get(_OPTION)
    if tag is None:
        return None
    name, base = tag
    return str(name) if _same_filter(stmt, base) else None


def _same_filter(stmt: Select[Any], base: Select[Any]) -> bool:
    ours, theirs = stmt.whereclause, base.whereclause
    if ours is None or theirs is None:
        same_where = ours is None and theirs is None
    else:
        same_where = bool(ours.compare(theirs))
    # An added join filters rows too. Compared by shape: `get_final_froms()` would compile the
    # statement on every request.
    return same_where and _joins(stmt) == _joins(base)


def _joins(stmt: Select[Any]) -> tuple[int, int]:
    return len(getattr(stmt, "_setup_joins", ())), len(getattr(stmt, "_from_obj", ()))
