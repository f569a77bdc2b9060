"""Reading the event log: single events and time-ordered, keyset-paged feeds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from coursegate.store import counters
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import courses
from coursegate.store.tables.events import events
from coursegate.store.tables.people import users


@dataclass(frozen=True, slots=True)
class FeedFilter:
    types: Sequence[str]
    # Types that count only when the event is about a course.
    course_types: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    notifiable_uuid: str | None = None
    user_uuid: str | None = None


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
        stmt = self._filtered(f)
        if after is not None:
            at, seq = after
            if newest_first:
                beyond = or_(
                    events.c.occurred_at < at, and_(events.c.occurred_at == at, events.c.seq < seq)
                )
            else:
                beyond = or_(
                    events.c.occurred_at > at, and_(events.c.occurred_at == at, events.c.seq > seq)
                )
            stmt = stmt.where(beyond)
        order: list[Any]
        if newest_first:
            order = [events.c.occurred_at.desc(), events.c.seq.desc()]
        else:
            order = [events.c.occurred_at, events.c.seq]
        result = await self.conn.execute(stmt.order_by(*order).limit(limit))
        return list(result.all())

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
