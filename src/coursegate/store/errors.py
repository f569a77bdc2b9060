"""Storage-level failures translated from driver exceptions (dialect-neutral)."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from coursegate.store.tables import metadata


class UniqueViolation(Exception):
    """A unique index refused a row; `columns` names the key (without `site_id`)."""

    def __init__(self, table: str, columns: frozenset[str]) -> None:
        super().__init__(f"{table}({', '.join(sorted(columns))})")
        self.table = table
        self.columns = columns


_SQLITE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_POSTGRES = re.compile(r'unique constraint "(\w+)"')


def _index_columns() -> dict[str, tuple[str, frozenset[str]]]:
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for table in metadata.tables.values():
        for index in table.indexes:
            if index.unique and index.name:
                found[str(index.name)] = (table.name, frozenset(c.name for c in index.columns))
        for column in table.columns:
            if column.unique:
                found[f"uq_{table.name}_{column.name}"] = (table.name, frozenset([column.name]))
    return found


_INDEXES = _index_columns()


def unique_violation(exc: IntegrityError) -> UniqueViolation | None:
    """Describe the violated unique key, or None when the error is something else."""
    text = str(exc.orig)
    match = _SQLITE.search(text)
    if match:
        pairs = [part.strip().split(".", 1) for part in match.group(1).split(",")]
        table = pairs[0][0]
        columns = frozenset(col for _t, col in pairs) - {"site_id"}
        return UniqueViolation(table, columns)
    match = _POSTGRES.search(text)
    if match and match.group(1) in _INDEXES:
        table, columns = _INDEXES[match.group(1)]
        return UniqueViolation(table, columns - {"site_id"})
    return None
