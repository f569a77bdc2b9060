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

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from coursegate.store import base
from coursegate.store import counters as counter_rows
from coursegate.store.base import LIMIT, OFFSET, SITE
from coursegate.store.tables.counters import counters

MARKS_PER_LISTING = 4096
NEWER_CHECKED = 10_000
LISTINGS_REMEMBERED = 256


@dataclass(slots=True)
class _Marks:
    total: int  # the listing's count when last checked
    removed: int  # its removal count then
    last_id: int  # the largest id it held then
    offsets: list[int] = field(default_factory=list)  # sorted
    ids: dict[int, int] = field(default_factory=dict)  # offset -> id of the row there

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
        ordered = rows.order_by(id_column)
        self.shallow = ordered.offset(OFFSET).limit(LIMIT)
        deep_ids = keys.order_by(id_column).offset(OFFSET).limit(LIMIT).scalar_subquery()
        self.deep = ordered.where(id_column.in_(deep_ids))
        self.from_mark = ordered.where(id_column >= bindparam("mark")).offset(OFFSET).limit(LIMIT)
        self.after = ordered.where(id_column > bindparam("after_id")).limit(LIMIT)

        def value_of(counter: str) -> Any:
            return (
                select(counters.c.value)
                .where(counters.c.site_id == SITE, counters.c.name == counter)
                .scalar_subquery()
            )

        # Bounded: the count stays a short index walk (and PostgreSQL's generic plan for it a
        # plain one, not a parallel scan); a longer tail just renews the marks.
        newer = keys.where(id_column > bindparam("last_id")).limit(NEWER_CHECKED).subquery()
        largest = select(func.max(keys.subquery().c[id_column.key])).scalar_subquery()
        # With marks: are they still exact? Without: the state new marks start from.
        self.check = select(
            value_of(name),
            value_of(self.removed_name),
            select(func.count()).select_from(newer).scalar_subquery(),
            largest,
        )
        self.fresh = select(value_of(name), value_of(self.removed_name), largest)
        self.id_key = id_column.key

    def keyset(
        self, site_id: int, after_id: int | None, limit: int
    ) -> tuple[Select[Any], dict[str, Any]]:
        return self.after, {"site_id": site_id, "after_id": after_id or 0, "limit": limit}

    async def page(self, conn: AsyncConnection, site_id: int, offset: int, limit: int) -> list[Any]:
        """The rows at `offset`; deep pages seek from the nearest exact mark."""
        params = {"site_id": site_id, "offset": offset, "limit": limit}
        if offset < base.DEFERRED_JOIN_FROM:
            return list((await conn.execute(self.shallow, params)).all())
        marks = await self._marks(conn, site_id)
        mark = marks.nearest(offset) if marks is not None else None
        # One row more than the page: where the next page starts.
        params["limit"] = limit + 1
        if mark is None:
            rows = list((await conn.execute(self.deep, params)).all())
        else:
            k, mark_id = mark
            params |= {"mark": mark_id, "offset": offset - k}
            rows = list((await conn.execute(self.from_mark, params)).all())
        if marks is not None and rows:
            marks.remember(offset, getattr(rows[0], self.id_key))
            if len(rows) > limit:
                marks.remember(offset + limit, getattr(rows[limit], self.id_key))
        return rows[:limit]

    async def _marks(self, conn: AsyncConnection, site_id: int) -> _Marks | None:
        """The listing's marks if still exact, fresh (empty) ones otherwise; None when the
        listing has no counter to check them by."""
        key = (site_id, self.name)
        marks = _MARKS.get(key)
        if marks is not None:
            params = {"site_id": site_id, "last_id": marks.last_id}
            total, removed, newer, largest = (await conn.execute(self.check, params)).one()
            if (
                total is not None
                and int(removed or 0) == marks.removed
                and newer < NEWER_CHECKED
                and total - marks.total == newer  # all that was added lies after the marks
            ):
                marks.total, marks.last_id = int(total), int(largest or 0)
                _MARKS.move_to_end(key)
                return marks
        else:
            params = {"site_id": site_id}
            total, removed, largest = (await conn.execute(self.fresh, params)).one()
        if total is None:
            return None
        marks = _MARKS[key] = _Marks(int(total), int(removed or 0), int(largest or 0))
        if len(_MARKS) > LISTINGS_REMEMBERED:
            _MARKS.popitem(last=False)
        return marks
