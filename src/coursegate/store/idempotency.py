"""Idempotency claims and stored answers, scoped by site and API key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete

from coursegate.store.base import Repo, UniqueViolation
from coursegate.store.tables.idempotency import idempotency_keys

T = idempotency_keys


class IdempotencyRepo(Repo):
    table = T

    async def forget(self, expired_before: datetime, abandoned_before: datetime) -> None:
        """Drop answers past their lifetime and claims whose request never finished."""
        await self.conn.execute(
            delete(T).where(
                T.c.site_id == self.site_id,
                (T.c.created_at < expired_before)
                | (T.c.status.is_(None) & (T.c.created_at < abandoned_before)),
            )
        )

    async def claim(self, api_key_id: int, key: str, request_hash: str) -> int | None:
        """Insert the in-flight claim and return its id; None when the key is already held.
        The unique index decides between concurrent claimers; the savepoint keeps the
        surrounding transaction usable after a refused insert (PostgreSQL)."""
        values = {
            "api_key_id": api_key_id,
            "key": key,
            "request_hash": request_hash,
            "created_at": self.unit.now,
        }
        try:
            async with self.conn.begin_nested():
                return await self.insert_row(values)
        except UniqueViolation:
            return None

    async def find(self, api_key_id: int, key: str) -> Any:
        return await self.first(T.c.api_key_id == api_key_id, T.c.key == key)

    async def complete(
        self, row_id: int, status: int, headers: list[list[str]], body: bytes
    ) -> None:
        await self.update_row(
            row_id, {"status": status, "response_headers": headers, "response_body": body}
        )

    async def release(self, row_id: int) -> None:
        await self.conn.execute(delete(T).where(T.c.site_id == self.site_id, T.c.id == row_id))
