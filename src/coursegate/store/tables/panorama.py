"""Panorama: clients (B2B customers with their own portal) and the licenses sold to them."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

clients = Table(
    "clients",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("sku", String(255), nullable=True),
    Column("status", String(16), nullable=False, default="active"),
    Column("default_language", String(35), nullable=True),
    # The portal switches (segmentation, ecommerce, branding...), platform words -> bool.
    Column("features", JSONType, nullable=False, default=dict),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_clients_site_slug", "site_id", "slug", unique=True),
    Index("ix_clients_site_name", "site_id", "name"),
)

licenses = Table(
    "licenses",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("client_id", IdType, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column(
        "parent_license_id", IdType, ForeignKey("licenses.id", ondelete="SET NULL"), nullable=True
    ),
    Column("name", String(255), nullable=False),
    Column("label", String(255), nullable=True),
    Column("sku", String(255), nullable=True),
    # NULL = unlimited. seats_used only moves through a guarded UPDATE (never over the limit).
    Column("seats_limit", Integer, nullable=True),
    Column("seats_used", Integer, nullable=False, default=0),
    Column("access_days", Integer, nullable=True),
    Column("expiration_date", UTCDateTime(), nullable=True),
    # Internal ids of the content the license grants.
    Column("course_ids", JSONType, nullable=False, default=list),
    Column("learning_path_ids", JSONType, nullable=False, default=list),
    Column("course_tag_ids", JSONType, nullable=False, default=list),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_licenses_site_sku", "site_id", "sku", unique=True),
    Index("ix_licenses_client", "client_id"),
)

license_assignments = Table(
    "license_assignments",
    metadata,
    id_column(),
    site_column(),
    Column("license_id", IdType, ForeignKey("licenses.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # student (takes a seat) | manager (administers the client's learners; no seat)
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index(
        "uq_license_assignments_license_user_role",
        "site_id",
        "license_id",
        "user_id",
        "role",
        unique=True,
    ),
    Index("ix_license_assignments_user", "user_id"),
)
