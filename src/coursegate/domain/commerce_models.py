"""Commerce entities in the platform's own words (no vendor field names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.models import Entity, derived

DISCOUNT_TYPES = ("fixed", "percentage")
# Bounds of the stored integer columns: larger input is refused, never sent to the database.
INT32_MAX = 2**31 - 1
ID_MAX = 2**63 - 1
DAYS_MAX = 36_500  # access periods: a century at most


def storable(text: str) -> bool:
    """PostgreSQL text cannot hold NUL; such input matches nothing and is never stored."""
    return "\x00" not in text


def valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


EXTERNAL_ORDER_TYPES = ("one-time", "subscription", "payment-plan")


@dataclass(slots=True)
class Promotion(Entity):
    id: int
    uuid: str
    name: str
    description: str | None
    discount_type: str
    amount_cents: int | None
    percent_off: float | None
    starts_at: datetime | None
    expires_at: datetime | None
    duration: int | None
    created_at: datetime
    updated_at: datetime
    product_ids: list[int] = derived(factory=list)  # noqa: RUF009
    coupon_ids: list[int] = derived(factory=list)  # noqa: RUF009

    @property
    def applies_to_all_products(self) -> bool:
        return not self.product_ids

    def applies_to(self, product_id: int) -> bool:
        return self.applies_to_all_products or product_id in self.product_ids

    def running_at(self, now: datetime) -> bool:
        started = self.starts_at is None or self.starts_at <= now
        return started and (self.expires_at is None or now < self.expires_at)

    def discount_on(self, price_cents: int) -> int:
        """Cents taken off a price; never more than the price itself."""
        if self.discount_type == "fixed":
            off = self.amount_cents or 0
        else:
            off = round(price_cents * (self.percent_off or 0) / 100)
        return max(0, min(price_cents, off))


@dataclass(slots=True)
class Coupon(Entity):
    id: int
    uuid: str
    promotion_id: int
    code: str
    note: str | None
    quantity: int | None
    quantity_used: int
    generated: bool
    created_at: datetime
    updated_at: datetime
    promotion: Promotion | None = derived()  # noqa: RUF009

    @property
    def exhausted(self) -> bool:
        return self.quantity is not None and self.quantity_used >= self.quantity

    def active_at(self, now: datetime) -> bool:
        running = self.promotion is None or self.promotion.running_at(now)
        return running and not self.exhausted


@dataclass(slots=True)
class Order(Entity):
    id: int
    uuid: str
    user_id: int
    product_id: int
    product_name: str
    list_price_cents: int
    discount_cents: int
    amount_cents: int
    currency: str
    coupon_id: int | None
    coupon_code: str | None
    promotion_id: int | None
    subscription: bool
    affiliate_referral_code: str | None
    status: str
    items: list[dict[str, Any]]
    created_at: datetime
    user_email: str | None = derived()
    user_name: str | None = derived()


@dataclass(slots=True)
class ExternalTransaction(Entity):
    id: int
    uuid: str
    external_order_id: int
    kind: str
    amount: int
    currency: str
    reference: str | None
    action: str | None
    created_at: datetime


@dataclass(slots=True)
class ExternalOrder(Entity):
    id: int
    uuid: str
    user_id: int
    product_id: int
    payment_provider: str
    order_type: str
    created_at: datetime
    transactions: list[ExternalTransaction] = derived(factory=list)  # noqa: RUF009


@dataclass(frozen=True, slots=True)
class GrantedCourse:
    id: int
    uuid: str
    title: str
    course_type: str


@dataclass(slots=True)
class RedemptionCodeGroup(Entity):
    id: int
    uuid: str
    label: str
    code_length: int
    total_codes_count: int
    redeemed_codes_count: int
    expiration_date: datetime | None
    access_days: int | None
    access_expiration_date: datetime | None
    created_at: datetime
    courses: list[GrantedCourse] = derived(factory=list)  # noqa: RUF009
    codes: list[str] = derived(factory=list)  # noqa: RUF009


@dataclass(frozen=True, slots=True)
class CourseCoupon:
    """A coupon as it applies to one course (through the course's product)."""

    coupon: Coupon
    course_id: int
    course_uuid: str
    days_until_expiry: int | None
