"""Entities of assessments, meetings, Panorama clients/licenses and SSO logs (platform words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.models import Course, Entity, Lesson, User, derived

# Lesson kinds that are assessments, and the assessment type each one is.
ASSESSMENT_TYPES = {"Quiz": "quiz", "Survey": "survey", "BrilliumExam": "exam"}
SUBMISSION_STATUSES = ("submitted", "completed", "incomplete")
LICENSE_ROLES = ("student", "manager")
CLIENT_STATUSES = ("active", "disabled")


@dataclass(slots=True)
class AssessmentAttempt(Entity):
    id: int
    uuid: str
    user_id: int
    course_id: int
    lesson_id: int
    assessment_type: str
    assessment_title: str
    min_passing_percent: float | None
    answers: list[dict[str, Any]]
    score: float
    passed: bool
    started_at: datetime
    submitted_at: datetime
    created_at: datetime
    user: User | None = derived()
    course: Course | None = derived()
    lesson_uuid: str | None = derived()


@dataclass(slots=True)
class AssignmentSubmission(Entity):
    id: int
    uuid: str
    user_id: int
    course_id: int
    lesson_id: int
    body: str | None
    attachment_url: str | None
    status: str
    grade: float | None
    grade_feedback: str | None
    submitted_at: datetime
    graded_at: datetime | None
    created_at: datetime
    updated_at: datetime
    user: User | None = derived()
    course: Course | None = derived()
    lesson: Lesson | None = derived()


@dataclass(slots=True)
class Attendance:
    user: User
    attended: bool
    updated_at: datetime


@dataclass(slots=True)
class Meeting(Entity):
    id: int
    uuid: str
    course_id: int
    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location_name: str | None
    location_address: str | None
    virtual_url: str | None
    instructors: list[str]
    seats_limit: int | None
    created_at: datetime
    updated_at: datetime
    course: Course | None = derived()
    attendees: list[Attendance] = derived(factory=list)


@dataclass(slots=True)
class Client(Entity):
    id: int
    uuid: str
    name: str
    slug: str
    sku: str | None
    status: str
    default_language: str | None
    features: dict[str, bool]
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class License(Entity):
    id: int
    uuid: str
    client_id: int
    parent_license_id: int | None
    name: str
    label: str | None
    sku: str | None
    seats_limit: int | None
    seats_used: int
    access_days: int | None
    expiration_date: datetime | None
    course_ids: list[int]
    learning_path_ids: list[int]
    course_tag_ids: list[int]
    created_at: datetime
    updated_at: datetime
    client: Client | None = derived()
    parent_uuid: str | None = derived()
    course_uuids: list[str] = derived(factory=list)
    learning_path_uuids: list[str] = derived(factory=list)
    course_tag_uuids: list[str] = derived(factory=list)


@dataclass(slots=True)
class SsoLogEntry(Entity):
    id: int
    uuid: str
    user_id: int | None
    kind: str
    email: str | None
    success: bool
    message: str | None
    details: dict[str, Any]
    created_at: datetime
    user_uuid: str | None = derived()


@dataclass(slots=True)
class AttemptFilter:
    """Which assessment attempts a listing shows."""

    user_id: int | None = None
    course_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # inclusive


@dataclass(slots=True)
class SubmissionFilter:
    """Which assignment submissions a listing shows (text matches learner or lesson)."""

    text: str | None = None
    client_id: int | None = None
