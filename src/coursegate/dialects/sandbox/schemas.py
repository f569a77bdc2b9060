"""Sandbox wire schemas: request bodies, and response shapes for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

Id = StrictInt | StrictStr
ID_DOC = "Thinkific integer id, or the UUID (Thought Industries id)."


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserAction(Body):
    user_id: Id = Field(description=ID_DOC)


class QuizAttemptBody(Body):
    user_id: Id = Field(description=ID_DOC)
    score: StrictInt | StrictFloat = Field(description="Percentage score, 0-100.")
    passed: StrictBool


class PurchaseBody(Body):
    user_id: Id = Field(description=ID_DOC)
    product_id: Id = Field(description="The product (Thinkific integer id or UUID).")
    coupon_code: str | None = Field(default=None, description="A coupon to apply.")


class OrderOut(BaseModel):
    """The order as Thinkific's `GET /orders/{id}` shows it."""

    id: int
    user_id: int
    product_id: int
    amount_cents: int
    coupon_code: str | None
    status: str


class AdvanceBody(Body):
    seconds: StrictInt | StrictFloat = Field(
        description="How far to move the site's time forward.", gt=0
    )


class CertificateSettingsBody(Body):
    enabled: StrictBool = True
    certificate_valid_days: StrictInt | None = Field(
        default=None, description="Null: never expires."
    )
    template_id: StrictStr | None = Field(default=None, description="Certificate template UUID.")


class Error(BaseModel):
    error: str


class EnrollmentState(BaseModel):
    id: int
    uuid: str
    user_id: int
    course_id: int
    percentage_completed: float
    completed: bool
    completed_at: str | None
    started_at: str | None
    expired: bool
    is_free_trial: bool


class CertificateOut(BaseModel):
    id: int
    uuid: str
    user_id: int
    course_id: int
    issued_at: str
    expires_at: str | None
    recertify_by: str | None
    template_id: str | None
    source: str


class ProgressOut(BaseModel):
    enrollment: EnrollmentState
    lesson_id: int | None
    newly_completed: bool
    previous_percentage_completed: float
    certificate: CertificateOut | None
    quiz_attempt: dict[str, Any] | None
    events: list[str]


class ViewOut(BaseModel):
    course_id: int
    user_id: int
    enrollment: EnrollmentState | None
    events: list[str]


class ClockOut(BaseModel):
    now: str
    frozen: bool
    frozen_at: str | None
    offset_seconds: float


class AdvanceOut(ClockOut):
    advanced: dict[str, Any]


class CertificateSettingsOut(BaseModel):
    course_id: int
    enabled: bool
    certificate_valid_days: int | None
    template_id: str | None


class EventOut(BaseModel):
    seq: int
    uuid: str
    type: str
    occurred_at: str
    subject_type: str
    subject_id: int | None
    subject_uuid: str | None
    payload: dict[str, Any]


class EventsOut(BaseModel):
    items: list[EventOut]
    next_after: int | None
