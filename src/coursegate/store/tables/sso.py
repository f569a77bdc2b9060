"""Single sign-on attempts, kept for administrators (Thought Industries `GET /logs/sso`)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

sso_logs = Table(
    "sso_logs",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    # The mechanism: jwt, saml, oidc...
    Column("kind", String(32), nullable=False),
    Column("email", String(320), nullable=True),
    Column("success", Boolean, nullable=False),
    Column("message", Text, nullable=True),
    Column("details", JSONType, nullable=False, default=dict),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_sso_logs_site_created", "site_id", "created_at", "id"),
)
