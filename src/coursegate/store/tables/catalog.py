from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

instructors = Table(
    "instructors",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, nullable=True),
    Column("first_name", String(255), nullable=False),
    Column("last_name", String(255), nullable=False),
    Column("title", String(255), nullable=True),
    Column("bio", Text, nullable=True),
    Column("slug", String(255), nullable=True),
    Column("avatar_url", String(2048), nullable=True),
    Column("email", String(320), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

courses = Table(
    "courses",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("title", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("course_type", String(32), nullable=False, default="course"),
    Column("status", String(16), nullable=False, default="draft"),
    Column("description", Text, nullable=True),
    Column("subtitle", String(255), nullable=True),
    Column("authors", JSONType, nullable=False, default=list),
    Column("external_id", String(255), nullable=True),
    Column("custom_fields", JSONType, nullable=False, default=dict),
    Column("is_free", Boolean, nullable=False, default=False),
    Column("source", String(255), nullable=True),
    Column("keywords", String(1024), nullable=True),
    Column("card_image_url", String(2048), nullable=True),
    Column("language", String(16), nullable=False, default="en"),
    Column("sku", String(255), nullable=True),
    Column("seats_limit", Integer, nullable=True),
    # A card ribbon and the schedule (Thought Industries content items show both).
    Column("ribbon_label", String(64), nullable=True),
    Column("ribbon_color", String(7), nullable=True),
    Column("course_starts_at", UTCDateTime(), nullable=True),
    Column("course_ends_at", UTCDateTime(), nullable=True),
    Column("enrollment_starts_at", UTCDateTime(), nullable=True),
    Column("enrollment_ends_at", UTCDateTime(), nullable=True),
    Column("reviews_enabled", Boolean, nullable=False, default=True),
    Column("instructor_id", IdType, ForeignKey("instructors.id"), nullable=True),
    Column("creator_user_id", IdType, nullable=True),
    Column("price_cents", Integer, nullable=False, default=0),
    Column("enrollment_count", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("published_at", UTCDateTime(), nullable=True),
    Index("uq_courses_site_slug", "site_id", "slug", unique=True),
    Index("uq_courses_site_title", "site_id", "title", unique=True),
    Index("uq_courses_site_external_id", "site_id", "external_id", unique=True),
    Index("ix_courses_site_updated", "site_id", "updated_at", "id"),
    Index("ix_courses_site_uuid", "site_id", "uuid"),  # batches by uuid (see users)
)

tags = Table(
    "tags",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("label", String(255), nullable=False),
    Column("label_key", String(255), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_tags_site_label_key", "site_id", "label_key", unique=True),
)

course_tags = Table(
    "course_tags",
    metadata,
    id_column(),
    site_column(),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("tag_id", IdType, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Index("uq_course_tags_course_tag", "course_id", "tag_id", unique=True),
    Index("ix_course_tags_site_course_position", "site_id", "course_id", "position"),
)

# Thinkific "chapters" are Thought Industries "sections".
chapters = Table(
    "chapters",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("description", Text, nullable=True),
    Column("position", Integer, nullable=False),
    Column("release_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # Site first: a page of courses asks for its chapters by (site, course ids), and SQLite,
    # without statistics, preferred the site-only index to one that starts with the course.
    Index("ix_chapters_site_course_position", "site_id", "course_id", "position"),
)

# Thinkific "contents" are Thought Industries "lessons".
lessons = Table(
    "lessons",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("chapter_id", IdType, ForeignKey("chapters.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(32), nullable=False, default="Lesson"),
    Column("free_preview", Boolean, nullable=False, default=False),
    Column("duration_seconds", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_lessons_chapter_position", "chapter_id", "position"),
    Index("ix_lessons_course", "course_id"),
)

products = Table(
    "products",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("productable_type", String(16), nullable=False),
    Column("productable_id", IdType, nullable=False),
    Column("name", String(255), nullable=False),
    Column("slug", String(255), nullable=False),
    Column("status", String(16), nullable=False, default="draft"),
    Column("position", Integer, nullable=False, default=0),
    Column("private", Boolean, nullable=False, default=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("price_cents", Integer, nullable=False, default=0),
    Column("currency", String(3), nullable=False, default="usd"),
    Column("days_until_expiry", Integer, nullable=True),
    Column("description", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("uq_products_productable", "site_id", "productable_type", "productable_id", unique=True),
)
