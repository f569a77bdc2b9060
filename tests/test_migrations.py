"""The migrations build exactly the schema the table definitions describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coursegate.store.database import Database
from coursegate.store.search_indexes import declared
from coursegate.store.tables import metadata


async def test_migrated_schema_matches_table_definitions(db: Database) -> None:
    def diff(sync_conn: Any) -> list[Any]:
        context = MigrationContext.configure(
            sync_conn, opts={"compare_type": True, "include_object": declared}
        )
        return list(compare_metadata(context, metadata))

    async with db.read() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_every_table_but_sites_is_site_scoped() -> None:
    unscoped = [
        t.name for t in metadata.tables.values() if "site_id" not in t.columns and t.name != "sites"
    ]
    assert unscoped == []
