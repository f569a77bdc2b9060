"""One entry of the domain event log, as the projections read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    seq: int
    uuid: str
    type: str
    occurred_at: datetime
    subject_type: str
    subject_id: int | None
    subject_uuid: str | None
    user_uuid: str | None
    course_uuid: str | None
    payload: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> LoggedEvent:
        # Attributes, not `row._mapping`: a direct row builds that dict on every call.
        return cls(
            seq=row.seq,
            uuid=row.uuid,
            type=row.type,
            occurred_at=row.occurred_at,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            subject_uuid=row.subject_uuid,
            user_uuid=row.user_uuid,
            course_uuid=row.course_uuid,
            payload=row.payload or {},
        )


@dataclass(frozen=True, slots=True)
class FeedFilter:
    """Which events a feed lists: types (some only about a course), a time window, one user
    or one notifiable (course or other subject)."""

    types: Sequence[str]
    # Types that count only when the event is about a course.
    course_types: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    notifiable_uuid: str | None = None
    user_uuid: str | None = None
