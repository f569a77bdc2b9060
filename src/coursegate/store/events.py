"""The append-only event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from coursegate.store.base import Repo
from coursegate.store.tables.events import events


class EventRepo(Repo):
    table = events

    async def append(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(
            insert(events).values(site_id=self.site_id, **values).returning(events.c.seq)
        )
        return int(result.scalar_one())
