"""What is sold and shown: product prices, related products, bundles, categories, publish
requests and course reviews (the Thinkific catalog around courses)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import UTCDateTime, UUIDStr

product_prices = Table(
    "product_prices",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("product_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("payment_type", String(16), nullable=False),
    Column("price_cents", Integer, nullable=False, default=0),
    Column("currency", String(3), nullable=False, default="usd"),
    Column("label", String(255), nullable=True),
    Column("is_primary", Boolean, nullable=False, default=False),
    Column("days_until_expiry", Integer, nullable=True),
    Column("pay_button_text", String(255), nullable=True),
    Column("number_of_payments", Integer, nullable=True),
    Column("interval", String(8), nullable=True),
    Column("interval_count", Integer, nullable=True),
    Column("trial_interval", String(8), nullable=True),
    Column("trial_interval_count", Integer, nullable=True),
    Column("custom_first_price_cents", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_product_prices_product", "product_id"),
)

related_products = Table(
    "related_products",
    metadata,
    id_column(),
    site_column(),
    Column("product_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("related_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Index("uq_related_products_pair", "product_id", "related_id", unique=True),
)

bundles = Table(
    "bundles",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("description", Text, nullable=True),
    Column("tagline", String(255), nullable=True),
    Column("card_image_url", String(2048), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_bundles_site_slug", "site_id", "slug", unique=True),
)

bundle_courses = Table(
    "bundle_courses",
    metadata,
    id_column(),
    site_column(),
    Column("bundle_id", IdType, ForeignKey("bundles.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Index("uq_bundle_courses_pair", "bundle_id", "course_id", unique=True),
)

# A user's access to a bundle; its dates are applied to the per-course enrollments.
bundle_enrollments = Table(
    "bundle_enrollments",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("bundle_id", IdType, ForeignKey("bundles.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("activated_at", UTCDateTime(), nullable=True),
    Column("expiry_date", UTCDateTime(), nullable=True),
    Column("source", String(64), nullable=False, default="api"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_bundle_enrollments_pair", "bundle_id", "user_id", unique=True),
    Index("ix_bundle_enrollments_user", "user_id"),
)

# Thinkific "collections" (categories).
categories = Table(
    "categories",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_categories_site_slug", "site_id", "slug", unique=True),
)

category_products = Table(
    "category_products",
    metadata,
    id_column(),
    site_column(),
    Column("category_id", IdType, ForeignKey("categories.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Index("uq_category_products_pair", "category_id", "product_id", unique=True),
    Index("ix_category_products_product", "product_id"),
)

product_publish_requests = Table(
    "product_publish_requests",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("product_id", IdType, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("requesting_user_id", IdType, nullable=False),
    Column("responding_user_id", IdType, nullable=True),
    Column("response_text", Text, nullable=True),
    Column("notify_requester", Boolean, nullable=False, default=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_product_publish_requests_site_status", "site_id", "status", "id"),
)

course_reviews = Table(
    "course_reviews",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("review_text", Text, nullable=False),
    Column("approved", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_course_reviews_course", "course_id", "id"),
    Index("ix_course_reviews_user", "user_id"),
)
