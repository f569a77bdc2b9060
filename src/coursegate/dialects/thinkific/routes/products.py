"""Products (read-only) and product publish requests (list pending, read, approve, deny)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    GetProductsResponse,
    GetPublishRequestsResponse,
    ProductResponse,
    PublishDecisionRequest,
    PublishRequestResponse,
)
from coursegate.domain import products
from coursegate.platform.http import Responses, ctx_of, empty, json

router = APIRouter()
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}


@router.get(
    "/products", response_model=GetProductsResponse, tags=["Products"], operation_id="getProducts"
)
async def list_products(request: Request, paging: PagingDep) -> Response:
    page = await products.list_products(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.product(p) for p in page.items], paging, page.total))


@router.get(
    "/products/{id}",
    response_model=ProductResponse,
    responses=NOT_FOUND,
    tags=["Products"],
    operation_id="getProductByID",
)
async def get_product(request: Request, id: str) -> Response:
    detail = await products.get_product(ctx_of(request), record_id(id, "product"))
    return json(mappers.product(detail))


@router.get(
    "/products/{id}/related",
    response_model=GetProductsResponse,
    responses=NOT_FOUND,
    tags=["Products"],
    operation_id="getRelatedProductByProductID",
)
async def list_related(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    page = await products.related_products(
        ctx, record_id(id, "product"), paging.offset, paging.limit
    )
    return json(listing([mappers.product(p) for p in page.items], paging, page.total))


@router.get(
    "/product_publish_requests",
    response_model=GetPublishRequestsResponse,
    tags=["Product Publish Request"],
    operation_id="getProductPublishRequests",
)
async def list_publish_requests(request: Request, paging: PagingDep) -> Response:
    page = await products.list_publish_requests(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.publish_request(r) for r in page.items], paging, page.total))


@router.get(
    "/product_publish_requests/{id}",
    response_model=PublishRequestResponse,
    responses=NOT_FOUND,
    tags=["Product Publish Request"],
    operation_id="getProductPublishRequestByID",
)
async def get_publish_request(request: Request, id: str) -> Response:
    found = await products.get_publish_request(
        ctx_of(request), record_id(id, "product_publish_request")
    )
    return json(mappers.publish_request(found))


async def _decide(
    request: Request, id: str, body: PublishDecisionRequest, decision: str
) -> Response:
    await products.decide_publish_request(
        ctx_of(request),
        record_id(id, "product_publish_request"),
        decision,
        responding_user_id=body.user_id,
        response_text=body.response_text,
        notify_requester=body.notify_requester,
    )
    return empty(200)


@router.post(
    "/product_publish_requests/{id}/approve",
    status_code=200,
    responses={**NOT_FOUND, **INVALID},
    tags=["Product Publish Request"],
    operation_id="approveProductPublishRequest",
)
async def approve(request: Request, id: str, body: PublishDecisionRequest) -> Response:
    return await _decide(request, id, body, "approve")


@router.post(
    "/product_publish_requests/{id}/deny",
    status_code=200,
    responses={**NOT_FOUND, **INVALID},
    tags=["Product Publish Request"],
    operation_id="denyProductPublishRequest",
)
async def deny(request: Request, id: str, body: PublishDecisionRequest) -> Response:
    return await _decide(request, id, body, "deny")
