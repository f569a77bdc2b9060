"""Promotions, coupons, orders and external orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_commerce as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import optional_int, record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_commerce import (
    BulkCreateCouponRequest,
    CouponResponse,
    CreateBulkCouponResponse,
    CreateCouponRequest,
    ExternalOrderCreated,
    ExternalOrderRequest,
    ExternalOrderTransaction,
    GetCouponResponse,
    GetOrdersResponse,
    GetPromotionsResponse,
    OrderResponse,
    PromotionRequest,
    PromotionResponse,
    PurchaseRequest,
    UpdateCoupon,
)
from coursegate.domain import commerce, orders
from coursegate.domain.errors import Collector, NotFound
from coursegate.platform.http import ctx_of, empty, json

router = APIRouter()
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Not Found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Unprocessable Entity"}}
QNum = Annotated[str | None, Query()]


class MissingParameter(Exception):
    """A required query parameter is absent: Thinkific's ErrorBadRequest (400)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _required_int(raw: str | None, name: str) -> int:
    value = optional_int(raw, name)
    if value is None:
        raise MissingParameter(name)
    return value


async def bad_request(_request: Request, exc: MissingParameter) -> Response:
    return json({"error": f"Parameter {exc.name} is required."}, 400)


# ---- promotions --------------------------------------------------------------------------------


@router.get(
    "/promotions",
    tags=["Promotions"],
    response_model=GetPromotionsResponse,
    operation_id="getPromotions",
)
async def list_promotions(request: Request, paging: PagingDep) -> Response:
    page = await commerce.list_promotions(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.promotion(p) for p in page.items], paging, page.total))


@router.post(
    "/promotions",
    tags=["Promotions"],
    status_code=201,
    response_model=PromotionResponse,
    responses=INVALID,
    operation_id="createPromotion",
)
async def create_promotion(request: Request, body: PromotionRequest | None = None) -> Response:
    data = body.model_dump(exclude_unset=True) if body else {}
    promotion = await commerce.create_promotion(ctx_of(request), data)
    return json(mappers.promotion(promotion), 201)


# Declared before /promotions/{id} so "by_coupon" is never read as an id.
@router.get(
    "/promotions/by_coupon",
    tags=["Promotions"],
    response_model=PromotionResponse,
    responses=NOT_FOUND,
    operation_id="getPromotionByCoupon",
)
async def promotion_by_coupon(
    request: Request, product_id: QNum = None, coupon_code: QNum = None
) -> Response:
    product = optional_int(product_id, "product_id")
    if product is None or not coupon_code:
        raise NotFound("promotion", coupon_code)
    promotion = await commerce.promotion_for_coupon(ctx_of(request), product, coupon_code)
    return json(mappers.promotion(promotion))


@router.get(
    "/promotions/{id}",
    tags=["Promotions"],
    response_model=PromotionResponse,
    responses=NOT_FOUND,
    operation_id="getPromotionByID",
)
async def get_promotion(request: Request, id: str) -> Response:
    promotion = await commerce.get_promotion(ctx_of(request), record_id(id, "promotion"))
    return json(mappers.promotion(promotion))


@router.put(
    "/promotions/{id}",
    tags=["Promotions"],
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updatePromotionByID",
)
async def update_promotion(
    request: Request, id: str, body: PromotionRequest | None = None
) -> Response:
    promotion_id = record_id(id, "promotion")
    data = body.model_dump(exclude_unset=True) if body else {}
    await commerce.update_promotion(ctx_of(request), promotion_id, data)
    return empty(204)


@router.delete(
    "/promotions/{id}",
    tags=["Promotions"],
    status_code=204,
    responses=NOT_FOUND,
    operation_id="deletePromotionByID",
)
async def delete_promotion(request: Request, id: str) -> Response:
    await commerce.delete_promotion(ctx_of(request), record_id(id, "promotion"))
    return empty(204)


# ---- coupons -----------------------------------------------------------------------------------


@router.get(
    "/coupons", tags=["Coupons"], response_model=GetCouponResponse, operation_id="getCoupons"
)
async def list_coupons(request: Request, paging: PagingDep, promotion_id: QNum = None) -> Response:
    promotion = _required_int(promotion_id, "promotion_id")
    page = await commerce.list_coupons(ctx_of(request), promotion, paging.offset, paging.limit)
    return json(listing([mappers.coupon(c) for c in page.items], paging, page.total))


@router.post(
    "/coupons",
    tags=["Coupons"],
    status_code=201,
    response_model=CouponResponse,
    responses=INVALID,
    operation_id="createCoupon",
)
async def create_coupon(
    request: Request, body: CreateCouponRequest, promotion_id: QNum = None
) -> Response:
    promotion = _required_int(promotion_id, "promotion_id")
    coupon = await commerce.create_coupon(
        ctx_of(request), promotion, body.model_dump(exclude_unset=True)
    )
    return json(mappers.coupon(coupon), 201)


@router.post(
    "/coupons/bulk_create",
    tags=["Coupons"],
    status_code=201,
    response_model=CreateBulkCouponResponse,
    responses={**NOT_FOUND, **INVALID},
    operation_id="bulkCreateCoupons",
)
async def bulk_create_coupons(
    request: Request, body: BulkCreateCouponRequest, promotion_id: QNum = None
) -> Response:
    promotion = _required_int(promotion_id, "promotion_id")
    bulk = commerce.BulkRequest(
        body.bulk_quantity, body.bulk_coupon_code_length, body.bulk_quantity_per_coupon
    )
    created = await commerce.bulk_create_coupons(ctx_of(request), promotion, bulk)
    return json({"items": [mappers.coupon(c) for c in created]}, 201)


@router.get(
    "/coupons/{id}",
    tags=["Coupons"],
    response_model=CouponResponse,
    responses=NOT_FOUND,
    operation_id="getCouponByID",
)
async def get_coupon(request: Request, id: str) -> Response:
    return json(mappers.coupon(await commerce.get_coupon(ctx_of(request), record_id(id, "coupon"))))


@router.put(
    "/coupons/{id}",
    tags=["Coupons"],
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updateCoupon",
)
async def update_coupon(request: Request, id: str, body: UpdateCoupon) -> Response:
    coupon_id = record_id(id, "coupon")
    await commerce.update_coupon(ctx_of(request), coupon_id, body.model_dump(exclude_unset=True))
    return empty(204)


@router.delete(
    "/coupons/{id}",
    tags=["Coupons"],
    status_code=204,
    responses=NOT_FOUND,
    operation_id="deleteCouponByID",
)
async def delete_coupon(request: Request, id: str) -> Response:
    await commerce.delete_coupon(ctx_of(request), record_id(id, "coupon"))
    return empty(204)


# ---- orders ------------------------------------------------------------------------------------


@router.get("/orders", tags=["Orders"], response_model=GetOrdersResponse, operation_id="getOrders")
async def list_orders(request: Request, paging: PagingDep) -> Response:
    page = await orders.list_orders(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.order(o) for o in page.items], paging, page.total))


@router.post(
    "/orders",
    tags=["Orders (coursegate extension)"],
    status_code=201,
    response_model=OrderResponse,
    responses={**INVALID},
    operation_id="purchase",
    description="Not part of Thinkific's API: the platform's own checkout. Applies the "
    "coupon, writes a complete order and enrolls the buyer with full access.",
)
async def purchase(request: Request, body: PurchaseRequest) -> Response:
    problems = Collector()
    for name in ("user_id", "product_id"):
        if getattr(body, name) is None:
            problems.add(name, "required")
    problems.raise_if_any()
    assert body.user_id is not None and body.product_id is not None
    order = await orders.purchase(
        ctx_of(request),
        user_id=body.user_id,
        product_id=body.product_id,
        coupon_code=body.coupon_code,
    )
    return json(mappers.order(order), 201)


@router.get(
    "/orders/{id}",
    tags=["Orders"],
    response_model=OrderResponse,
    responses=NOT_FOUND,
    operation_id="getOrderByID",
)
async def get_order(request: Request, id: str) -> Response:
    return json(mappers.order(await orders.get_order(ctx_of(request), record_id(id, "order"))))


# ---- external orders ---------------------------------------------------------------------------


@router.post(
    "/external_orders",
    tags=["External Orders"],
    status_code=201,
    response_model=ExternalOrderCreated,
    responses=INVALID,
    operation_id="createExternalOrder",
)
async def create_external_order(request: Request, body: ExternalOrderRequest) -> Response:
    order = await orders.create_external_order(ctx_of(request), body.model_dump(exclude_unset=True))
    return json({"id": order.id}, 201)


async def _transaction(
    request: Request, id: str, kind: str, body: ExternalOrderTransaction
) -> Response:
    order_id = record_id(id, "external order")
    await orders.add_external_transaction(
        ctx_of(request), order_id, kind, body.model_dump(exclude_unset=True)
    )
    return empty(200)


@router.post(
    "/external_orders/{id}/transactions/purchase",
    tags=["External Orders"],
    status_code=200,
    responses={**NOT_FOUND, **INVALID},
    operation_id="purchaseExternalOrderTransaction",
)
async def external_purchase(request: Request, id: str, body: ExternalOrderTransaction) -> Response:
    return await _transaction(request, id, "purchase", body)


@router.post(
    "/external_orders/{id}/transactions/refund",
    tags=["External Orders"],
    status_code=200,
    responses={**NOT_FOUND, **INVALID},
    operation_id="refundExternalOrderTransaction",
)
async def external_refund(request: Request, id: str, body: ExternalOrderTransaction) -> Response:
    return await _transaction(request, id, "refund", body)
