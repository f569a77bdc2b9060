"""Thinkific wire schemas for products, bundles, categories, instructors, reviews, groups,
custom profile field definitions, site scripts and product publish requests. Request bodies
are parsed loosely (the domain validates, so messages name the field); responses are here
for the OpenAPI document only."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StrictBool

from coursegate.dialects.thinkific.schemas import Instant, Meta, WireModel


def _no_nul(value: str) -> str:
    # NUL cannot be stored in PostgreSQL text; refuse it as bad input rather than fail later.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
# Ids a request names: anything beyond a 64-bit row id names no record (and must not reach SQL).
Id = Annotated[int, Field(ge=0, le=9_223_372_036_854_775_807)]

# ---- products ---------------------------------------------------------------------------------


class ProductPriceResponse(BaseModel):
    id: int
    is_primary: bool
    payment_type: str
    label: str | None
    price: str
    days_until_expiry: str | None
    pay_button_text: str | None
    number_of_payments: str | None
    interval: str | None
    interval_count: str | None
    trial_interval: str | None
    trial_interval_count: str | None
    custom_first_price: str | None
    price_name: str
    currency: str


class ProductResponse(BaseModel):
    id: int
    created_at: str
    productable_id: int
    productable_type: str
    price: float
    position: int
    status: str
    name: str
    private: bool
    hidden: bool
    subscription: bool
    days_until_expiry: int | None
    has_certificate: bool
    keywords: str | None
    seo_title: str | None
    seo_description: str | None
    collection_ids: list[int]
    related_product_ids: list[int]
    description: str | None
    card_image_url: str | None
    slug: str
    product_prices: list[ProductPriceResponse]


class GetProductsResponse(BaseModel):
    items: list[ProductResponse]
    meta: Meta


class PublishRequestResponse(BaseModel):
    id: int
    product_id: int
    status: str
    response_text: str | None
    requesting_user_id: int
    responding_user_id: int | None
    completed_at: str | None
    created_at: str
    updated_at: str


class GetPublishRequestsResponse(BaseModel):
    items: list[PublishRequestResponse]
    meta: Meta


class PublishDecisionRequest(WireModel):
    user_id: Id | None = None
    response_text: Text | None = None
    notify_requester: StrictBool = False


# ---- bundles ----------------------------------------------------------------------------------


class BundleResponse(BaseModel):
    id: int
    name: str
    description: str | None
    tagline: str | None
    banner_image_url: str | None
    course_ids: list[int]
    bundle_card_image_url: str | None


class BundleEnrollmentRequest(WireModel):
    user_id: Id | None = None
    activated_at: Instant | None = None
    expiry_date: Instant | None = None


# ---- categories -------------------------------------------------------------------------------


class CollectionResponse(BaseModel):
    id: int
    name: str
    description: str
    slug: str
    created_at: str
    product_ids: list[int]
    default: bool


class GetCollectionsResponse(BaseModel):
    items: list[CollectionResponse]
    meta: Meta


class CollectionRequest(WireModel):
    name: Text | None = None
    description: Text | None = None
    slug: Text | None = None


class MembershipsRequest(WireModel):
    product_ids: list[Id]


# ---- instructors ------------------------------------------------------------------------------


class InstructorResponse(BaseModel):
    id: int
    user_id: int | None
    title: str | None
    first_name: str
    last_name: str
    bio: str | None
    slug: str | None
    avatar_url: str | None
    email: str | None
    created_at: str


class GetInstructorsResponse(BaseModel):
    items: list[InstructorResponse]
    meta: Meta


class InstructorRequest(WireModel):
    user_id: Id | None = None
    title: Text | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    bio: Text | None = None
    slug: Text | None = None
    avatar_url: Text | None = None
    email: Text | None = None


# ---- course reviews ---------------------------------------------------------------------------


class CourseReviewResponse(BaseModel):
    id: int
    rating: int
    title: str
    review_text: str
    user_id: int
    course_id: int
    approved: bool
    created_at: str


class GetCourseReviewsResponse(BaseModel):
    items: list[CourseReviewResponse]
    meta: Meta


class CreateCourseReviewRequest(WireModel):
    rating: float | None = None
    title: Text | None = None
    review_text: Text | None = None
    user_id: Id | None = None
    approved: StrictBool | None = None


# ---- custom profile field definitions ---------------------------------------------------------


class CustomProfileFieldDefinitionResponse(BaseModel):
    id: int
    label: str
    field_type: str
    required: bool


class GetCustomProfileFieldDefinitions(BaseModel):
    items: list[CustomProfileFieldDefinitionResponse]
    meta: Meta


# ---- groups -----------------------------------------------------------------------------------


class GroupResponse(BaseModel):
    id: int
    name: str
    token: str
    created_at: str


class GetGroupsResponse(BaseModel):
    items: list[GroupResponse]
    meta: Meta


class GroupRequest(WireModel):
    name: Text | None = None


class CreateGroupUsersRequest(WireModel):
    user_id: Id | None = None
    group_names: list[Text] | None = None


class GetGroupAnalystsResponse(BaseModel):
    group_analysts: list[int]


class GroupAddAnalystRequest(WireModel):
    user_ids: list[Id] | None = None


class GroupAnalystsAddGroupRequest(WireModel):
    group_ids: list[Id] | None = None


# ---- site scripts -----------------------------------------------------------------------------


class SiteScriptResponse(BaseModel):
    id: str
    src: str | None = None
    content: str | None = None
    name: str
    description: str
    page_scopes: list[str]
    location: str
    load_method: str
    category: str
    created_at: str
    updated_at: str


class GetSiteScriptsResponse(BaseModel):
    items: list[SiteScriptResponse]
    meta: Meta


class SiteScriptRequest(WireModel):
    src: Text | None = None
    content: Text | None = None
    name: Text | None = None
    description: Text | None = None
    page_scopes: list[Text] | None = None
    location: Text | None = None
    load_method: Text | None = None
    category: Text | None = None

    def data(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)
