"""People around the catalog: groups and their analysts, custom profile fields, and the
site's own scripts and app secret."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

groups = Table(
    "groups",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("token", String(8), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_groups_site_name", "site_id", "name", unique=True),
    Index("uq_groups_site_token", "site_id", "token", unique=True),
)

group_users = Table(
    "group_users",
    metadata,
    id_column(),
    site_column(),
    Column("group_id", IdType, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_group_users_pair", "group_id", "user_id", unique=True),
    Index("ix_group_users_user", "user_id"),
)

group_analysts = Table(
    "group_analysts",
    metadata,
    id_column(),
    site_column(),
    Column("group_id", IdType, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_group_analysts_pair", "group_id", "user_id", unique=True),
    Index("ix_group_analysts_user", "user_id"),
)

profile_field_definitions = Table(
    "profile_field_definitions",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("label", String(255), nullable=False),
    Column("field_type", String(32), nullable=False, default="text"),
    Column("required", Boolean, nullable=False, default=False),
    Column("position", Integer, nullable=False, default=0),
    Index("uq_profile_field_definitions_site_label", "site_id", "label", unique=True),
)

profile_field_values = Table(
    "profile_field_values",
    metadata,
    id_column(),
    site_column(),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column(
        "definition_id",
        IdType,
        ForeignKey("profile_field_definitions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("value", Text, nullable=True),
    Index("uq_profile_field_values_pair", "user_id", "definition_id", unique=True),
    Index("ix_profile_field_values_definition", "definition_id"),
)

site_scripts = Table(
    "site_scripts",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("src", String(2048), nullable=True),
    Column("content", Text, nullable=True),
    Column("page_scopes", JSONType, nullable=False, default=list),
    Column("location", String(8), nullable=False, default="footer"),
    Column("load_method", String(8), nullable=False, default="async"),
    Column("category", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# The secret that signs inline site-script content (the "app client secret" of a hosted site).
site_app_secrets = Table(
    "site_app_secrets",
    metadata,
    id_column(),
    site_column(),
    Column("secret", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_site_app_secrets_site", "site_id", unique=True),
)
