"""Entities of the course structure below lessons, completion rules and background jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.models import Entity

TOPIC_TYPES = ("ad", "quiz", "video", "text", "shareableContentObject")
CRITERIA_TYPES = (
    "coursePercentViewed",
    "courseTopicViewed",
    "courseAssessmentPassed",
    "articlePercentViewed",
    "videoPercentViewed",
    "articleTimeViewedInSeconds",
)
JOB_STATUSES = ("queued", "running", "complete", "failed")


@dataclass(slots=True)
class Topic(Entity):
    id: int
    uuid: str
    course_id: int
    lesson_id: int
    title: str
    topic_type: str
    position: int
    original_uuid: str | None
    quiz_question_ids: list[str]
    pre_text_block: str | None
    post_text_block: str | None
    results_message: str | None
    pass_message: str | None
    fail_message: str | None
    navigation_disabled: bool
    instructor_assessment: bool
    question_skip_enabled: bool
    is_proctored: bool
    allow_to_resume: bool
    editable_by_children: bool
    asset_type: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Criterion(Entity):
    id: int
    uuid: str
    course_id: int
    criteria_type: str
    position: int
    description: str | None
    percent: int | None
    seconds: int | None
    target_uuid: str | None


@dataclass(slots=True)
class Job(Entity):
    id: int
    uuid: str
    job_type: str
    description: str
    status: str
    total_count: int
    processed_count: int
    succeeded_count: int
    failed_count: int
    error_message: str | None
    payload: list[Any]
    results: list[Any]
    repeatable: bool
    created_at: datetime
    updated_at: datetime
