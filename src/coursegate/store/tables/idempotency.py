"""Stored answers to POSTs sent with an `Idempotency-Key` (a coursegate extension)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    id_column(),
    site_column(),
    # Scoped per API key: two integrations of one site never collide.
    Column("api_key_id", IdType, ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    # sha256 of method, path, query and body: a retry must be the same request.
    Column("request_hash", String(64), nullable=False),
    # NULL while the first request is still running (the claim); set with the stored answer.
    Column("status", Integer, nullable=True),
    Column("response_headers", JSONType, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_idempotency_keys_site_api_key_key", "site_id", "api_key_id", "key", unique=True),
    Index("ix_idempotency_keys_site_created", "site_id", "created_at"),
)
