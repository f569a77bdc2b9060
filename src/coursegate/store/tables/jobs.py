"""Background jobs: bulk operations processed in batches, with a truthful status."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from coursegate.store.tables.base import id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

jobs = Table(
    "jobs",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("job_type", String(64), nullable=False),
    Column("description", String(255), nullable=False),
    # queued | running | complete | failed
    Column("status", String(16), nullable=False),
    Column("total_count", Integer, nullable=False, default=0),
    Column("processed_count", Integer, nullable=False, default=0),
    Column("succeeded_count", Integer, nullable=False, default=0),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("error_message", Text, nullable=True),
    # The input still to process (so a restarted worker can resume) and per-record results.
    Column("payload", JSONType, nullable=False, default=list),
    Column("results", JSONType, nullable=False, default=list),
    Column("repeatable", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_jobs_site_status", "site_id", "status"),
)
