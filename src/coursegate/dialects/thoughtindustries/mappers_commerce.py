"""Commerce entities as Thought Industries incoming/v2 objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coursegate.domain.commerce_models import Coupon, CourseCoupon, RedemptionCodeGroup
from coursegate.domain.redemption import Redemption
from coursegate.platform.wiretime import iso_ms

# Coupons here are not limited to new or returning customers.
APPLIES_TO_USER = "all"


def _discount(c: Coupon) -> tuple[float | None, int | None]:
    promotion = c.promotion
    if promotion is None:
        return None, None
    if promotion.discount_type == "percentage":
        return promotion.percent_off, None
    return None, promotion.amount_cents


def coupon(c: Coupon, now: datetime) -> dict[str, Any]:
    percent_off, cents_off = _discount(c)
    return {
        "id": c.uuid,
        "active": c.active_at(now),
        "allowMultipleInCart": False,
        "appliesToUser": APPLIES_TO_USER,
        "code": c.code,
        "timesRedeemed": c.quantity_used,
        "maxRedemptions": c.quantity,
        "redeemBy": iso_ms(c.promotion.expires_at) if c.promotion else None,
        "percentOff": percent_off,
        "amountOffInCents": cents_off,
        # Fixed discounts are in the site's one currency, so there is no per-currency table.
        "multicurrencyAmountOff": {},
    }


def course_coupon(pair: CourseCoupon, now: datetime) -> dict[str, Any]:
    c = pair.coupon
    percent_off, cents_off = _discount(c)
    return {
        "id": c.uuid,
        "courseId": pair.course_uuid,
        "code": c.code,
        "createdAt": iso_ms(c.created_at),
        "updatedAt": iso_ms(c.updated_at),
        "maxRedemptions": c.quantity,
        "percentOff": percent_off,
        "amountOffInCents": cents_off,
        "timesRedeemed": c.quantity_used,
        "redeemBy": iso_ms(c.promotion.expires_at) if c.promotion else None,
        "appliesToUser": APPLIES_TO_USER,
        "active": c.active_at(now),
        "generated": c.generated,
        "accessDays": pair.days_until_expiry,
    }


def redemption_group(g: RedemptionCodeGroup, with_codes: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": g.uuid,
        "label": g.label,
        "redeemedCodesCount": g.redeemed_codes_count,
        "totalCodesCount": g.total_codes_count,
        "expirationDate": iso_ms(g.expiration_date),
        "accessDays": g.access_days,
        "accessExpirationDate": iso_ms(g.access_expiration_date),
        "uploaded": False,
        "gift": False,
        "client": None,
        "courses": [
            {"id": c.uuid, "title": c.title} for c in g.courses if c.course_type != "learning_path"
        ],
        "learningPaths": [
            {"id": c.uuid, "name": c.title} for c in g.courses if c.course_type == "learning_path"
        ],
        "bundles": [],
        "licenses": [],
    }
    if with_codes:
        body["codes"] = list(g.codes)
    return body


def redemption(r: Redemption, user_uuid: str) -> dict[str, Any]:
    return {
        "code": r.code,
        "userId": user_uuid,
        "redemptionCodeGroup": redemption_group(r.group),
        "courses": [{"id": c.uuid, "title": c.title} for c in r.group.courses],
    }
