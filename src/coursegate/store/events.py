"""The append-only event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from coursegate.store import counters
from coursegate.store.base import Repo
from coursegate.store.tables.events import events


class EventRepo(Repo):
    table = events

    async def append(self, values: dict[str, Any]) -> int:
        result = await self.conn.execute(
            insert(events).values(site_id=self.site_id, **values).returning(events.c.seq)
        )
        about_course = values.get("course_uuid") is not None
        await counters.count_event(self.conn, self.site_id, values["type"], about_course)
        return int(result.scalar_one())
