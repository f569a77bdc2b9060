"""Thinkific `page`/`limit` paging and its `meta.pagination` block."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from coursegate.domain.errors import Invalid
from coursegate.platform.http import profile_of


def _whole_number(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Invalid.one(name, "not_a_number") from None
    if not math.isfinite(value) or value != int(value):
        raise Invalid.one(name, "not_a_number")
    if value < 1:
        raise Invalid.one(name, "out_of_range", minimum=0, maximum="infinity")
    return int(value)


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


async def paging(
    request: Request,
    page: Annotated[
        str | None, Query(description="The page within the collection to fetch")
    ] = None,
    limit: Annotated[
        str | None, Query(description="The number of items to be returned (max 250)")
    ] = None,
) -> Paging:
    profile = profile_of(request)
    number = _whole_number(page, "page") or 1
    size = _whole_number(limit, "limit") or profile.default_page_size
    # Above the maximum, Thinkific serves the maximum (docs/compat/thinkific.md).
    return Paging(min(number, 10_000_000), min(size, profile.max_page_size))


PagingDep = Annotated[Paging, Depends(paging)]


def meta(paging: Paging, total: int, shown: int) -> dict[str, Any]:
    total_pages = max(1, math.ceil(total / paging.limit)) if total else 1
    first = paging.offset + 1 if shown else 0
    last = paging.offset + shown
    return {
        "pagination": {
            "current_page": paging.page,
            "next_page": paging.page + 1 if paging.page < total_pages else None,
            "prev_page": paging.page - 1 if paging.page > 1 else None,
            "total_pages": total_pages,
            "total_items": total,
            "entries_info": f"{first}-{last} of {total}",
        }
    }


def listing(items: list[dict[str, Any]], paging: Paging, total: int) -> dict[str, Any]:
    return {"items": items, "meta": meta(paging, total, len(items))}
