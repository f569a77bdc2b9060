"""Inserts that skip rows a unique key already holds (link tables), race-free on PostgreSQL
too: `INSERT ... ON CONFLICT DO NOTHING`, spelled by each backend's own dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_new(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert the rows no unique key refuses; returns how many were inserted."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    result = await conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)
    return int(result.rowcount or 0)
