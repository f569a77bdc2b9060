"""Reading the event log: single events and time-ordered, keyset-paged feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, union_all

from coursegate.events.model import FeedFilter
from coursegate.store import counters, direct
from coursegate.store.base import LIMIT, SITE, Repo
from coursegate.store.tables.catalog import courses
from coursegate.store.tables.events import events
from coursegate.store.tables.people import users


class EventLogRepo(Repo):
    table = events

    async def by_seq(self, seq: int) -> Any:
        result = await self.conn.execute(self.scoped().where(events.c.seq == seq))
        return result.first()

    def _filtered(self, f: FeedFilter, *columns: Any) -> Any:
        kinds: list[Any] = []
        if f.types:
            kinds.append(events.c.type.in_(list(f.types)))
        if f.course_types:
            kinds.append(
                and_(events.c.type.in_(list(f.course_types)), events.c.course_uuid.is_not(None))
            )
        stmt = self.scoped(*columns).where(or_(*kinds) if kinds else events.c.seq.is_(None))
        if f.start is not None:
            stmt = stmt.where(events.c.occurred_at >= f.start)
        if f.end is not None:
            stmt = stmt.where(events.c.occurred_at <= f.end)
        if f.user_uuid is not None:
            stmt = stmt.where(events.c.user_uuid == f.user_uuid)
        if f.notifiable_uuid is not None:
            stmt = stmt.where(
                or_(
                    events.c.course_uuid == f.notifiable_uuid,
                    and_(
                        events.c.course_uuid.is_(None), events.c.subject_uuid == f.notifiable_uuid
                    ),
                )
            )
        return stmt

    async def feed(
        self, f: FeedFilter, after: tuple[datetime, int] | None, newest_first: bool, limit: int
    ) -> list[Any]:
        """One page in (occurred_at, seq) order, strictly after the keyset `after`."""
        if f.user_uuid is None and f.notifiable_uuid is None:
            plain, about_course = _kinds(f)
            if len(plain) + len(about_course) > 1:
                stmt = _merged_feed(
                    len(plain),
                    len(about_course),
                    f.start is not None,
                    f.end is not None,
                    after is not None,
                    newest_first,
                )
                params: dict[str, Any] = {
                    "site_id": self.site_id,
                    "limit": limit,
                    "start": f.start,
                    "end": f.end,
                    "after_at": after[0] if after else None,
                    "after_seq": after[1] if after else None,
                }
                for i, kind in enumerate((*plain, *about_course)):
                    params[f"type_{i}"] = kind
                return list((await direct.execute(self.conn, stmt, params)).all())
        stmt = _paged(self._filtered(f), events.c, after, newest_first, limit)
        return list((await self.conn.execute(stmt)).all())

    async def feed_total(self, f: FeedFilter) -> int:
        if (f.start, f.end, f.user_uuid, f.notifiable_uuid) == (None, None, None, None):
            # Filtered by type only: the sum of the maintained per-type counts.
            names = [counters.event_counter(t) for t in dict.fromkeys(f.types)]
            names += [
                counters.event_counter(t, True)
                for t in dict.fromkeys(f.course_types)
                if t not in f.types  # already counted whole
            ]
            found = await counters.read_many(
                self.conn, self.site_id, [counters.EVENTS_COUNTED, *names]
            )
            if found.get(counters.EVENTS_COUNTED, 0) > 0:
                return sum(found.get(name, 0) for name in names)
        return await self.count(self._filtered(f, events.c.seq))

    async def people(self, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = sorted({u for u in uuids if u})
        if not wanted:
            return {}
        stmt = select(
            users.c.uuid,
            users.c.email,
            users.c.first_name,
            users.c.last_name,
            users.c.external_customer_id,
            users.c.deleted_at,
        ).where(users.c.site_id == self.site_id, users.c.uuid.in_(wanted))
        return {r.uuid: dict(r._mapping) for r in (await self.conn.execute(stmt)).all()}

    async def titles(self, uuids: Iterable[str]) -> dict[str, str]:
        wanted = sorted({u for u in uuids if u})
        if not wanted:
            return {}
        stmt = select(courses.c.uuid, courses.c.title).where(
            courses.c.site_id == self.site_id, courses.c.uuid.in_(wanted)
        )
        return {r.uuid: r.title for r in (await self.conn.execute(stmt)).all()}


def _kinds(f: FeedFilter) -> tuple[list[str], list[str]]:
    """The feed's event types, and those that count only when the event is about a course."""
    plain = list(dict.fromkeys(f.types))
    return plain, [t for t in dict.fromkeys(f.course_types) if t not in plain]


@lru_cache(maxsize=256)
def _merged_feed(
    plain: int, about_course: int, start: bool, end: bool, after: bool, newest_first: bool
) -> Any:
    """A feed of several types as one page of each type (each a range of the (site, type,
    time) index), merged: one scan in time order would walk past every event of the other
    types (the whole log, for a feed of rare types) to fill a page. Built once per shape, the
    types, times, keyset and page size bound."""
    at_type = events.c.occurred_at.type
    keyset: tuple[Any, Any] | None = (
        (bindparam("after_at", type_=at_type), bindparam("after_seq")) if after else None
    )
    branches = []
    for i in range(plain + about_course):
        branch = select(events).where(
            events.c.site_id == SITE, events.c.type == bindparam(f"type_{i}")
        )
        if i >= plain:
            branch = branch.where(events.c.course_uuid.is_not(None))
        if start:
            branch = branch.where(events.c.occurred_at >= bindparam("start", type_=at_type))
        if end:
            branch = branch.where(events.c.occurred_at <= bindparam("end", type_=at_type))
        page = _paged(branch, events.c, keyset, newest_first, LIMIT).subquery()
        branches.append(select(page))
    merged = union_all(*branches).subquery()
    return select(merged).order_by(*_order(merged.c, newest_first)).limit(LIMIT)


def _order(columns: Any, newest_first: bool) -> list[Any]:
    if newest_first:
        return [columns.occurred_at.desc(), columns.seq.desc()]
    return [columns.occurred_at, columns.seq]


def _paged(
    stmt: Any, columns: Any, after: tuple[Any, Any] | None, newest_first: bool, limit: Any
) -> Any:
    """`stmt` ordered by (occurred_at, seq), strictly beyond the keyset `after`, one page long.
    The keyset bounds the time first (an index range), then breaks ties by seq."""
    if after is not None:
        at, seq = after
        if newest_first:
            stmt = stmt.where(
                columns.occurred_at <= at, or_(columns.occurred_at < at, columns.seq < seq)
            )
        else:
            stmt = stmt.where(
                columns.occurred_at >= at, or_(columns.occurred_at > at, columns.seq > seq)
            )
    return stmt.order_by(*_order(columns, newest_first)).limit(limit)
