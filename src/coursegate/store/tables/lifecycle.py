"""The learning lifecycle: lesson completions, quiz attempts, certificates and their templates,
per-course certificate settings, and the time sweep's high-water mark."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

lesson_completions = Table(
    "lesson_completions",
    metadata,
    id_column(),
    site_column(),
    Column(
        "enrollment_id", IdType, ForeignKey("enrollments.id", ondelete="CASCADE"), nullable=False
    ),
    Column("lesson_id", IdType, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("completed_at", UTCDateTime(), nullable=False),
    # One completion per lesson per enrollment: completing again is a no-op.
    Index("uq_lesson_completions_enrollment_lesson", "enrollment_id", "lesson_id", unique=True),
    Index("ix_lesson_completions_course", "course_id"),
)

quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", IdType, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False),
    Column(
        "enrollment_id", IdType, ForeignKey("enrollments.id", ondelete="CASCADE"), nullable=False
    ),
    Column("score", Float, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Index("ix_quiz_attempts_user_lesson", "user_id", "lesson_id"),
)

certificate_templates = Table(
    "certificate_templates",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("title", String(255), nullable=False),
    Column("resource_type", String(32), nullable=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="SET NULL"), nullable=True),
    Column("asset", String(2048), nullable=True),
    Column("supplemental_assets", JSONType, nullable=False, default=list),
    Column("expiration_date", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Per-course certificate rules. A course without a row issues certificates that never expire.
course_certificate_settings = Table(
    "course_certificate_settings",
    metadata,
    id_column(),
    site_column(),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("valid_days", Integer, nullable=True),
    Column(
        "template_id",
        IdType,
        ForeignKey("certificate_templates.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_course_certificate_settings_course", "site_id", "course_id", unique=True),
)

certificates = Table(
    "certificates",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("resource_type", String(32), nullable=False, default="course"),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column(
        "template_id",
        IdType,
        ForeignKey("certificate_templates.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=True),
    Column("recertify_by", UTCDateTime(), nullable=True),
    # How it came to be: "completion" (the course was finished) or "api" (an administrator).
    Column("source", String(32), nullable=False, default="completion"),
    # Set when a recertification issues a newer certificate in its place.
    Column("replaced_at", UTCDateTime(), nullable=True),
    Column("replaced_by_id", IdType, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_certificates_user_course", "user_id", "course_id"),
    Index("ix_certificates_site_expires", "site_id", "expires_at"),
)

# How far each site's time-driven effects (expiries, drip releases) have been applied.
time_sweeps = Table(
    "time_sweeps",
    metadata,
    id_column(),
    site_column(),
    Column("swept_until", UTCDateTime(), nullable=False),
    Index("uq_time_sweeps_site", "site_id", unique=True),
)
