"""v2 list paging: `?next=<next_page>&limit=` (the spec) or `?page=` (a docs copy), and the
`meta.page` block. `next_page` is an opaque string ("" on the last page)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from coursegate.dialects.thinkific.pagination import _whole_number
from coursegate.platform.http import profile_of


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.limit


async def page_of(
    request: Request,
    next: Annotated[
        str | None, Query(description="The next page identifier (meta.page.next_page)")
    ] = None,
    limit: Annotated[str | None, Query(description="The number of items to be returned")] = None,
    page: Annotated[str | None, Query(description="Page number (accepted as an alias)")] = None,
) -> Page:
    profile = profile_of(request)
    number = _whole_number(next, "next") or _whole_number(page, "page") or 1
    size = _whole_number(limit, "limit") or profile.default_page_size
    return Page(min(number, 10_000_000), min(size, profile.max_page_size))


PageDep = Annotated[Page, Depends(page_of)]


def listing(items: list[dict[str, Any]], page: Page, total: int) -> dict[str, Any]:
    total_pages = max(1, math.ceil(total / page.limit))
    has_next = page.number < total_pages
    return {
        "items": items,
        "meta": {
            "page": {
                "has_next": has_next,
                "next_page": str(page.number + 1) if has_next else "",
                "page_items": len(items),
                "total_items": total,
                "total_pages": total_pages,
            }
        },
    }
