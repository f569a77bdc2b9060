from __future__ import annotations

from sqlalchemy import Column, Index, String, Table

from coursegate.store.tables.base import IdType, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

# The append-only domain event log. `seq` is monotonic: consumers replay from any point.
events = Table(
    "events",
    metadata,
    Column("seq", IdType, primary_key=True, autoincrement=True),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", IdType, nullable=True),
    Column("subject_uuid", UUIDStr(), nullable=True),
    Column("user_uuid", UUIDStr(), nullable=True),
    Column("course_uuid", UUIDStr(), nullable=True),
    Column("payload", JSONType, nullable=False),
    Index("ix_events_site_type_time", "site_id", "type", "occurred_at", "seq"),
    Index("ix_events_site_time", "site_id", "occurred_at", "seq"),
    # Feeds of one learner (TI `userId=`), in time order.
    Index("ix_events_site_user_time", "site_id", "user_uuid", "occurred_at", "seq"),
)
