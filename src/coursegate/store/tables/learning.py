from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import UTCDateTime, UUIDStr

enrollments = Table(
    "enrollments",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("activated_at", UTCDateTime(), nullable=True),
    Column("expiry_date", UTCDateTime(), nullable=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    Column("percentage_completed", Float, nullable=False, default=0.0),
    # The learner's first lesson, quiz or course view (when `enrollment.started` fired).
    Column("first_activity_at", UTCDateTime(), nullable=True),
    Column("source", String(64), nullable=False, default="api"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # Pages of a site in id order (deep pages walk this index only: store/base.py page()).
    Index("ix_enrollments_site_id_id", "site_id", "id"),
    Index("uq_enrollments_user_course", "site_id", "user_id", "course_id", unique=True),
    Index("ix_enrollments_course", "course_id"),
    Index("ix_enrollments_user", "user_id"),
)
