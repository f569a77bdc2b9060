"""Entities of the learning lifecycle: certificates, their templates, quiz attempts and the
outcome of a learner's step (kept apart from `models.py` so the lifecycle grows on its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from coursegate.domain.models import Enrollment, Entity, derived

RESOURCE_TYPES = ("course",)


@dataclass(slots=True)
class CertificateTemplate(Entity):
    id: int
    uuid: str
    title: str
    resource_type: str | None
    course_id: int | None
    asset: str | None
    supplemental_assets: list[str]
    expiration_date: datetime | None
    created_at: datetime
    updated_at: datetime
    course_uuid: str | None = derived()


@dataclass(slots=True)
class Certificate(Entity):
    id: int
    uuid: str
    user_id: int
    resource_type: str
    course_id: int
    template_id: int | None
    issued_at: datetime
    expires_at: datetime | None
    recertify_by: datetime | None
    source: str
    replaced_at: datetime | None
    replaced_by_id: int | None
    created_at: datetime
    user_uuid: str | None = derived()
    course_uuid: str | None = derived()
    course_title: str | None = derived()
    template: CertificateTemplate | None = derived()  # noqa: RUF009 - as in models.py

    def active_at(self, now: datetime) -> bool:
        return self.replaced_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True, slots=True)
class CertificateSettings:
    """A course's certificate rules; the defaults apply to courses never configured."""

    course_id: int
    enabled: bool = True
    valid_days: int | None = None
    template_id: int | None = None


@dataclass(slots=True)
class QuizAttempt(Entity):
    id: int
    uuid: str
    user_id: int
    lesson_id: int
    enrollment_id: int
    score: float
    passed: bool
    attempted_at: datetime


@dataclass(slots=True)
class Progress:
    """What one learner step changed."""

    enrollment: Enrollment
    lesson_id: int | None = None
    newly_completed: bool = False
    previous_percentage: float = 0.0
    certificate: Certificate | None = None
    quiz_attempt: QuizAttempt | None = None
    events: list[str] = field(default_factory=list)
