"""Reading a site's event log in tests (every mutation must have recorded its event)."""

from __future__ import annotations

from coursegate.domain.context import Ctx
from coursegate.store.events import EventRepo
from coursegate.store.tables.events import events


async def event_types(ctx: Ctx) -> list[str]:
    async with ctx.reading() as u:
        repo = EventRepo(u)
        rows = await u.conn.execute(repo.scoped(events.c.type).order_by(events.c.seq))
        return [r.type for r in rows]
