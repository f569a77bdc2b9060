"""Thought Industries wire schemas: request bodies and documented response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from coursegate.platform.wiretime import parse_unix_ms_or_iso


def _instant(value: Any) -> Any:
    """Thought Industries dates: Unix milliseconds or ISO 8601."""
    if isinstance(value, str):
        parsed = parse_unix_ms_or_iso(value)
        if parsed is None:
            raise ValueError("is not a valid date")
        return parsed
    return value


Instant = Annotated[datetime, BeforeValidator(_instant)]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Ping(BaseModel):
    valid: bool


class Errors(BaseModel):
    errors: list[str] = Field(examples=[["Field 'types' is required."]])


class ValidationErrorObject(BaseModel):
    error: str = Field(examples=["Validation Error"])
    message: str = Field(examples=["Field 'title' is required."])
    code: str = Field(examples=["MISSING_REQUIRED_FIELD"])
    statusCode: int = Field(examples=[400])


class CourseWrite(WireModel):
    """POST /courses and PUT /courses/:id (on PUT every field is optional)."""

    title: StrictStr | None = None
    courseType: StrictStr | None = Field(
        default=None,
        json_schema_extra={
            "enum": ["course", "learning_path", "webinar", "video", "article", "scorm", "xapi"]
        },
    )
    slug: StrictStr | None = None
    description: StrictStr | None = None
    publishedStatus: StrictStr | None = Field(
        default=None, json_schema_extra={"enum": ["draft", "published", "archived"]}
    )
    authors: list[StrictStr] | None = None
    tags: list[StrictStr] | None = None
    externalId: StrictStr | None = None
    customFields: dict[str, Any] | None = None
    isFree: StrictBool | None = None
    source: StrictStr | None = None
    ribbonText: StrictStr | None = None
    ribbonColor: StrictStr | None = Field(default=None, examples=["#ff6600"])
    courseStartDate: Instant | None = None
    courseEndDate: Instant | None = None
    enrollmentStartDate: Instant | None = None
    enrollmentEndDate: Instant | None = None

    def domain(self) -> dict[str, Any]:
        """The fields sent, in the platform's words (absent fields stay absent)."""
        names = {
            "title": "title",
            "courseType": "course_type",
            "slug": "slug",
            "description": "description",
            "publishedStatus": "status",
            "authors": "authors",
            "tags": "tags",
            "externalId": "external_id",
            "customFields": "custom_fields",
            "isFree": "is_free",
            "source": "source",
            "ribbonText": "ribbon_label",
            "ribbonColor": "ribbon_color",
            "courseStartDate": "course_starts_at",
            "courseEndDate": "course_ends_at",
            "enrollmentStartDate": "enrollment_starts_at",
            "enrollmentEndDate": "enrollment_ends_at",
        }
        return {names[k]: getattr(self, k) for k in self.model_fields_set if k in names}


class Course(BaseModel):
    id: str
    title: str
    slug: str
    courseType: str
    publishedStatus: str
    description: str | None
    authors: list[str]
    tags: list[str]
    externalId: str | None
    isFree: bool
    source: str | None
    customFields: dict[str, Any]
    createdAt: str
    updatedAt: str


class UserWrite(WireModel):
    email: StrictStr | None = None
    firstName: StrictStr | None = None
    lastName: StrictStr | None = None
    upsert: StrictBool = False
    externalCustomerId: StrictStr | None = None
    role: StrictStr | None = None
    bio: StrictStr | None = None
    asset: StrictStr | None = None
    courseIds: list[StrictStr] | None = None
    courseSlugs: list[StrictStr] | None = None

    def domain(self) -> dict[str, Any]:
        names = {
            "email": "email",
            "firstName": "first_name",
            "lastName": "last_name",
            "externalCustomerId": "external_customer_id",
            "role": "platform_role",
            "bio": "bio",
            "asset": "avatar_url",
        }
        return {names[k]: getattr(self, k) for k in self.model_fields_set if k in names}

    def course_keys(self) -> list[str]:
        return [*(self.courseIds or []), *(self.courseSlugs or [])]


class PageInfo(BaseModel):
    perPage: int
    cursor: str | None
    total: int
    hasMore: bool
    currentPage: int | None = None


class ContentSearch(BaseModel):
    pageInfo: PageInfo
    contentItems: list[dict[str, Any]]


class ContentSearchData(BaseModel):
    APIContentSearch: ContentSearch


class ContentSearchResponse(BaseModel):
    data: ContentSearchData


class User(BaseModel):
    id: str
    email: str
    firstName: str
    lastName: str
    name: str
    abbreviatedName: str
    firstInitial: str
    lastInitial: str
    asset: str | None
    bio: str | None
    externalCustomerId: str | None
    role: str
    status: str
    lastActiveAt: str | None
    twoFactorEnabled: bool
    invitedByName: str | None
    shouldHighlight: bool
    createdAt: str
    updatedAt: str
    purchasedCourses: list[dict[str, Any]]
    purchasedBundles: list[dict[str, Any]]
    activeLicense: dict[str, Any] | None


class Users(BaseModel):
    pageInfo: PageInfo
    aggregations: list[dict[str, Any]]
    users: list[User]


class UsersData(BaseModel):
    APIUsers: Users


class UsersResponse(BaseModel):
    data: UsersData


class UserByIdData(BaseModel):
    UserById: User


class UserByIdResponse(BaseModel):
    data: UserByIdData
