"""Categories (`/collections`) and category memberships (`/collection_memberships`)."""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.params import record_id
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    CollectionRequest,
    CollectionResponse,
    GetCollectionsResponse,
    GetProductsResponse,
    MembershipsRequest,
)
from coursegate.domain import categories
from coursegate.platform.http import Responses, ctx_of, empty, json

router = APIRouter()
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
TAGS: list[str | Enum] = ["Categories"]


@router.get(
    "/collections", response_model=GetCollectionsResponse, tags=TAGS, operation_id="getCollections"
)
async def list_collections(request: Request, paging: PagingDep) -> Response:
    page = await categories.list_categories(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.category(c) for c in page.items], paging, page.total))


@router.post(
    "/collections",
    status_code=201,
    response_model=CollectionResponse,
    responses=INVALID,
    tags=TAGS,
    operation_id="createCollection",
)
async def create_collection(request: Request, body: CollectionRequest) -> Response:
    category = await categories.create_category(ctx_of(request), body.model_dump())
    return json(mappers.category(category), 201)


@router.get(
    "/collections/{id}",
    response_model=CollectionResponse,
    responses=NOT_FOUND,
    tags=TAGS,
    operation_id="getCollectionByID",
)
async def get_collection(request: Request, id: str) -> Response:
    return json(
        mappers.category(await categories.get_category(ctx_of(request), record_id(id, "category")))
    )


@router.put(
    "/collections/{id}",
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    tags=TAGS,
    operation_id="updateCollection",
)
async def update_collection(request: Request, id: str, body: CollectionRequest) -> Response:
    await categories.update_category(ctx_of(request), record_id(id, "category"), body.model_dump())
    return empty(204)


@router.delete(
    "/collections/{id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=TAGS,
    operation_id="deleteCollectionByID",
)
async def delete_collection(request: Request, id: str) -> Response:
    await categories.delete_category(ctx_of(request), record_id(id, "category"))
    return empty(204)


@router.get(
    "/collections/{id}/products",
    response_model=GetProductsResponse,
    responses=NOT_FOUND,
    tags=TAGS,
    operation_id="getProductsByCollectionID",
)
async def list_collection_products(request: Request, id: str, paging: PagingDep) -> Response:
    ctx = ctx_of(request)
    page = await categories.category_products(
        ctx, record_id(id, "category"), paging.offset, paging.limit
    )
    return json(listing([mappers.product(p) for p in page.items], paging, page.total))


@router.post(
    "/collection_memberships/{id}",
    status_code=201,
    responses=NOT_FOUND,
    tags=["Category Memberships"],
    operation_id="addProductsToCollection",
)
async def add_memberships(request: Request, id: str, body: MembershipsRequest) -> Response:
    await categories.change_memberships(
        ctx_of(request), record_id(id, "category"), body.product_ids, add=True
    )
    return empty(201)


@router.delete(
    "/collection_memberships/{id}",
    status_code=204,
    responses=NOT_FOUND,
    tags=["Category Memberships"],
    operation_id="removeProductsFromCollection",
)
async def remove_memberships(request: Request, id: str, body: MembershipsRequest) -> Response:
    await categories.change_memberships(
        ctx_of(request), record_id(id, "category"), body.product_ids, add=False
    )
    return empty(204)
