"""Thinkific wire schemas (pydantic): request bodies are validated with them, and both
requests and responses are described by them in the dialect's OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from coursegate.platform.wiretime import parse_instant


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        parsed = parse_instant(value)
        if parsed is None:
            raise ValueError("is not a valid date-time")
        return parsed
    return value


Instant = Annotated[datetime, BeforeValidator(_instant)]
Role = Literal["affiliate", "course_admin", "group_analyst", "site_admin"]
Provider = Literal["SSO", "OPENID_CONNECT"]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---- common ---------------------------------------------------------------------------------


class Pagination(BaseModel):
    current_page: int
    next_page: int | None
    prev_page: int | None
    total_pages: int
    total_items: int
    entries_info: str


class Meta(BaseModel):
    pagination: Pagination


class ErrorNotFound(BaseModel):
    error: str = Field(examples=["Record not found."])


class ValidationErrors(BaseModel):
    errors: dict[str, list[str]] = Field(examples=[{"email": ["has already been taken"]}])


# ---- courses, chapters, contents ------------------------------------------------------------


class CourseResponse(BaseModel):
    id: int
    name: str
    slug: str | None
    subtitle: str | None
    product_id: int
    description: str | None
    course_card_text: str | None
    intro_video_youtube: str | None
    contact_information: str | None
    keywords: str | None
    duration: str | None
    banner_image_url: str | None
    course_card_image_url: str | None
    intro_video_wistia_identifier: str | None
    administrator_user_ids: list[int]
    chapter_ids: list[int]
    reviews_enabled: bool
    user_id: int | None
    instructor_id: int | None


class GetCoursesResponse(BaseModel):
    items: list[CourseResponse]
    meta: Meta


class ChapterResponse(BaseModel):
    id: int
    name: str
    position: int
    description: str | None
    duration_in_seconds: int
    content_ids: list[int]


class GetChaptersResponse(BaseModel):
    items: list[ChapterResponse]
    meta: Meta


class ContentResponse(BaseModel):
    id: int
    name: str
    position: int
    chapter_id: int
    contentable_type: str
    free: bool
    take_url: str


class GetContentsResponse(BaseModel):
    items: list[ContentResponse]
    meta: Meta


# ---- users ----------------------------------------------------------------------------------


class CustomProfileField(BaseModel):
    id: int
    value: str | None
    label: str
    custom_profile_field_definition_id: int


class UserResponse(BaseModel):
    id: int
    created_at: str
    first_name: str
    last_name: str
    full_name: str
    company: str | None
    email: str
    roles: list[Role]
    avatar_url: str | None
    bio: str | None
    headline: str | None
    affiliate_code: str | None
    external_source: str | None
    affiliate_commission: float | None
    affiliate_commission_type: str | None
    affiliate_payout_email: str | None
    administered_course_ids: list[int]
    custom_profile_fields: list[CustomProfileField]


class GetUsersResponse(BaseModel):
    items: list[UserResponse]
    meta: Meta


class CustomProfileFieldRequest(WireModel):
    custom_profile_field_definition_id: int
    value: str | None = None


class CreateUserRequest(WireModel):
    first_name: str
    last_name: str
    email: str
    password: str | None = None
    roles: list[str] | None = None
    avatar_url: str | None = None
    bio: str | None = None
    company: str | None = None
    headline: str | None = None
    affiliate_code: str | None = None
    affiliate_commission: float | None = None
    affiliate_commission_type: str | None = None
    affiliate_payout_email: str | None = None
    custom_profile_fields: list[CustomProfileFieldRequest] | None = None
    skip_custom_fields_validation: StrictBool = False
    send_welcome_email: StrictBool = False
    external_id: str | None = None
    provider: Provider | None = None


class UpdateUserRequest(WireModel):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    password: str | None = None
    roles: list[str] | None = None
    avatar_url: str | None = None
    bio: str | None = None
    company: str | None = None
    headline: str | None = None
    external_source: str | None = None
    affiliate_code: str | None = None
    affiliate_commission: float | None = None
    affiliate_commission_type: str | None = None
    affiliate_payout_email: str | None = None
    custom_profile_fields: list[CustomProfileFieldRequest] | None = None
    skip_custom_fields_validation: StrictBool = False


class AuthenticationResponse(BaseModel):
    provider: Provider
    external_id: str


# ---- enrollments ----------------------------------------------------------------------------


class EnrollmentResponse(BaseModel):
    id: int
    user_email: str
    user_name: str
    user_id: int
    course_name: str
    course_id: int
    percentage_completed: float
    expired: bool
    is_free_trial: bool
    completed: bool
    started_at: str
    activated_at: str | None
    completed_at: str | None
    updated_at: str
    expiry_date: str | None


class GetEnrollmentsResponse(BaseModel):
    items: list[EnrollmentResponse]
    meta: Meta


class CreateEnrollmentRequest(WireModel):
    course_id: int | None = None
    user_id: int | None = None
    activated_at: Instant | None = None
    expiry_date: Instant | None = None


class UpdateEnrollmentRequest(WireModel):
    activated_at: Instant | None = None
    expiry_date: Instant | None = None
