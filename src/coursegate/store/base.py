"""Helpers every repository shares: site scoping, inserts, pages and counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter

from coursegate.store import counters
from coursegate.store.database import Unit
from coursegate.store.errors import UniqueViolation, unique_violation

# From this offset on, `page()` finds the page's ids before loading its rows.
DEFERRED_JOIN_FROM = 1000

# Hot statements (authentication, the unfiltered listings, keyed reads) are built once per
# process with the site and the page as bound parameters: building a select and generating its
# cache key cost more than running it (docs/performance.md).
SITE: BindParameter[int] = bindparam("site_id")
OFFSET: BindParameter[int] = bindparam("offset")
# The page size is written into the SQL (a handful of values, one prepared statement each):
# PostgreSQL cannot cost a plan whose LIMIT is a parameter (it assumes a tenth of the rows), so
# it planned every execution of a joined listing afresh, which cost more than running it.
LIMIT: BindParameter[int] = bindparam("limit", type_=Integer, literal_execute=True)


class Repo:
    """A table's queries, always scoped to the unit's site."""

    table: Table
    # The maintained count of this table's rows in the site (store/counters.py), if any.
    counter: str | None = None

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.conn = unit.conn
        self.site_id = unit.site_id
        # The count a listing page brought along, for `count()` of that same statement.
        self._counted: tuple[Select[Any], int] | None = None

    def remember_count(self, stmt: Select[Any], total: int | None) -> None:
        self._counted = None if total is None else (stmt, total)

    def scoped(self, *columns: Any) -> Select[Any]:
        cols = columns or (self.table,)
        return select(*cols).where(self.table.c.site_id == self.site_id)

    async def insert_row(self, values: dict[str, Any]) -> int:
        stmt = insert(self.table).values(site_id=self.site_id, **values)
        pk = self.table.primary_key.columns.values()[0]
        try:
            result = await self.conn.execute(stmt.returning(pk))
        except IntegrityError as exc:
            raise self._translate(exc) from exc
        if self.counter is not None:
            await counters.bump(self.conn, self.site_id, self.counter, 1)
        return int(result.scalar_one())

    async def uncount(self, removed: int) -> None:
        """Rows of this table were deleted: keep its counter exact (same transaction)."""
        if self.counter is not None and removed:
            await counters.bump(self.conn, self.site_id, self.counter, -removed)
            await counters.bump(
                self.conn, self.site_id, counters.removed_name(self.counter), removed
            )

    async def update_row(self, row_id: int, values: dict[str, Any]) -> None:
        if not values:
            return
        stmt = (
            update(self.table)
            .where(self.table.c.site_id == self.site_id, self.table.c.id == row_id)
            .values(**values)
        )
        try:
            await self.conn.execute(stmt)
        except IntegrityError as exc:
            raise self._translate(exc) from exc

    async def first(self, *where: ColumnElement[bool]) -> Any:
        result = await self.conn.execute(self.scoped().where(*where).limit(1))
        return result.first()

    async def exists(self, *where: ColumnElement[bool]) -> bool:
        result = await self.conn.execute(self.scoped(self.table.c.id).where(*where).limit(1))
        return result.first() is not None

    async def page(
        self,
        stmt: Select[Any],
        order_by: Sequence[Any],
        offset: int,
        limit: int,
        columns: Sequence[Any] = (),
    ) -> list[Any]:
        """A page of `stmt`'s rows, with `columns` added to the rows read (not to what the
        listing counts)."""
        listing, skipped = stmt, offset
        if offset >= DEFERRED_JOIN_FROM and len(order_by) == 1 and order_by[0] is self.table.c.id:
            # Deferred join: walk the offset over ids only (an index-only scan of (site_id, id)),
            # then load just the page's rows; a deep page no longer builds every skipped row.
            keys = self.page_keys(stmt).order_by(*order_by).offset(offset).limit(limit)
            stmt = stmt.where(self.table.c.id.in_(keys.scalar_subquery()))
            offset = 0
        stmt = stmt.add_columns(*columns).order_by(*order_by).offset(offset).limit(limit)
        rows = list((await self.conn.execute(stmt)).all())
        self.count_if_last(listing, rows, limit, skipped)
        return rows

    def count_if_last(self, stmt: Select[Any], rows: list[Any], limit: int, skipped: int) -> None:
        """A page that is not full ends its listing: the rows it skipped and shows are the
        listing's count (from the page's own snapshot), so a small filtered result (an email
        lookup, say) needs no COUNT."""
        if len(rows) < limit and (rows or skipped == 0):
            self.remember_count(stmt, skipped + len(rows))

    def page_keys(self, stmt: Select[Any]) -> Select[Any]:
        """The ids `stmt` lists (same joins and filters); repositories may narrow it."""
        return stmt.with_only_columns(self.table.c.id)

    async def count(self, stmt: Select[Any]) -> int:
        if self._counted is not None and self._counted[0] is stmt:
            return self._counted[1]
        name = counters.counter_of(stmt)
        if name is not None:
            value = await counters.read(self.conn, self.site_id, name)
            if value is not None:
                return value
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        return int((await self.conn.execute(counted)).scalar_one())

    @staticmethod
    def _translate(exc: IntegrityError) -> Exception:
        violation = unique_violation(exc)
        return violation if violation is not None else exc


def escape_like(value: str) -> str:
    """Make user text literal inside LIKE patterns (wildcards are not operators)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["LIMIT", "OFFSET", "SITE", "Repo", "UniqueViolation", "escape_like"]
