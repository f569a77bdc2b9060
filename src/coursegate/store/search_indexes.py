"""Trigram indexes under the catalog search's "contains" matching, on PostgreSQL.

A course search matches `lower(title)` and `lower(description)` against `%text%`: a B-tree cannot
help, so without these every search scans and lower-cases the site's whole catalogue. GIN
indexes of pg_trgm's trigram operator class serve exactly that `LIKE` (with its escapes), so the
search reads only the courses sharing the text's trigrams, then rechecks them: same results.

They are an accelerator, not part of the schema's meaning: pg_trgm ships with PostgreSQL's
contrib package and is a trusted extension (a database owner may create it), but a server that
lacks it still serves every search, by scanning. So migration 0002 makes them when it can and
says so when it cannot, and the table definitions do not declare them (the schema comparison
leaves them out, see `declared`).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("coursegate.migrate")

EXTENSION = "pg_trgm"
# Index name -> the lower-cased column of `courses` it covers (store/text_match.py's `contains`).
INDEXES = {
    "ix_courses_search_title": "title",
    "ix_courses_search_description": "description",
}


def create(conn: Connection) -> bool:
    """Create the extension (if missing) and the indexes; False when the extension is out of
    reach (not installed, or not ours to create), leaving the database as it was."""
    if conn.dialect.name != "postgresql":
        return False
    try:
        with conn.begin_nested():
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}"))
    except DBAPIError as exc:
        log.warning(
            "course search stays a scan: extension %s unavailable (%s)",
            EXTENSION,
            str(exc.orig).splitlines()[0] if exc.orig else exc,
        )
        return False
    for name, column in INDEXES.items():
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {name} ON courses "
                f"USING gin (lower({column}) gin_trgm_ops)"
            )
        )
    return True


def drop(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for name in INDEXES:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def declared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's `include_object`: the schema comparison leaves these indexes out."""
    return not (type_ == "index" and reflected and name in INDEXES)
