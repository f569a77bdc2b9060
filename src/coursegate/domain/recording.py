"""Every mutation records its event here, inside the mutation's own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.events.model import LoggedEvent
from coursegate.events.outbox import fan_out
from coursegate.platform.ids import new_uuid
from coursegate.store.database import Unit
from coursegate.store.events import EventRepo


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


async def record(
    u: Unit,
    event_type: str,
    subject_type: str,
    subject_id: int | None,
    subject_uuid: str | None,
    payload: dict[str, Any],
    *,
    user_uuid: str | None = None,
    course_uuid: str | None = None,
) -> int:
    """Append one event and queue its webhook deliveries; returns its sequence number."""
    values: dict[str, Any] = {
        "uuid": new_uuid(),
        "type": event_type,
        "occurred_at": u.now,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_uuid": subject_uuid,
        "user_uuid": user_uuid,
        "course_uuid": course_uuid,
        "payload": jsonable(payload),
    }
    seq = await EventRepo(u).append(values)
    await fan_out(u, LoggedEvent(seq=seq, **values))
    return seq
