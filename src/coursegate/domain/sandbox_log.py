"""Reading a site's own event log in order: what a simulation step recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.store.lifecycle import EventLogReader


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    seq: int
    uuid: str
    type: str
    occurred_at: datetime
    subject_type: str
    subject_id: int | None
    subject_uuid: str | None
    payload: dict[str, Any]


async def read_log(
    ctx: Ctx, after: int = 0, limit: int = 100, types: list[str] | None = None
) -> list[LoggedEvent]:
    async with ctx.reading() as u:
        rows = await EventLogReader(u).after(after, limit, types)
    return [
        LoggedEvent(
            r.seq,
            r.uuid,
            r.type,
            r.occurred_at,
            r.subject_type,
            r.subject_id,
            r.subject_uuid,
            r.payload,
        )
        for r in rows
    ]
