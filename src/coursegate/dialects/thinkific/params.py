"""Parsing of Thinkific path and `query[...]` parameters into domain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.models import TimeBound
from coursegate.platform.ids import is_int_id
from coursegate.platform.wiretime import parse_instant

TRUE = {"true", "1", "yes", "t"}
FALSE = {"false", "0", "no", "f"}


def record_id(raw: str, resource: str) -> int:
    """Path ids are integers; anything else names no record."""
    if not is_int_id(raw) or len(raw) > 18:
        raise NotFound(resource, raw)
    return int(raw)


def optional_int(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not is_int_id(text) or len(text) > 18:
        raise Invalid.one(name, "not_a_number")
    return int(text)


def optional_bool(raw: str | None, name: str) -> bool | None:
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise Invalid.one(name, "invalid")


def date_bounds(raw: dict[str, str | None]) -> list[TimeBound]:
    """`on`, `before`, `on_or_before`, `after`, `on_or_after` -> time bounds (UTC days)."""
    bounds: list[TimeBound] = []
    for suffix, value in raw.items():
        if value is None or value == "":
            continue
        instant = parse_instant(value)
        if instant is None:
            raise Invalid.one(suffix, "invalid")
        is_day = len(value.strip()) == 10
        day_start = datetime(instant.year, instant.month, instant.day, tzinfo=UTC)
        next_day = day_start + timedelta(days=1)
        kind = suffix.split("_", 1)[1]
        if kind == "on":
            bounds += [TimeBound("ge", day_start), TimeBound("lt", next_day)]
        elif kind == "before":
            bounds.append(TimeBound("lt", day_start if is_day else instant))
        elif kind == "on_or_before":
            bounds.append(TimeBound("lt", next_day) if is_day else TimeBound("le", instant))
        elif kind == "after":
            bounds.append(TimeBound("ge", next_day) if is_day else TimeBound("gt", instant))
        elif kind == "on_or_after":
            bounds.append(TimeBound("ge", day_start if is_day else instant))
    return bounds
