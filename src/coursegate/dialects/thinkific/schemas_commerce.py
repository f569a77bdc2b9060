"""Thinkific wire schemas for commerce: promotions, coupons, orders, external orders.

Request fields are all optional here so the domain reports every missing or bad field at once,
in Thinkific's `{"errors": {field: [...]}}` shape."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from coursegate.dialects.thinkific.schemas import Instant, Meta, WireModel


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it as bad input rather than fail in the database.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]

# ---- promotions --------------------------------------------------------------------------------


class PromotionRequest(WireModel):
    name: Text | None = Field(default=None, examples=["A Promo"])
    description: Text | None = None
    starts_at: Instant | None = None
    expires_at: Instant | None = None
    discount_type: Text | None = Field(
        default=None, json_schema_extra={"enum": ["fixed", "percentage"]}
    )
    amount: float | None = Field(
        default=None, description="Dollars (fixed) or 0 < x <= 100 (percentage)"
    )
    product_ids: list[int] | None = None
    coupon_ids: list[int] | None = None
    duration: int | None = None


class PromotionResponse(BaseModel):
    id: int
    name: str
    description: str | None
    starts_at: str | None
    expires_at: str | None
    discount_type: str
    amount: float
    coupon_ids: list[int]
    product_ids: list[int]
    duration: int | None


class GetPromotionsResponse(BaseModel):
    items: list[PromotionResponse]
    meta: Meta


# ---- coupons -----------------------------------------------------------------------------------


class CreateCouponRequest(WireModel):
    code: Text | None = Field(default=None, examples=["ABCD"])
    note: Text | None = None
    quantity: int | None = Field(default=None, description="Omit for unlimited uses")


class UpdateCoupon(WireModel):
    code: Text | None = None
    note: Text | None = None
    quantity_used: int | None = None
    quantity: int | None = None


class BulkCreateCouponRequest(WireModel):
    bulk_quantity_per_coupon: int | None = None
    bulk_coupon_code_length: int | None = Field(default=None, description="At least 6")
    bulk_quantity: int | None = Field(default=None, description="At most 1000")


class CouponResponse(BaseModel):
    id: int
    code: str
    note: str | None
    quantity_used: int
    quantity: int | None
    promotion_id: int
    created_at: str


class GetCouponResponse(BaseModel):
    items: list[CouponResponse]
    meta: Meta


class CreateBulkCouponResponse(BaseModel):
    items: list[CouponResponse]


# ---- orders ------------------------------------------------------------------------------------


class Item(BaseModel):
    product_id: int
    product_name: str
    amount_dollars: float
    amount_cents: int


class OrderResponse(BaseModel):
    id: int
    user_id: int
    user_email: str | None
    user_name: str | None
    product_name: str
    product_id: int
    amount_dollars: str
    amount_cents: int
    subscription: bool
    coupon_code: str | None
    coupon_id: int | None
    items: list[Item]
    affiliate_referral_code: str | None
    status: str
    created_at: str
    created_at_spaced: str = Field(alias="created at")


class GetOrdersResponse(BaseModel):
    items: list[OrderResponse]
    meta: Meta


class PurchaseRequest(WireModel):
    user_id: int | None = None
    product_id: int | None = None
    coupon_code: Text | None = None


# ---- external orders ---------------------------------------------------------------------------


class ExternalOrderTransaction(WireModel):
    amount: int | None = Field(default=None, description="In the currency's smallest unit")
    currency: Text | None = Field(default=None, examples=["USD"])
    reference: Text | None = None
    action: Text | None = None


class ExternalOrderRequest(WireModel):
    payment_provider: Text | None = None
    user_id: int | None = None
    product_id: int | None = None
    order_type: Text | None = Field(
        default=None, json_schema_extra={"enum": ["one-time", "subscription", "payment-plan"]}
    )
    transaction: ExternalOrderTransaction | None = None


class ExternalOrderCreated(BaseModel):
    id: int
