"""GET /content: catalogue search with cursor paging (data.APIContentSearch)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import mappers
from coursegate.dialects.thoughtindustries.paging import (
    cursor_id,
    cursor_value,
    decode_cursor,
    encode_cursor,
    envelope,
    page_info,
    per_page,
)
from coursegate.dialects.thoughtindustries.schemas import ContentSearchResponse, Errors
from coursegate.domain import catalog
from coursegate.domain.errors import Invalid
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Content"])

# `sort` names on the wire -> platform sort keys.
SORTS = {
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "title": "title",
    "publishDate": "published_at",
    "displayDate": "published_at",
}
DATE_SORTS = {"created_at", "updated_at", "published_at"}


def _types(raw: list[str]) -> list[str]:
    wanted: list[str] = []
    for entry in raw:
        for name in entry.split(","):
            name = name.strip()
            if not name:
                continue
            course_type = mappers.TYPE_OF_KIND.get(name) or (
                name if name in mappers.KIND_OF_TYPE else None
            )
            if course_type is None:
                choices = sorted({*mappers.TYPE_OF_KIND})
                raise Invalid.one("types", "invalid_choice", value=name, choices=choices)
            if course_type not in wanted:
                wanted.append(course_type)
    if not wanted:
        raise Invalid.one("types", "required")
    return wanted


def _sort(raw: str | None) -> tuple[str, bool]:
    if not raw:
        return "created_at", True
    name, _, direction = raw.partition(":")
    if name not in SORTS or direction not in ("", "asc", "desc"):
        raise Invalid.one(
            "sort", "invalid_choice", value=raw, choices=[f"{k}[:asc|:desc]" for k in SORTS]
        )
    key = SORTS[name]
    return key, (direction or ("asc" if key == "title" else "desc")) == "desc"


@router.get(
    "/content",
    response_model=ContentSearchResponse,
    responses={400: {"model": Errors}},
    operation_id="APIContentSearch",
)
async def search_content(
    request: Request,
    types: Annotated[
        list[str] | None, Query(description="ContentSearchType values (kinds or course types)")
    ] = None,
    cursor: Annotated[str | None, Query()] = None,
    perPage: Annotated[str | None, Query()] = None,
    sort: Annotated[
        str | None,
        Query(description="createdAt, updatedAt, title, publishDate; optional :asc/:desc"),
    ] = None,
    query: Annotated[
        str | None, Query(description="Full-text search in title and description")
    ] = None,
) -> Response:
    if types is None:
        types = request.query_params.getlist("types[]")
    course_types = _types(types or [])
    sort_key, descending = _sort(sort)
    limit = per_page(request, perPage)
    key = decode_cursor(cursor, {"s", "v", "i"})
    after = None
    if key is not None:
        if key["s"] != f"{sort_key}:{'desc' if descending else 'asc'}":
            raise Invalid.one("cursor", "invalid", value=cursor)
        after = (cursor_value(key["v"], sort_key in DATE_SORTS), cursor_id(key["i"]))
    ctx = ctx_of(request)
    result = await catalog.search_catalog(
        ctx,
        course_types=course_types,
        text=(query or "").strip() or None,
        sort=sort_key,
        descending=descending,
        after=after,
        limit=limit,
    )
    base = request.scope["state"]["base_url"]
    items = [mappers.content_item(c, base) for c in result.items]
    next_cursor = None
    if result.items:
        last = result.items[-1]
        value = (
            getattr(last, sort_key)
            if sort_key != "published_at"
            else (last.published_at or last.created_at)
        )
        wire_value = value.isoformat() if hasattr(value, "isoformat") else value
        next_cursor = encode_cursor(
            {"s": f"{sort_key}:{'desc' if descending else 'asc'}", "v": wire_value, "i": last.id}
        )
    info = page_info(limit, result.total, result.has_more, next_cursor)
    return json(envelope(request, "APIContentSearch", {"pageInfo": info, "contentItems": items}))
