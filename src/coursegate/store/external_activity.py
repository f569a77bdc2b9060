"""Lookups the external-activity endpoints need beyond the catalog's own keys."""

from __future__ import annotations

from sqlalchemy import select

from coursegate.store.base import Repo
from coursegate.store.tables.catalog import courses


class CourseSkuRepo(Repo):
    table = courses

    async def id_by_sku(self, sku: str) -> int | None:
        """The oldest course with that SKU (SKUs are not unique in the catalog)."""
        found = (
            await self.conn.execute(
                select(courses.c.id)
                .where(courses.c.site_id == self.site_id, courses.c.sku == sku)
                .order_by(courses.c.id)
                .limit(1)
            )
        ).scalar()
        return int(found) if found is not None else None
