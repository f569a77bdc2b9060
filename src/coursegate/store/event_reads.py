"""Reading the event log back, newest last (for audits, the CLI and tests)."""

from __future__ import annotations

from typing import Any

from coursegate.store.base import Repo
from coursegate.store.tables.events import events


class EventReader(Repo):
    table = events

    async def of_type(
        self, event_type: str, subject_uuid: str | None = None
    ) -> list[dict[str, Any]]:
        stmt = self.scoped().where(events.c.type == event_type)
        if subject_uuid is not None:
            stmt = stmt.where(events.c.subject_uuid == subject_uuid)
        rows = await self.conn.execute(stmt.order_by(events.c.seq))
        return [dict(r._mapping) for r in rows]
