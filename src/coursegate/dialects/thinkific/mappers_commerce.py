"""Commerce entities as Thinkific Admin API v1 objects."""

from __future__ import annotations

from typing import Any

from coursegate.domain.commerce import promotion_amount
from coursegate.domain.commerce_models import Coupon, Order, Promotion
from coursegate.platform.wiretime import iso_ms


def dollars(cents: int) -> float:
    return cents / 100


def promotion(p: Promotion) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "starts_at": iso_ms(p.starts_at),
        "expires_at": iso_ms(p.expires_at),
        "discount_type": p.discount_type,
        "amount": promotion_amount(p),
        "coupon_ids": list(p.coupon_ids),
        # Not in the vendor schema; sent so the product scope can be read back (docs/compat).
        "product_ids": list(p.product_ids),
        "duration": p.duration,
    }


def coupon(c: Coupon) -> dict[str, Any]:
    return {
        "id": c.id,
        "code": c.code,
        "note": c.note,
        "quantity_used": c.quantity_used,
        "quantity": c.quantity,
        "promotion_id": c.promotion_id,
        "created_at": iso_ms(c.created_at),
    }


def order(o: Order) -> dict[str, Any]:
    created = iso_ms(o.created_at)
    return {
        "id": o.id,
        "user_id": o.user_id,
        "user_email": o.user_email,
        "user_name": o.user_name,
        "product_name": o.product_name,
        "product_id": o.product_id,
        # A string here, a number inside items: both as the vendor schema types them.
        "amount_dollars": str(dollars(o.amount_cents)),
        "amount_cents": o.amount_cents,
        "subscription": o.subscription,
        "coupon_code": o.coupon_code,
        "coupon_id": o.coupon_id,
        "items": [
            {
                "product_id": item["product_id"],
                "product_name": item["product_name"],
                "amount_dollars": dollars(item["amount_cents"]),
                "amount_cents": item["amount_cents"],
            }
            for item in o.items
        ],
        "affiliate_referral_code": o.affiliate_referral_code,
        "status": o.status,
        # The vendor schema spells it "created at"; webhooks and every other object say
        # created_at. Both are sent (docs/compat/thinkific.md).
        "created_at": created,
        "created at": created,
    }
