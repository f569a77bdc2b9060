"""Maintained row counts per site (the `counters` table).

A counter moves in the same transaction as the rows it counts, so it is exact whenever a
transaction can see it. Repositories bump theirs on insert and delete (`Repo.counter`);
`count()` reads it for statements tagged by `counted()` as the table's unfiltered listing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store import direct
from coursegate.store.member_of import member_of
from coursegate.store.tables.counters import counters

_OPTION = "coursegate_counter"
# Read on every unfiltered listing: built once (see store/base.py, "Hot statements").
_READ = select(counters.c.value).where(
    counters.c.site_id == bindparam("site_id"), counters.c.name == bindparam("name")
)
_READ_MANY = select(counters.c.name, counters.c.value).where(
    counters.c.site_id == bindparam("site_id"),
    member_of(counters.c.name, "names"),
)


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
    found = await direct.execute(conn, _READ, {"site_id": site_id, "name": name})
    value = found.scalar_one_or_none()
    return None if value is None else int(value)


# Present (1) for sites whose every event was counted by type since the site was created.
EVENTS_COUNTED = "events:counted"


def event_counter(event_type: str, about_course: bool = False) -> str:
    """The count of a site's events of a type (those about a course, when `about_course`):
    event feeds filtered by type read their totals from these."""
    return f"events:{event_type}:course" if about_course else f"events:{event_type}"


async def count_event(
    conn: AsyncConnection, site_id: int, event_type: str, about_course: bool
) -> None:
    await bump(conn, site_id, event_counter(event_type), 1)
    if about_course:
        await bump(conn, site_id, event_counter(event_type, about_course=True), 1)


async def read_many(conn: AsyncConnection, site_id: int, names: list[str]) -> dict[str, int]:
    rows = await direct.execute(conn, _READ_MANY, {"site_id": site_id, "names": names})
    return {str(name): int(value) for name, value in rows}


def removed_name(name: str) -> str:
    """The counter of rows ever removed from counter `name`'s listing (page anchors use it to
    know that no row before them went away)."""
    return f"{name}:removed"


def counted(stmt: Select[Any], base: Select[Any], name: str) -> Select[Any]:
    """Tag `stmt` with counter `name` when it is `base` (the listing that counter counts, and
    the statement `stmt` was built from) with no condition or join added. Anything added
    afterwards voids the tag (see `counter_of`)."""
    if _shape(stmt) == _shape(base) and _same_criteria(stmt, base):
        return stmt.execution_options(**{_OPTION: (name, _criteria(stmt), _shape(stmt))})
    return stmt


def counter_of(stmt: Select[Any]) -> str | None:
    tag = stmt.get_execution_options().get(_OPTION)
    if tag is None:
        return None
    name, criteria, shape = tag
    ours = _criteria(stmt)
    same = len(ours) == len(criteria) and all(a is b for a, b in zip(ours, criteria, strict=True))
    return str(name) if same and _shape(stmt) == shape else None


# Generative selects share their criteria objects with the statement they were built from,
# so "nothing added" is an identity check: cheap enough for every request (a structural
# compare, or compiling the FROM list, cost more than the COUNT it replaces on small sites).
def _criteria(stmt: Select[Any]) -> tuple[Any, ...]:
    return tuple(getattr(stmt, "_where_criteria", ()))


def _same_criteria(stmt: Select[Any], base: Select[Any]) -> bool:
    ours, theirs = _criteria(stmt), _criteria(base)
    return len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs, strict=True))


def _shape(stmt: Select[Any]) -> tuple[int, int, bool]:
    joins = len(getattr(stmt, "_setup_joins", ()))
    return joins, len(getattr(stmt, "_from_obj", ())), getattr(stmt, "_having_criteria", ()) == ()
