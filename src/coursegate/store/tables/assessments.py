"""Assessment attempts (quizzes, surveys, exams) and assignment submissions."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

assessment_attempts = Table(
    "assessment_attempts",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", IdType, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False),
    # What the assessment was when attempted (the lesson may be renamed later).
    Column("assessment_type", String(32), nullable=False),
    Column("assessment_title", String(255), nullable=False),
    Column("min_passing_percent", Float, nullable=True),
    # [{"id", "question", "answer", "correct", "has_default_grade"}]
    Column("answers", JSONType, nullable=False, default=list),
    Column("score", Float, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_assessment_attempts_site_submitted", "site_id", "submitted_at", "id"),
    Index("ix_assessment_attempts_user", "user_id"),
    Index("ix_assessment_attempts_course", "course_id"),
)

assignment_submissions = Table(
    "assignment_submissions",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", IdType, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=True),
    Column("attachment_url", String(2048), nullable=True),
    # submitted | completed | incomplete
    Column("status", String(16), nullable=False),
    Column("grade", Float, nullable=True),
    Column("grade_feedback", Text, nullable=True),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("graded_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("uq_assignment_submissions_user_lesson", "site_id", "user_id", "lesson_id", unique=True),
    Index("ix_assignment_submissions_course", "course_id"),
)
