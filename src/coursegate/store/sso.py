"""SSO sign-in log entries, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from coursegate.domain.models_ops import SsoLogEntry
from coursegate.store.base import Repo
from coursegate.store.tables.people import users
from coursegate.store.tables.sso import sso_logs


class SsoLogRepo(Repo):
    table = sso_logs

    def filtered(self, kind: str | None) -> Select[Any]:
        stmt = (
            select(sso_logs, users.c.uuid.label("user_uuid"))
            .outerjoin(users, users.c.id == sso_logs.c.user_id)
            .where(sso_logs.c.site_id == self.site_id)
        )
        return stmt if kind is None else stmt.where(sso_logs.c.kind == kind)

    async def before(
        self, stmt: Select[Any], before: datetime | None, limit: int
    ) -> list[SsoLogEntry]:
        """Newest first, strictly older than `before`."""
        if before is not None:
            stmt = stmt.where(sso_logs.c.created_at < before)
        order = [sso_logs.c.created_at.desc(), sso_logs.c.id.desc()]
        return [_entry(r) for r in await self.conn.execute(stmt.order_by(*order).limit(limit))]

    async def at(self, stmt: Select[Any], instant: datetime, below_id: int) -> list[SsoLogEntry]:
        """Entries sharing one instant that a page cut off (so a timestamp cursor loses none)."""
        stmt = stmt.where(sso_logs.c.created_at == instant, sso_logs.c.id < below_id)
        return [_entry(r) for r in await self.conn.execute(stmt.order_by(sso_logs.c.id.desc()))]

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def get(self, entry_id: int) -> SsoLogEntry | None:
        row = (
            await self.conn.execute(self.filtered(None).where(sso_logs.c.id == entry_id))
        ).first()
        return _entry(row) if row is not None else None


def _entry(row: Any) -> SsoLogEntry:
    entry = SsoLogEntry.from_row(row)
    entry.user_uuid = row._mapping["user_uuid"]
    return entry
