"""Membership in a bound list of values: `column IN (...)`, planned once on PostgreSQL.

An expanding `IN` renders one placeholder per value, so PostgreSQL sees a different statement
for every list length, and a list of parameters its generic plan estimates badly: the hot
statements that take lists (a page's course hydration, a page of users' profile fields, the
feed's event types) were planned again on every execution, which cost more server CPU than
running them. On PostgreSQL the list is one array parameter instead (`column = ANY($n)`): one
prepared statement whatever the length, and a generic plan it keeps. Elsewhere (SQLite, which
has no arrays) it stays an expanding `IN`. Callers bind a list under `name` either way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, Boolean, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class member_of(ColumnElement[bool]):
    """`column` is one of the values bound as `name` (a list)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("listed", InternalTraversal.dp_clauseelement),
        ("array", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.listed = column.in_(bindparam(name, expanding=True))
        self.array = bindparam(name, type_=ARRAY(column.type))

    def self_group(self, against: Any = None) -> member_of:
        # Already a predicate: not one to compare with true (`... = 1` on SQLite).
        return self


@compiles(member_of)
def _expanding(element: member_of, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.listed, **kw))


@compiles(member_of, "postgresql")
def _any(element: member_of, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY({compiler.process(element.array, **kw)})"
