"""Webhook subscriptions and their transactional outbox.

`webhook_deliveries` rows are written in the same transaction as the event they carry, so a
delivery exists exactly when its event committed. `webhook_attempts` is the delivery log.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

webhooks = Table(
    "webhooks",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    # Which vendor's contract the hook follows: "thinkific" or "thoughtindustries".
    Column("vendor", String(24), nullable=False),
    # Thinkific: one topic; Thought Industries: the `events` list.
    Column("topics", JSONType, nullable=False),
    Column("target_url", Text, nullable=False),
    Column("status", String(16), nullable=False),
    # The HMAC key deliveries are signed with; never returned after creation.
    Column("secret", String(128), nullable=False),
    Column("created_by", String(64), nullable=True),
    Column("updated_by", String(64), nullable=True),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("disabled_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_webhooks_site_status", "site_id", "status"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("webhook_id", IdType, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("event_seq", IdType, ForeignKey("events.seq", ondelete="CASCADE"), nullable=False),
    # The topic (Thinkific) or event name (Thought Industries) this delivery is for.
    Column("topic", String(64), nullable=False),
    # The exact bytes sent on every attempt (so the signature and the event id never change).
    Column("body", Text, nullable=False),
    # pending -> delivered | undeliverable
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    # Compared against the site's clock (sandboxes may run on a virtual clock).
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    # Real time until which a worker holds the delivery; a crashed worker's lease lapses.
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("last_attempt_at", UTCDateTime(), nullable=True),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_deliveries_queue", "webhook_id", "status", "id"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    id_column(),
    site_column(),
    Column(
        "delivery_id",
        IdType,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("number", Integer, nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Column("request_body", Text, nullable=False),
    Column("response_status", Integer, nullable=True),
    Column("response_excerpt", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
)
