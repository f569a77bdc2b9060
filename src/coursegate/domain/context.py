"""What a domain operation needs: the tenant, its clock, and the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from coursegate.platform.clock import Clock
from coursegate.store.database import Database, ReadUnit, Unit


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    uuid: str
    subdomain: str
    name: str
    sandbox: bool
    rate_limits_enabled: bool
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ctx:
    db: Database
    site: Site
    clock: Clock
    # Whether the site defines custom profile fields, when a read request learnt it from its
    # key lookup; None (writes, jobs, workers): ask the database.
    has_profile_fields: bool | None = None

    def reading(self) -> Reading:
        """A read unit (`async with ctx.reading() as unit`)."""
        return Reading(self)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Unit]:
        """A transaction: the change and its events commit together or not at all."""
        async with self.db.write() as conn:
            yield Unit(conn, self.site.id, self.clock.now())


class Reading:
    """`Ctx.reading()`'s context manager: a class, as `Database.read()`'s is (entered several
    times per request)."""

    __slots__ = ("ctx", "inner")
    inner: ReadUnit

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx

    async def __aenter__(self) -> Unit:
        ctx = self.ctx
        now = ctx.clock.now()
        self.inner = ctx.db.read()
        return Unit(await self.inner.__aenter__(), ctx.site.id, now)

    async def __aexit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        await self.inner.__aexit__(exc_type)
