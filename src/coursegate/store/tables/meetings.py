"""Instructor-led (ILT) and virtual (VILT) meetings of a course, and who attended them."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

meetings = Table(
    "meetings",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(255), nullable=False),
    Column("description", Text, nullable=True),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("time_zone", String(64), nullable=False, default="UTC"),
    # Physical venue (ILT) or join URL (VILT); either may be absent.
    Column("location_name", String(255), nullable=True),
    Column("location_address", String(1024), nullable=True),
    Column("virtual_url", String(2048), nullable=True),
    # Instructor display names, in order.
    Column("instructors", JSONType, nullable=False, default=list),
    Column("seats_limit", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_meetings_course_starts", "course_id", "starts_at"),
)

meeting_attendance = Table(
    "meeting_attendance",
    metadata,
    id_column(),
    site_column(),
    Column("meeting_id", IdType, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("attended", Boolean, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_meeting_attendance_meeting_user", "site_id", "meeting_id", "user_id", unique=True),
    Index("ix_meeting_attendance_user", "user_id"),
)
