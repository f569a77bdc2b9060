from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

users = Table(
    "users",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("email", String(320), nullable=False),
    # Lower-cased email: unique per site; NULL once the user is deleted (frees the address).
    Column("email_key", String(320), nullable=True),
    Column("first_name", String(255), nullable=False, default=""),
    Column("last_name", String(255), nullable=False, default=""),
    Column("company", String(255), nullable=True),
    Column("headline", String(255), nullable=True),
    Column("bio", Text, nullable=True),
    Column("avatar_url", String(2048), nullable=True),
    Column("roles", JSONType, nullable=False, default=list),
    Column("external_source", String(255), nullable=True),
    Column("external_customer_id", String(255), nullable=True),
    Column("affiliate_code", String(255), nullable=True),
    Column("affiliate_commission", Float, nullable=True),
    Column("affiliate_commission_type", String(1), nullable=True),
    Column("affiliate_payout_email", String(320), nullable=True),
    Column("password_hash", String(256), nullable=True),
    Column("status", String(16), nullable=False, default="active"),
    Column("platform_role", String(64), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("last_active_at", UTCDateTime(), nullable=True),
    Column("deleted_at", UTCDateTime(), nullable=True),
    # Live users of a site in id order: a deep page's ids come from this index alone
    # (store/base.py page()), the `deleted_at IS NULL` filter included.
    Index("ix_users_site_deleted_id", "site_id", "deleted_at", "id"),
    # Batches of users by uuid (event feeds name their people): without planner statistics
    # SQLite would take the site index and walk every user of the site.
    Index("ix_users_site_uuid", "site_id", "uuid"),
    Index("uq_users_site_email", "site_id", "email_key", unique=True),
    Index("ix_users_site_external_customer", "site_id", "external_customer_id"),
)

# SSO / OpenID Connect identities (Thinkific `external_id` + `provider`).
user_identities = Table(
    "user_identities",
    metadata,
    id_column(),
    site_column(),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("external_id", String(255), nullable=False),
    Index(
        "uq_user_identities_site_provider_ext", "site_id", "provider", "external_id", unique=True
    ),
    Index("ix_user_identities_user", "user_id"),
)
