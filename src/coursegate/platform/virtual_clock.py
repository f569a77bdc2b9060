"""A sandbox site's virtual clock: freeze it, advance it, let it run again.

The clock is stored on the site row (offset from the base clock, or a frozen instant), so every
process serving the site sees the same time. Time only moves forward: advancing adds to the
offset (or to the frozen instant), and resuming keeps the current instant, letting time run on
from there. Each change records a `clock.*` event; advancing then applies what fell due
(`domain.time_effects.on_time_advanced`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Forbidden, Invalid
from coursegate.domain.recording import record
from coursegate.domain.time_effects import SweepReport, on_time_advanced
from coursegate.platform.clock import Clock, SiteClock
from coursegate.platform.tenancy import clock_from_row
from coursegate.store.database import Unit
from coursegate.store.sites import SiteDirectory

MAX_ADVANCE_SECONDS = 100 * 366 * 86400  # a century: beyond it datetimes stop being useful


@dataclass(frozen=True, slots=True)
class ClockState:
    now: datetime
    frozen: bool
    frozen_at: datetime | None
    offset_seconds: float

    @classmethod
    def of(cls, clock: SiteClock) -> ClockState:
        return cls(clock.now(), clock.frozen_at is not None, clock.frozen_at, clock.offset_seconds)


def _base(ctx: Ctx) -> Clock:
    return ctx.clock.base if isinstance(ctx.clock, SiteClock) else ctx.clock


def _require_sandbox(ctx: Ctx) -> None:
    if not ctx.site.sandbox:
        raise Forbidden("The virtual clock is available on sandbox sites only.")


async def state(ctx: Ctx) -> ClockState:
    async with ctx.db.read() as conn:
        row = await SiteDirectory(conn).by_id(ctx.site.id)
    return ClockState.of(clock_from_row(_base(ctx), row))


async def _change(
    ctx: Ctx, event: str, compute: Callable[[SiteClock], tuple[float, datetime | None]]
) -> tuple[ClockState, ClockState]:
    """Apply `compute(clock) -> (offset, frozen_at)` to the locked site row and record `event`."""
    base = _base(ctx)
    async with ctx.db.write() as conn:
        directory = SiteDirectory(conn)
        before = clock_from_row(base, await directory.by_id_for_update(ctx.site.id))
        offset, frozen_at = compute(before)
        after = SiteClock(base, offset, frozen_at)
        await directory.update(
            ctx.site.id, {"clock_offset_seconds": offset, "clock_frozen_at": frozen_at}
        )
        old, new = ClockState.of(before), ClockState.of(after)
        await record(
            Unit(conn, ctx.site.id, new.now),
            event,
            "site",
            ctx.site.id,
            ctx.site.uuid,
            {
                "before": old.now,
                "after": new.now,
                "frozen": new.frozen,
                "offset_seconds": new.offset_seconds,
            },
        )
    return old, new


async def freeze(ctx: Ctx) -> ClockState:
    """Stop the site's time at its current instant (freezing a frozen clock changes nothing)."""
    _require_sandbox(ctx)
    _old, new = await _change(
        ctx, "clock.frozen", lambda c: (c.offset_seconds, c.frozen_at or c.now())
    )
    return new


async def resume(ctx: Ctx) -> ClockState:
    """Let time run again from the frozen instant (the offset absorbs the time spent frozen)."""
    _require_sandbox(ctx)

    def compute(c: SiteClock) -> tuple[float, None]:
        if c.frozen_at is None:
            return c.offset_seconds, None
        return (c.frozen_at - c.base.now()).total_seconds(), None

    _old, new = await _change(ctx, "clock.resumed", compute)
    return new


async def advance(ctx: Ctx, seconds: float | None) -> tuple[ClockState, SweepReport]:
    """Move the site's time forward and apply what fell due in the skipped window."""
    _require_sandbox(ctx)
    if seconds is None:
        raise Invalid.one("seconds", "required")
    if not 0 < seconds <= MAX_ADVANCE_SECONDS:
        raise Invalid.one("seconds", "out_of_range", minimum=1, maximum=MAX_ADVANCE_SECONDS)

    def compute(c: SiteClock) -> tuple[float, datetime | None]:
        if c.frozen_at is not None:
            return c.offset_seconds, c.frozen_at + timedelta(seconds=seconds)
        return c.offset_seconds + seconds, None

    old, new = await _change(ctx, "clock.advanced", compute)
    async with ctx.db.read() as conn:
        clock = clock_from_row(_base(ctx), await SiteDirectory(conn).by_id(ctx.site.id))
    report = await on_time_advanced(Ctx(ctx.db, ctx.site, clock), old.now, new.now)
    return await state(ctx), report
