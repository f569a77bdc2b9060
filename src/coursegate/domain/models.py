"""Entities of the platform, named in the platform's own words (no vendor field names)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, Self, TypeVar

from typing_extensions import TypeVar as DefaultedTypeVar

T = TypeVar("T")
E = TypeVar("E", bound="Entity")

COURSE_TYPES = ("course", "learning_path", "webinar", "video", "article", "scorm", "xapi")
COURSE_STATUSES = ("draft", "published", "archived")
USER_ROLES = ("affiliate", "course_admin", "group_analyst", "site_admin")
LESSON_KINDS = (
    "Assignment",
    "Audio",
    "Download",
    "BrilliumExam",
    "Disqus",
    "HtmlItem",
    "Iframe",
    "LiveLesson",
    "Lesson",
    "Pdf",
    "Presentation",
    "Quiz",
    "Survey",
)


class Entity:
    """Built straight from a row mapping whose keys are the dataclass's stored fields."""

    @classmethod
    def from_row(cls, row: Any) -> Self:
        mapping = row._mapping if hasattr(row, "_mapping") else row
        names = stored_fields(cls)
        return cls(**{name: mapping[name] for name in names if name in mapping})

    @classmethod
    def from_rows(cls, rows: Iterable[Any]) -> list[Self]:
        """Many rows of one result: which positions hold which fields is worked out once."""
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return []
        read = row_reader(cls, tuple(rows[0]._fields))
        return [read(row) for row in rows]


_FIELD_CACHE: dict[type, tuple[str, ...]] = {}
_READERS: dict[tuple[type, tuple[str, ...], str], Callable[[Any], Any]] = {}


def row_reader(cls: type[E], columns: tuple[str, ...], prefix: str = "") -> Callable[[Any], E]:
    """Builds `cls` from rows whose columns are `columns`, taking field `f` from column
    `prefix + f`: which positions hold which fields is worked out once per shape."""
    found = _READERS.get((cls, columns, prefix))
    if found is None:
        names = tuple(n for n in stored_fields(cls) if prefix + n in columns)
        index = [columns.index(prefix + n) for n in names]
        leading = tuple(f.name for f in fields(cls))[: len(names)]  # type: ignore[arg-type]
        if leading == names and len(index) > 1:
            # The columns fill the leading fields, in order: positional arguments taken by
            # one itemgetter (a listed page builds 75 entities; keywords cost twice as much).
            take = itemgetter(*index)

            def read(row: Any) -> E:
                return cls(*take(row))

        else:

            def read(row: Any) -> E:
                return cls(**{name: row[i] for name, i in zip(names, index, strict=True)})

        found = _READERS[(cls, columns, prefix)] = read
    return found


def stored_fields(cls: type) -> tuple[str, ...]:
    names = _FIELD_CACHE.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if not f.metadata.get("derived"))  # type: ignore[arg-type]
        _FIELD_CACHE[cls] = names
    return names


def derived(default: Any = None, factory: Any = None) -> Any:
    """A field filled by the store from related rows, not a column of the entity's table."""
    if factory is not None:
        return field(default_factory=factory, metadata={"derived": True})
    return field(default=default, metadata={"derived": True})


@dataclass(slots=True)
class User(Entity):
    id: int
    uuid: str
    site_id: int
    email: str
    first_name: str
    last_name: str
    company: str | None
    headline: str | None
    bio: str | None
    avatar_url: str | None
    roles: list[str]
    external_source: str | None
    external_customer_id: str | None
    affiliate_code: str | None
    affiliate_commission: float | None
    affiliate_commission_type: str | None
    affiliate_payout_email: str | None
    status: str
    platform_role: str | None
    created_at: datetime
    updated_at: datetime
    last_active_at: datetime | None
    deleted_at: datetime | None
    identities: list[tuple[str, str]] = derived(factory=list)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


def full_name(first_name: str, last_name: str) -> str:
    return " ".join(part for part in (first_name, last_name) if part)


@dataclass(slots=True)
class UserRef(Entity):
    """The user as an enrollment listing names it: five columns where `User` reads 24 (a
    25-row page decoded and converted ~1,800 values for the four fields the wire shows)."""

    id: int
    uuid: str
    email: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


@dataclass(slots=True)
class CourseRef(Entity):
    """The course as an enrollment listing names it."""

    id: int
    uuid: str
    title: str
    slug: str


@dataclass(slots=True)
class Tag(Entity):
    id: int
    uuid: str
    label: str
    updated_at: datetime


@dataclass(slots=True)
class Course(Entity):
    id: int
    uuid: str
    site_id: int
    title: str
    slug: str
    course_type: str
    status: str
    description: str | None
    subtitle: str | None
    authors: list[str]
    external_id: str | None
    custom_fields: dict[str, Any]
    is_free: bool
    source: str | None
    keywords: str | None
    card_image_url: str | None
    language: str
    sku: str | None
    seats_limit: int | None
    ribbon_label: str | None
    ribbon_color: str | None
    course_starts_at: datetime | None
    course_ends_at: datetime | None
    enrollment_starts_at: datetime | None
    enrollment_ends_at: datetime | None
    reviews_enabled: bool
    instructor_id: int | None
    creator_user_id: int | None
    price_cents: int
    enrollment_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    product_id: int | None = derived()
    chapter_ids: list[int] = derived(factory=list)
    tags: list[Tag] = derived(factory=list)


@dataclass(slots=True)
class Chapter(Entity):
    id: int
    uuid: str
    course_id: int
    title: str
    slug: str
    description: str | None
    position: int
    release_at: datetime | None
    created_at: datetime
    lesson_ids: list[int] = derived(factory=list)
    duration_seconds: int | None = derived()


@dataclass(slots=True)
class Lesson(Entity):
    id: int
    uuid: str
    course_id: int
    chapter_id: int
    title: str
    slug: str
    position: int
    kind: str
    free_preview: bool
    duration_seconds: int | None
    created_at: datetime
    course_slug: str | None = derived()


@dataclass(slots=True)
class Product(Entity):
    id: int
    uuid: str
    productable_type: str
    productable_id: int
    name: str
    slug: str
    status: str
    position: int
    private: bool
    hidden: bool
    price_cents: int
    currency: str
    days_until_expiry: int | None
    description: str | None
    created_at: datetime


# What an enrollment carries of its user and course: the whole entities when read one by one
# (the default), their references when listed (`ListedEnrollment`).
UserT = DefaultedTypeVar("UserT", default="User")
CourseT = DefaultedTypeVar("CourseT", default="Course")


@dataclass(slots=True)
class Enrollment(Entity, Generic[UserT, CourseT]):
    id: int
    uuid: str
    user_id: int
    course_id: int
    activated_at: datetime | None
    expiry_date: datetime | None
    started_at: datetime
    completed_at: datetime | None
    percentage_completed: float
    source: str
    created_at: datetime
    updated_at: datetime
    user: UserT | None = derived()
    course: CourseT | None = derived()

    @property
    def is_free_trial(self) -> bool:
        return self.activated_at is None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    def expired_at(self, now: datetime) -> bool:
        return self.expiry_date is not None and self.expiry_date <= now


ListedEnrollment = Enrollment[UserRef, CourseRef]
# Either kind, for what only shows an enrollment.
AnyEnrollment = Enrollment[UserRef, CourseRef] | Enrollment[User, Course]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list plus what the dialects need to describe it."""

    items: list[T]
    total: int


@dataclass(frozen=True, slots=True)
class TimeBound:
    """One side of a time window: op is gt, ge, lt or le."""

    op: str
    value: datetime


@dataclass(slots=True)
class EnrollmentQuery:
    user_id: int | None = None
    course_id: int | None = None
    course_ids: list[int] | None = None
    email: str | None = None
    free_trial: bool | None = None
    full: bool | None = None
    completed: bool | None = None
    expired: bool | None = None
    created: list[TimeBound] = field(default_factory=list)
    updated: list[TimeBound] = field(default_factory=list)
