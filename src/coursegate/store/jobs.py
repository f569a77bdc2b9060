"""Background job rows, and savepoints so one bad record never undoes its batch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import update

from coursegate.domain.structure_models import Job
from coursegate.store.base import Repo
from coursegate.store.database import Unit
from coursegate.store.tables.jobs import jobs


class JobRepo(Repo):
    table = jobs

    async def get(self, job_id: int) -> Job | None:
        row = await self.first(jobs.c.id == job_id)
        return Job.from_row(row) if row is not None else None

    async def get_by_uuid(self, job_uuid: str) -> Job | None:
        row = await self.first(jobs.c.uuid == job_uuid)
        return Job.from_row(row) if row is not None else None

    async def lock(self, job_id: int) -> Job | None:
        """Read the row for update (PostgreSQL row lock; SQLite already holds the write lock)."""
        result = await self.conn.execute(self.scoped().where(jobs.c.id == job_id).with_for_update())
        row = result.first()
        return Job.from_row(row) if row is not None else None

    async def unfinished_ids(self) -> list[int]:
        rows = await self.conn.execute(
            self.scoped(jobs.c.id)
            .where(jobs.c.status.in_(("queued", "running")))
            .order_by(jobs.c.id)
        )
        return [int(r.id) for r in rows]

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def update(self, job_id: int, values: dict[str, Any]) -> None:
        await self.conn.execute(
            update(jobs).where(jobs.c.site_id == self.site_id, jobs.c.id == job_id).values(**values)
        )


@asynccontextmanager
async def savepoint(u: Unit) -> AsyncIterator[None]:
    """A nested transaction: leaving with an exception rolls back only what it wrote."""
    async with u.conn.begin_nested():
        yield
