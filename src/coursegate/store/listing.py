"""Prebuilt unfiltered listings, and page anchors so that Thinkific's page N costs what page 1
costs.

A page number is an OFFSET, and an OFFSET walks every skipped row. A listing ordered by id can
instead seek: if exactly k rows precede the row whose id is m, page `offset` starts
`offset - k` rows after m, and a sequential walk (each page remembers where the next one
starts) seeks straight to it. Those marks stay exact as long as no row was removed and every row
added since lies after them, which the maintained counters tell cheaply: one statement reads the
listing's count, its removal count (bumped with every removal, in the removing transaction) and
the number of rows after the largest id seen. Any other change drops the marks, and the page is
served from the index as before.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store import base, direct
from coursegate.store import counters as counter_rows
from coursegate.store.base import LIMIT, OFFSET, SITE
from coursegate.store.tables.counters import counters

MARKS_PER_LISTING = 4096
NEWER_CHECKED = 10_000
# Columns the listing's statements add to its rows.
TOTAL, REMOVED, NEWER, LARGEST = "listing_total", "listing_removed", "listing_newer", "listing_last"
LISTINGS_REMEMBERED = 256


@dataclass(slots=True)
class _Marks:
    total: int  # the listing's count when last checked
    removed: int  # its removal count then
    last_id: int  # the largest id it held then
    offsets: list[int] = field(default_factory=list)  # sorted
    ids: dict[int, int] = field(default_factory=dict)  # offset -> id of the row there

    def still_exact(self, total: Any, removed: Any, newer: Any, largest: Any) -> bool:
        """Given the listing's state now: true (and the marks move on to it) when no row was
        removed and every row added lies after the marks."""
        if (
            total is None
            or int(removed or 0) != self.removed
            or newer >= NEWER_CHECKED
            or total - self.total != newer
        ):
            return False
        self.total, self.last_id = int(total), int(largest or 0)
        return True

    def nearest(self, offset: int) -> tuple[int, int] | None:
        at = bisect_right(self.offsets, offset)
        if at == 0:
            return None
        k = self.offsets[at - 1]
        return k, self.ids[k]

    def remember(self, offset: int, row_id: int) -> None:
        if offset in self.ids:
            return
        if len(self.offsets) >= MARKS_PER_LISTING:
            # Keep every other mark: coverage stays even, the distance to a mark doubles.
            kept = self.offsets[::2]
            self.ids = {k: self.ids[k] for k in kept}
            self.offsets = kept
        insort(self.offsets, offset)
        self.ids[offset] = row_id


# Per process: (site id, listing name) -> marks. Losing them only costs speed.
_MARKS: OrderedDict[tuple[int, str], _Marks] = OrderedDict()


class PagedListing:
    """One listing, prebuilt: `rows` (site-scoped, selecting `id_column`) by page and by keyset.
    `keys` selects the same ids from an index alone; `name` is the listing's counter."""

    def __init__(self, name: str, rows: Select[Any], keys: Select[Any], id_column: Any) -> None:
        self.name = name
        self.removed_name = counter_rows.removed_name(name)

        def value_of(counter: str) -> Any:
            return (
                select(counters.c.value)
                .where(counters.c.site_id == SITE, counters.c.name == counter)
                .scalar_subquery()
            )

        ordered = rows.order_by(id_column)
        # Bounded: the count stays a short index walk (and PostgreSQL's generic plan for it a
        # plain one, not a parallel scan); a longer tail just renews the marks.
        # `last_id` behind a scalar subquery: PostgreSQL then costs this count alike with or
        # without the value, so the page statements it joins keep one generic plan instead of
        # being planned again on every execution (planning them took 1 ms, running 0.2 ms).
        last_id = select(bindparam("last_id", type_=Integer)).scalar_subquery()
        newer = keys.where(id_column > last_id).limit(NEWER_CHECKED).subquery()
        newer_count = select(func.count()).select_from(newer).scalar_subquery()
        largest = select(func.max(keys.subquery().c[id_column.key])).scalar_subquery()
        # Pages carry the listing's count in the same statement (and snapshot): no separate
        # round trip for `total_items`.
        counted = ordered.add_columns(value_of(name).label(TOTAL))
        # The first page has no OFFSET: with the LIMIT written in, PostgreSQL keeps one plan.
        self.first = counted.limit(LIMIT)
        self.shallow = counted.offset(OFFSET).limit(LIMIT)
        deep_ids = keys.order_by(id_column).offset(OFFSET).limit(LIMIT).scalar_subquery()
        self.deep = counted.where(id_column.in_(deep_ids))
        # A page seeking from a mark brings what tells whether the marks are still exact.
        seek = counted.add_columns(
            value_of(self.removed_name).label(REMOVED),
            newer_count.label(NEWER),
            largest.label(LARGEST),
        ).where(id_column >= bindparam("mark"))
        self.from_mark = seek.offset(OFFSET).limit(LIMIT)
        # A page that starts at a mark (a revisit, or the next page of a walk) has no OFFSET:
        # with no OFFSET parameter PostgreSQL keeps one plan for it.
        self.at_mark = seek.limit(LIMIT)
        self.after = counted.where(id_column > bindparam("after_id")).limit(LIMIT)
        # Marks with no page to bring their check along (an empty page, or one before the
        # first mark): checked alone. Without marks: the state new marks start from.
        self.check = select(value_of(name), value_of(self.removed_name), newer_count, largest)
        self.fresh = select(value_of(name), value_of(self.removed_name), largest)
        self.id_key = id_column.key

    async def keyset(
        self, conn: AsyncConnection, site_id: int, after_id: int | None, limit: int
    ) -> tuple[list[Any], int | None]:
        """The rows after `after_id` (a cursor) and the listing's count."""
        params = {"site_id": site_id, "after_id": after_id or 0, "limit": limit}
        rows = list((await direct.execute(conn, self.after, params)).all())
        return rows, _total_of(rows)

    async def page(
        self, conn: AsyncConnection, site_id: int, offset: int, limit: int
    ) -> tuple[list[Any], int | None]:
        """The rows at `offset` and the listing's count (None if a page past the end cannot
        tell); deep pages seek from the nearest exact mark."""
        params = {"site_id": site_id, "offset": offset, "limit": limit}
        if offset < base.DEFERRED_JOIN_FROM:
            stmt = self.first if offset == 0 else self.shallow
            rows = list((await direct.execute(conn, stmt, params)).all())
            return rows, _total_of(rows)
        params["limit"] = limit + 1  # one row more: where the next page starts
        key = (site_id, self.name)
        marks = _MARKS.get(key)
        mark = marks.nearest(offset) if marks is not None else None
        if marks is not None and mark is not None:
            k, mark_id = mark
            seek = params | {"mark": mark_id, "offset": offset - k, "last_id": marks.last_id}
            stmt = self.at_mark if offset == k else self.from_mark
            rows = list((await direct.execute(conn, stmt, seek)).all())
            if rows and marks.still_exact(*_state(rows[0])):
                _MARKS.move_to_end(key)
                return self._remembered(marks, offset, limit, rows)
            marks = None  # stale (or nothing to tell): start again from the index
        elif marks is not None:
            checked = {"site_id": site_id, "last_id": marks.last_id}
            if not marks.still_exact(*(await direct.execute(conn, self.check, checked)).one()):
                marks = None
        if marks is None:
            total, removed, largest = (
                await direct.execute(conn, self.fresh, {"site_id": site_id})
            ).one()
            marks = (
                None if total is None else _Marks(int(total), int(removed or 0), int(largest or 0))
            )
            if marks is not None:
                _MARKS[key] = marks
                if len(_MARKS) > LISTINGS_REMEMBERED:
                    _MARKS.popitem(last=False)
        rows = list((await direct.execute(conn, self.deep, params)).all())
        return self._remembered(marks, offset, limit, rows)

    def _remembered(
        self, marks: _Marks | None, offset: int, limit: int, rows: list[Any]
    ) -> tuple[list[Any], int | None]:
        if marks is not None and rows:
            marks.remember(offset, getattr(rows[0], self.id_key))
            if len(rows) > limit:
                marks.remember(offset + limit, getattr(rows[limit], self.id_key))
        return rows[:limit], _total_of(rows)


def _state(row: Any) -> tuple[Any, Any, Any, Any]:
    return (getattr(row, TOTAL), getattr(row, REMOVED), getattr(row, NEWER), getattr(row, LARGEST))


def _total_of(rows: list[Any]) -> int | None:
    value = getattr(rows[0], TOTAL) if rows else None
    return None if value is None else int(value)
