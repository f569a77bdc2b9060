from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Table

from coursegate.store.tables.base import id_column, metadata, site_column

# Row counts kept in step with inserts and deletes (same transaction), so an unfiltered
# list's `total_items` is one keyed read instead of a COUNT(*) over the site's rows.
counters = Table(
    "counters",
    metadata,
    id_column(),
    site_column(),
    Column("name", String(64), nullable=False),
    Column("value", BigInteger, nullable=False),
    Index("uq_counters_site_name", "site_id", "name", unique=True),
)
