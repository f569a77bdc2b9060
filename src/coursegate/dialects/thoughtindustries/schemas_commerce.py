"""Thought Industries wire schemas for commerce: coupons, course coupons, redemption codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictInt, StrictStr

from coursegate.dialects.thoughtindustries.schemas import Instant, WireModel


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it as bad input rather than fail in the database.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


Text = Annotated[StrictStr, AfterValidator(_no_nul)]


class PageNumberInfo(BaseModel):
    perPage: int
    currentPage: int
    total: int
    hasMore: bool


class APICoupon(BaseModel):
    id: str
    active: bool
    allowMultipleInCart: bool
    appliesToUser: str
    code: str
    timesRedeemed: int
    maxRedemptions: int | None
    redeemBy: str | None
    percentOff: float | None
    amountOffInCents: int | None
    multicurrencyAmountOff: dict[str, int]


class CouponPageInfo(PageNumberInfo):
    cursor: str | None


class APICoupons(BaseModel):
    pageInfo: CouponPageInfo
    coupons: list[APICoupon]


class APICouponsData(BaseModel):
    APICoupons: APICoupons


class CouponsResponse(BaseModel):
    data: APICouponsData


class APICourseCoupon(BaseModel):
    id: str
    courseId: str
    code: str
    createdAt: str
    updatedAt: str
    maxRedemptions: int | None
    percentOff: float | None
    amountOffInCents: int | None
    timesRedeemed: int
    redeemBy: str | None
    appliesToUser: str
    active: bool
    generated: bool
    accessDays: int | None


class APICourseCoupons(BaseModel):
    pageInfo: PageNumberInfo
    courseCoupons: list[APICourseCoupon]


class APICourseCouponsData(BaseModel):
    APICourseCoupons: APICourseCoupons


class CourseCouponsResponse(BaseModel):
    data: APICourseCouponsData


class Named(BaseModel):
    id: str
    name: str


class Titled(BaseModel):
    id: str
    title: str


class RedemptionCodeGroup(BaseModel):
    id: str
    label: str
    redeemedCodesCount: int
    totalCodesCount: int
    expirationDate: str | None
    accessDays: int | None
    accessExpirationDate: str | None
    uploaded: bool
    gift: bool
    client: Named | None
    courses: list[Titled]
    learningPaths: list[Named]
    bundles: list[Named]
    licenses: list[Named]
    codes: list[str] | None = Field(default=None, description="coursegate: the group's codes")


class CursorInfo(BaseModel):
    total: int
    hasMore: bool
    cursor: str | None


class RedemptionCodeGroups(BaseModel):
    redemptionCodeGroups: list[RedemptionCodeGroup]
    pageInfo: CursorInfo


class RedemptionCodeGroupWrite(WireModel):
    label: Text | None = None
    codeLength: StrictInt | None = None
    totalCodesCount: StrictInt | None = Field(default=None, description="At most 10,000")
    client: Text | None = None
    expirationDate: Instant | None = None
    accessDays: StrictInt | None = None
    accessExpirationDate: Instant | None = None
    courses: list[Text] | None = None
    bundles: list[Text] | None = None
    licenses: list[Text] | None = None
    learningPaths: list[Text] | None = None


class RedeemWrite(WireModel):
    code: Text | None = None
    userId: Text | None = Field(default=None, description="User id (UUID), email or external id")


class Redeemed(BaseModel):
    code: str
    userId: str
    redemptionCodeGroup: RedemptionCodeGroup
    courses: list[Titled]
