"""Entities of the catalog around courses: prices, bundles, categories, reviews, requests;
and of the people around it: instructors, groups, profile fields, site scripts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursegate.domain.models import Entity, Product, derived

PAYMENT_TYPES = ("free", "one-time", "subscription", "payment-plan")
PRICE_INTERVALS = ("month", "year")
TRIAL_INTERVALS = ("day", "month")


@dataclass(slots=True)
class ProductPrice(Entity):
    id: int
    uuid: str
    product_id: int
    payment_type: str
    price_cents: int
    currency: str
    label: str | None
    is_primary: bool
    days_until_expiry: int | None
    pay_button_text: str | None
    number_of_payments: int | None
    interval: str | None
    interval_count: int | None
    trial_interval: str | None
    trial_interval_count: int | None
    custom_first_price_cents: int | None
    created_at: datetime


@dataclass(slots=True)
class ProductDetail:
    """A product with everything its listings show."""

    product: Product
    prices: list[ProductPrice]
    category_ids: list[int]
    related_ids: list[int]
    keywords: str | None
    card_image_url: str | None


@dataclass(slots=True)
class Bundle(Entity):
    id: int
    uuid: str
    name: str
    slug: str
    description: str | None
    tagline: str | None
    card_image_url: str | None
    created_at: datetime
    updated_at: datetime
    course_ids: list[int] = derived(factory=list)  # noqa: RUF009 - a field(), as in models.py
    product_id: int | None = derived()


@dataclass(slots=True)
class Category(Entity):
    id: int
    uuid: str
    name: str
    slug: str
    description: str
    is_default: bool
    created_at: datetime
    updated_at: datetime
    product_ids: list[int] = derived(factory=list)  # noqa: RUF009 - a field(), as in models.py


@dataclass(slots=True)
class PublishRequest(Entity):
    id: int
    uuid: str
    product_id: int
    status: str
    requesting_user_id: int
    responding_user_id: int | None
    response_text: str | None
    notify_requester: bool
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class CourseReview(Entity):
    id: int
    uuid: str
    course_id: int
    user_id: int
    rating: int
    title: str
    review_text: str
    approved: bool
    created_at: datetime


@dataclass(slots=True)
class Instructor(Entity):
    id: int
    uuid: str
    user_id: int | None
    first_name: str
    last_name: str
    title: str | None
    bio: str | None
    slug: str | None
    avatar_url: str | None
    email: str | None
    created_at: datetime


@dataclass(slots=True)
class Group(Entity):
    id: int
    uuid: str
    name: str
    token: str
    created_at: datetime


@dataclass(slots=True)
class ProfileFieldDefinition(Entity):
    id: int
    uuid: str
    label: str
    field_type: str
    required: bool
    position: int


@dataclass(slots=True)
class ProfileFieldValue:
    id: int
    user_id: int
    definition_id: int
    label: str
    value: str | None


@dataclass(slots=True)
class SiteScript(Entity):
    id: int
    uuid: str
    name: str
    description: str
    src: str | None
    content: str | None
    page_scopes: list[str]
    location: str
    load_method: str
    category: str
    created_at: datetime
    updated_at: datetime
