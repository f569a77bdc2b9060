"""Case-insensitive "contains" matching of user text, the same on both databases.

PostgreSQL compares `lower(column)` with the lower-cased pattern. On SQLite `lower()` folds only
ASCII letters and `LIKE` already ignores ASCII case (and only ASCII case), so `lower(column)
LIKE pattern` and `column LIKE pattern` match the same rows there: the column is compared as it
is, which saves a `lower()` per row and value (a third of a content search's scan).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from coursegate.store.base import escape_like


class folded(FunctionElement[str]):
    """A column as case-insensitive matching compares it."""

    name = "lower"
    type = String()
    inherit_cache = True


@compiles(folded)
def _folded(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


def pattern_for(text: str) -> str:
    """The LIKE pattern of `text` as a literal substring."""
    return f"%{escape_like(text.lower())}%"


def contains(column: Any, pattern: Any) -> ColumnElement[bool]:
    """`column` contains the text of `pattern` (from `pattern_for`), ignoring case."""
    return folded(column).like(pattern, escape="\\")
