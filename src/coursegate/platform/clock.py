"""The one source of time. Domain code never reads the wall clock directly.

A site may run on a virtual clock (sandbox sites): real time shifted by an offset, or frozen at
an instant. Both are stored on the site row so every process sees the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


@dataclass(frozen=True, slots=True)
class SiteClock:
    """A site's view of time: the base clock, shifted, or frozen."""

    base: Clock
    offset_seconds: float = 0.0
    frozen_at: datetime | None = None

    def now(self) -> datetime:
        if self.frozen_at is not None:
            return self.frozen_at
        return self.base.now() + timedelta(seconds=self.offset_seconds)

    @property
    def is_virtual(self) -> bool:
        return self.frozen_at is not None or self.offset_seconds != 0.0


def utc(value: datetime) -> datetime:
    """Normalise to an aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
