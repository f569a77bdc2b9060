"""Commerce: promotions and their coupons, orders, external orders, redemption codes."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

promotions = Table(
    "promotions",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=True),
    Column("discount_type", String(16), nullable=False),
    # Exactly one of these is set, by discount_type: cents off (fixed) or percent off.
    Column("amount_cents", Integer, nullable=True),
    Column("percent_off", Float, nullable=True),
    Column("starts_at", UTCDateTime(), nullable=True),
    Column("expires_at", UTCDateTime(), nullable=True),
    Column("duration", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# No rows for a promotion means it applies to every product.
promotion_products = Table(
    "promotion_products",
    metadata,
    id_column(),
    site_column(),
    Column("promotion_id", IdType, ForeignKey("promotions.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Index("uq_promotion_products_pair", "promotion_id", "product_id", unique=True),
)

coupons = Table(
    "coupons",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("promotion_id", IdType, ForeignKey("promotions.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(255), nullable=False),
    # Lower-cased code: codes are unique per site, compared without case.
    Column("code_key", String(255), nullable=False),
    Column("note", Text, nullable=True),
    Column("quantity", Integer, nullable=True),
    Column("quantity_used", Integer, nullable=False, default=0),
    Column("generated", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_coupons_site_code_key", "site_id", "code_key", unique=True),
    Index("ix_coupons_promotion", "promotion_id", "id"),
)

# Orders keep snapshots (product name, coupon code) so history survives later edits.
orders = Table(
    "orders",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, nullable=False),
    Column("product_id", IdType, nullable=False),
    Column("product_name", String(255), nullable=False),
    Column("list_price_cents", Integer, nullable=False),
    Column("discount_cents", Integer, nullable=False, default=0),
    Column("amount_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("coupon_id", IdType, nullable=True),
    Column("coupon_code", String(255), nullable=True),
    Column("promotion_id", IdType, nullable=True),
    Column("subscription", Boolean, nullable=False, default=False),
    Column("affiliate_referral_code", String(255), nullable=True),
    Column("status", String(32), nullable=False),
    Column("items", JSONType, nullable=False, default=list),
    Column("created_at", UTCDateTime(), nullable=False),
)

external_orders = Table(
    "external_orders",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, nullable=False),
    Column("product_id", IdType, nullable=False),
    Column("payment_provider", String(255), nullable=False),
    Column("order_type", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

external_order_transactions = Table(
    "external_order_transactions",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column(
        "external_order_id",
        IdType,
        ForeignKey("external_orders.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", String(16), nullable=False),  # purchase | refund
    Column("amount", Integer, nullable=False),  # the currency's smallest unit
    Column("currency", String(3), nullable=False),
    Column("reference", String(255), nullable=True),
    Column("action", String(64), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_external_order_transactions_order", "external_order_id", "id"),
)

redemption_code_groups = Table(
    "redemption_code_groups",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("label", String(255), nullable=False),
    Column("code_length", Integer, nullable=False),
    Column("total_codes_count", Integer, nullable=False),
    Column("redeemed_codes_count", Integer, nullable=False, default=0),
    Column("expiration_date", UTCDateTime(), nullable=True),
    Column("access_days", Integer, nullable=True),
    Column("access_expiration_date", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_redemption_code_groups_site_label", "site_id", "label", "id"),
)

# What a group's codes grant: courses (learning paths are courses of that type).
redemption_code_group_courses = Table(
    "redemption_code_group_courses",
    metadata,
    id_column(),
    site_column(),
    Column(
        "group_id",
        IdType,
        ForeignKey("redemption_code_groups.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Index("uq_redemption_code_group_courses_pair", "group_id", "course_id", unique=True),
)

redemption_codes = Table(
    "redemption_codes",
    metadata,
    id_column(),
    site_column(),
    Column(
        "group_id",
        IdType,
        ForeignKey("redemption_code_groups.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("code", String(64), nullable=False),
    Column("redeemed_at", UTCDateTime(), nullable=True),
    Column("redeemed_by_user_id", IdType, nullable=True),
    Index("uq_redemption_codes_site_code", "site_id", "code", unique=True),
    Index("ix_redemption_codes_group", "group_id"),
)
