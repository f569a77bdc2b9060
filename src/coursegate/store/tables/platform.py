from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, String, Table, Text

from coursegate.store.tables.base import id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

sites = Table(
    "sites",
    metadata,
    id_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("subdomain", String(63), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("sandbox", Boolean, nullable=False, default=False),
    Column("rate_limits_enabled", Boolean, nullable=False, default=True),
    # Per-vendor profile overrides (rate limits, envelope style): see platform/profiles.py.
    Column("profile", JSONType, nullable=False, default=dict),
    Column("clock_offset_seconds", Float, nullable=False, default=0.0),
    Column("clock_frozen_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    id_column(),
    site_column(),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("salt", String(64), nullable=False),
    Column("secret_hash", String(128), nullable=False),
    Column("label", String(255), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

# Course custom fields an administrator configured (Thought Industries `customFields` keys).
custom_field_definitions = Table(
    "custom_field_definitions",
    metadata,
    id_column(),
    site_column(),
    Column("key", String(128), nullable=False),
    Column("label", String(255), nullable=False),
    Column("field_type", String(32), nullable=False, default="text"),
    Column("description", Text, nullable=True),
    Index("uq_custom_field_definitions_site_key", "site_id", "key", unique=True),
)
