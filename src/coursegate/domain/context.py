"""What a domain operation needs: the tenant, its clock, and the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from coursegate.platform.clock import Clock
from coursegate.store.database import Database, Unit


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

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Unit]:
        async with self.db.read() as conn:
            yield Unit(conn, self.site.id, self.clock.now())

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Unit]:
        """A transaction: the change and its events commit together or not at all."""
        async with self.db.write() as conn:
            yield Unit(conn, self.site.id, self.clock.now())
