"""Course structure below lessons (Thought Industries "topics"), completion criteria, and
translations of catalogue text per language (XLIFF round trips)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from coursegate.store.tables.base import IdType, id_column, metadata, site_column
from coursegate.store.types import JSONType, UTCDateTime, UUIDStr

# Parts of a lesson: ad, quiz, video, text, shareableContentObject.
topics = Table(
    "topics",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", IdType, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(255), nullable=False),
    Column("topic_type", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("original_uuid", UUIDStr(), nullable=True),
    Column("quiz_question_ids", JSONType, nullable=False, default=list),
    Column("pre_text_block", Text, nullable=True),
    Column("post_text_block", Text, nullable=True),
    Column("results_message", Text, nullable=True),
    Column("pass_message", Text, nullable=True),
    Column("fail_message", Text, nullable=True),
    Column("navigation_disabled", Boolean, nullable=False, default=False),
    Column("instructor_assessment", Boolean, nullable=False, default=False),
    Column("question_skip_enabled", Boolean, nullable=False, default=False),
    Column("is_proctored", Boolean, nullable=False, default=False),
    Column("allow_to_resume", Boolean, nullable=False, default=False),
    Column("editable_by_children", Boolean, nullable=False, default=False),
    Column("asset_type", String(64), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_topics_lesson_position", "lesson_id", "position"),
    Index("ix_topics_course", "course_id"),
)

# What completes a course. A course without rows is completed by viewing all of it.
completion_criteria = Table(
    "completion_criteria",
    metadata,
    id_column(),
    site_column(),
    Column("uuid", UUIDStr(), nullable=False, unique=True),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("criteria_type", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("description", Text, nullable=True),
    Column("percent", Integer, nullable=True),
    Column("seconds", Integer, nullable=True),
    Column("target_uuid", UUIDStr(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_completion_criteria_course", "course_id", "position"),
)

# One translated string: (subject, field, language) -> text.
content_translations = Table(
    "content_translations",
    metadata,
    id_column(),
    site_column(),
    Column("course_id", IdType, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("subject_type", String(16), nullable=False),
    Column("subject_id", IdType, nullable=False),
    Column("field", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(
        "uq_content_translations_key",
        "site_id",
        "subject_type",
        "subject_id",
        "field",
        "language",
        unique=True,
    ),
    Index("ix_content_translations_course", "course_id", "language"),
)
