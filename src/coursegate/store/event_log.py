"""Reading the event log: single events and time-ordered, keyset-paged feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, union_all

from coursegate.events.model import FeedFilter
from coursegate.store import counters, direct
from coursegate.store.base import LIMIT, SITE, Repo
from coursegate.store.member_of import member_of
from coursegate.store.tables.catalog import courses
from coursegate.store.tables.counters import counters as counters_table
from coursegate.store.tables.events import events
from coursegate.store.tables.people import users


class EventLogRepo(Repo):
    table = events

    async def by_seq(self, seq: int) -> Any:
        result = await self.conn.execute(self.scoped().where(events.c.seq == seq))
        return result.first()

    async def feed(
        self, f: FeedFilter, after: tuple[datetime, int] | None, newest_first: bool, limit: int
    ) -> list[Any]:
        """One page in (occurred_at, seq) order, strictly after the keyset `after`."""
        params = _params(self.site_id, f, after, limit)
        if _counted_by_type(_shape(f)):
            params["counter_names"] = _type_counters(f)
        plain, about_course = _kinds(f)
        if f.user_uuid is None and f.notifiable_uuid is None and len(plain) + len(about_course) > 1:
            stmt = _merged_feed(
                len(plain),
                len(about_course),
                f.start is not None,
                f.end is not None,
                after is not None,
                newest_first,
            )
            for i, kind in enumerate((*plain, *about_course)):
                params[f"type_{i}"] = kind
        else:
            stmt = _feed(_shape(f), after is not None, newest_first)
        return list((await direct.execute(self.conn, stmt, params)).all())

    @staticmethod
    def named(rows: Iterable[Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """The people and course titles feed rows name, by uuid (as `people` and `titles`
        would find them)."""
        people: dict[str, dict[str, Any]] = {}
        titles: dict[str, str] = {}
        for r in rows:
            if r.person_uuid is not None:
                people[r.person_uuid] = {name: getattr(r, label) for name, label in _PERSON}
            if r.course_title is not None:
                titles[r.course_uuid] = r.course_title
        return people, titles

    async def feed_total(self, f: FeedFilter, page: list[Any]) -> int:
        """The count of events matching `f`; `page` is what `feed` returned for it."""
        shape = _shape(f)
        if _counted_by_type(shape):
            # The sum of the maintained per-type counts, which a page brings along.
            if page:
                counted, total = getattr(page[0], _COUNTED), getattr(page[0], _TYPE_TOTAL)
            else:
                names = _type_counters(f)
                found = await counters.read_many(
                    self.conn, self.site_id, [counters.EVENTS_COUNTED, *names]
                )
                counted = found.get(counters.EVENTS_COUNTED)
                total = sum(found.get(name, 0) for name in names)
            if (counted or 0) > 0:
                return int(total or 0)
        elif page:  # the page's statement counted the feed in the same snapshot
            return int(getattr(page[0], _TOTAL))
        found_total = await direct.execute(
            self.conn, _counted(shape), _params(self.site_id, f, None, 0)
        )
        return int(found_total.scalar_one())

    async def people(self, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = sorted({u for u in uuids if u})
        if not wanted:
            return {}
        rows = await direct.execute(self.conn, _PEOPLE, {"site_id": self.site_id, "uuids": wanted})
        return {r.uuid: dict(r._mapping) for r in rows}

    async def titles(self, uuids: Iterable[str]) -> dict[str, str]:
        wanted = sorted({u for u in uuids if u})
        if not wanted:
            return {}
        rows = await direct.execute(self.conn, _TITLES, {"site_id": self.site_id, "uuids": wanted})
        return {r.uuid: r.title for r in rows}


# The people and course titles a page of events names (prebuilt; the uuids bound as a list).
_PEOPLE = select(
    users.c.uuid,
    users.c.email,
    users.c.first_name,
    users.c.last_name,
    users.c.external_customer_id,
    users.c.deleted_at,
).where(users.c.site_id == SITE, member_of(users.c.uuid, "uuids"))
_TITLES = select(courses.c.uuid, courses.c.title).where(
    courses.c.site_id == SITE, member_of(courses.c.uuid, "uuids")
)
# Feed pages bring the same along, joined (two statements fewer per page).
_PERSON = [(c.name, f"person_{c.name}") for c in _PEOPLE.selected_columns]
_NAMES = [
    *[users.c[name].label(label) for name, label in _PERSON],
    courses.c.title.label("course_title"),
]


def _with_names(stmt: Any) -> Any:
    """A select of events, with the person and course title each event names."""
    return (
        stmt.add_columns(*_NAMES)
        .outerjoin_from(
            events,
            users,
            and_(users.c.site_id == events.c.site_id, users.c.uuid == events.c.user_uuid),
        )
        .outerjoin(
            courses,
            and_(courses.c.site_id == events.c.site_id, courses.c.uuid == events.c.course_uuid),
        )
    )


_AT_TYPE = events.c.occurred_at.type

# Which filters a feed request uses: types, types about a course, start, end, user, notifiable.
Shape = tuple[bool, bool, bool, bool, bool, bool]


def _shape(f: FeedFilter) -> Shape:
    return (
        bool(f.types),
        bool(f.course_types),
        f.start is not None,
        f.end is not None,
        f.user_uuid is not None,
        f.notifiable_uuid is not None,
    )


def _params(
    site_id: int, f: FeedFilter, after: tuple[datetime, int] | None, limit: int
) -> dict[str, Any]:
    """The values the feed statements bind (each statement takes the ones it names)."""
    return {
        "site_id": site_id,
        "types": list(f.types),
        "course_types": list(f.course_types),
        "start": f.start,
        "end": f.end,
        "user_uuid": f.user_uuid,
        "notifiable_uuid": f.notifiable_uuid,
        "after_at": after[0] if after else None,
        "after_seq": after[1] if after else None,
        "limit": limit,
    }


@lru_cache(maxsize=256)
def _filtered(shape: Shape) -> Any:
    """The site's events a feed of this shape lists, its values bound (see `_params`)."""
    types, course_types, start, end, user, notifiable = shape
    kinds: list[Any] = []
    if types:
        kinds.append(member_of(events.c.type, "types"))
    if course_types:
        kinds.append(
            and_(
                member_of(events.c.type, "course_types"),
                events.c.course_uuid.is_not(None),
            )
        )
    stmt = select(events).where(
        events.c.site_id == SITE, or_(*kinds) if kinds else events.c.seq.is_(None)
    )
    stmt = _windowed(stmt, start, end)
    if user:
        stmt = stmt.where(events.c.user_uuid == bindparam("user_uuid"))
    if notifiable:
        about: Any = bindparam("notifiable_uuid")
        stmt = stmt.where(
            or_(
                events.c.course_uuid == about,
                and_(events.c.course_uuid.is_(None), events.c.subject_uuid == about),
            )
        )
    return stmt


@lru_cache(maxsize=256)
def _counted(shape: Shape) -> Any:
    return select(func.count()).select_from(_filtered(shape).subquery())


def _counted_by_type(shape: Shape) -> bool:
    """Whether a feed of this shape totals a sum of maintained per-type counts: filtered by
    type only (no window, no user, no notifiable)."""
    return not any(shape[2:])


def _type_counters(f: FeedFilter) -> list[str]:
    """The per-type counters whose sum is the total of a feed filtered by type only."""
    names = [counters.event_counter(t) for t in dict.fromkeys(f.types)]
    names += [
        counters.event_counter(t, True)
        for t in dict.fromkeys(f.course_types)
        if t not in f.types  # already counted whole
    ]
    return names


# A feed filtered by type only brings its total along in the same statement (one round trip
# fewer per page): whether the site counts events by type, and the sum of the types' counts.
_COUNTED, _TYPE_TOTAL = "feed_counted", "feed_type_total"
_TYPE_TOTAL_COLUMNS = (
    select(counters_table.c.value)
    .where(counters_table.c.site_id == SITE, counters_table.c.name == counters.EVENTS_COUNTED)
    .scalar_subquery()
    .label(_COUNTED),
    select(func.sum(counters_table.c.value))
    .where(counters_table.c.site_id == SITE, member_of(counters_table.c.name, "counter_names"))
    .scalar_subquery()
    .label(_TYPE_TOTAL),
)


# Any other feed (a user's, a course's, a time window) counts its matches in its page's
# statement, as a subquery evaluated once: the same COUNT, without its own round trip. An
# empty page (a cursor past the end) has no row to bring it, and counts on its own.
_TOTAL = "feed_total"


def _total_columns(shape: Shape) -> tuple[Any, ...]:
    """The columns that bring a page's feed total along (see `feed_total`)."""
    if _counted_by_type(shape):
        return _TYPE_TOTAL_COLUMNS
    return (_counted(shape).scalar_subquery().label(_TOTAL),)


@lru_cache(maxsize=512)
def _feed(shape: Shape, after: bool, newest_first: bool) -> Any:
    page = _paged(_filtered(shape), events.c, _keyset() if after else None, newest_first, LIMIT)
    return _with_names(page).add_columns(*_total_columns(shape))


def _windowed(stmt: Any, start: bool, end: bool) -> Any:
    """`stmt` within the feed's time window (bound `start`/`end`, both inclusive), if any."""
    if start:
        stmt = stmt.where(events.c.occurred_at >= bindparam("start", type_=_AT_TYPE))
    if end:
        stmt = stmt.where(events.c.occurred_at <= bindparam("end", type_=_AT_TYPE))
    return stmt


def _keyset() -> tuple[Any, Any]:
    return bindparam("after_at", type_=_AT_TYPE), bindparam("after_seq")


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
    types (the whole log, for a feed of rare types) to fill a page. The branches and their
    merge handle only keys (time, seq: what the index holds); the page's rows alone are then
    read, not a page of rows per type. Built once per shape, the types, times, keyset and
    page size bound."""
    keyset = _keyset() if after else None
    key_columns = (events.c.seq, events.c.occurred_at)
    branches = []
    for i in range(plain + about_course):
        branch = select(*key_columns).where(
            events.c.site_id == SITE, events.c.type == bindparam(f"type_{i}")
        )
        if i >= plain:
            branch = branch.where(events.c.course_uuid.is_not(None))
        page = _paged(_windowed(branch, start, end), events.c, keyset, newest_first, LIMIT)
        branches.append(select(page.subquery()))
    merged = union_all(*branches).subquery()
    page_keys = select(merged).order_by(*_order(merged.c, newest_first)).limit(LIMIT).subquery()
    # Joined and ordered by the page's keys, so neither database walks a whole index of the
    # site's events looking for them.
    named = _with_names(
        select(events)
        .join(page_keys, events.c.seq == page_keys.c.seq)
        .where(events.c.site_id == SITE)
        .order_by(*_order(page_keys.c, newest_first))
    )
    # A merged feed names no user or notifiable: its shape is its types and window.
    return named.add_columns(
        *_total_columns((plain > 0, about_course > 0, start, end, False, False))
    )


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
