"""Reading the event log for the dialects: one event by its sequence number, and a page of a
feed with the people and course titles its events name (the SQL is the store's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.events.model import FeedFilter, LoggedEvent
from coursegate.store.event_log import EventLogRepo


@dataclass(frozen=True, slots=True)
class FeedPage:
    events: list[LoggedEvent]
    # Events matching the filter in all, and whether more follow this page.
    total: int
    has_more: bool
    # By uuid: the users (their names, emails, external ids) and course titles the page names.
    people: dict[str, dict[str, Any]]
    titles: dict[str, str]


async def event_by_seq(ctx: Ctx, seq: int) -> LoggedEvent | None:
    async with ctx.reading() as u:
        row = await EventLogRepo(u).by_seq(seq)
    return None if row is None else LoggedEvent.from_row(row)


async def feed_page(
    ctx: Ctx,
    flt: FeedFilter,
    after: tuple[datetime, int] | None,
    newest_first: bool,
    limit: int,
) -> FeedPage:
    """Up to `limit` events in (time, seq) order (newest first if asked), strictly beyond the
    keyset `after`, read in one unit."""
    async with ctx.reading() as u:
        log = EventLogRepo(u)
        rows = await log.feed(flt, after, newest_first, limit + 1)
        total = await log.feed_total(flt, rows)
    page = [LoggedEvent.from_row(r) for r in rows]
    people, titles = EventLogRepo.named(rows[:limit])
    return FeedPage(page[:limit], total, len(page) > limit, people, titles)
