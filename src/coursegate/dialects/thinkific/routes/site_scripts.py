"""Site scripts (string ids): exactly one of `src` or signed inline `content`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from starlette.responses import Response

from coursegate.dialects.thinkific import mappers_catalog as mappers
from coursegate.dialects.thinkific.pagination import PagingDep, listing
from coursegate.dialects.thinkific.schemas import ErrorNotFound, ValidationErrors
from coursegate.dialects.thinkific.schemas_catalog import (
    GetSiteScriptsResponse,
    SiteScriptRequest,
    SiteScriptResponse,
)
from coursegate.domain import site_scripts
from coursegate.platform.http import Responses, ctx_of, empty, json

router = APIRouter(tags=["Site Scripts"])
NOT_FOUND: Responses = {404: {"model": ErrorNotFound, "description": "Record not found"}}
INVALID: Responses = {422: {"model": ValidationErrors, "description": "Validation failed"}}
Signature = Annotated[str | None, Header(alias="HMAC-SHA256-SIGNATURE")]


@router.get("/site_scripts", response_model=GetSiteScriptsResponse, operation_id="getSiteScripts")
async def list_scripts(request: Request, paging: PagingDep) -> Response:
    page = await site_scripts.list_scripts(ctx_of(request), paging.offset, paging.limit)
    return json(listing([mappers.site_script(s) for s in page.items], paging, page.total))


@router.post(
    "/site_scripts",
    status_code=201,
    response_model=SiteScriptResponse,
    responses=INVALID,
    operation_id="createSiteScript",
)
async def create_script(
    request: Request, body: SiteScriptRequest, signature: Signature = None
) -> Response:
    script = await site_scripts.create_script(ctx_of(request), body.data(), signature)
    return json(mappers.site_script(script), 201)


@router.get(
    "/site_scripts/{id}",
    response_model=SiteScriptResponse,
    responses=NOT_FOUND,
    operation_id="getSiteScriptByID",
)
async def get_script(request: Request, id: str) -> Response:
    return json(mappers.site_script(await site_scripts.get_script(ctx_of(request), id)))


@router.put(
    "/site_scripts/{id}",
    status_code=204,
    responses={**NOT_FOUND, **INVALID},
    operation_id="updateSiteScript",
)
async def update_script(
    request: Request, id: str, body: SiteScriptRequest, signature: Signature = None
) -> Response:
    await site_scripts.update_script(ctx_of(request), id, body.data(), signature)
    return empty(204)


@router.delete(
    "/site_scripts/{id}", status_code=204, responses=NOT_FOUND, operation_id="deleteSiteScript"
)
async def delete_script(request: Request, id: str) -> Response:
    await site_scripts.delete_script(ctx_of(request), id)
    return empty(204)
