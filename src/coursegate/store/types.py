"""Column types shared by every table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (portable across SQLite and PostgreSQL), returned as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return _aware(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        # Every listed row has several timestamps: one plain function per value instead of
        # the dialect's string parser wrapped by TypeDecorator's generic chain.
        return _aware


_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)


def _aware(value: Any) -> datetime | None:
    # A 25-row enrollment page converts about 450 timestamps: the forms below take 60-150 ns
    # where `fromisoformat(...).replace(tzinfo=UTC)` took 800 (keyword arguments in C).
    if value.__class__ is str:  # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff", in UTC
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:  # a value that carries its own offset
            return datetime.fromisoformat(value).astimezone(UTC)
    if value is None:
        return None
    if value.tzinfo is None:  # PostgreSQL's timestamp without time zone, in UTC
        return _UTC_EPOCH + (value - _NAIVE_EPOCH)
    return value.astimezone(UTC)  # type: ignore[no-any-return]


# A stored instant as aware UTC, from a driver's datetime or from text (SQLite's, and what the
# JSON aggregates of store/json_rows.py write on either database).
utc_instant = _aware


def UUIDStr() -> String:
    return String(36)


JSONType = JSON().with_variant(JSON(none_as_null=True), "postgresql")
