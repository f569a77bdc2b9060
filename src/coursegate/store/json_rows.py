"""An aggregate of rows as JSON: `[[a, b, ...], ...]`, one inner array per row.

It lets a statement carry a row's small one-to-many relations (a course's chapters and tags)
as columns of that row, in place of a second statement over the page's ids: on PostgreSQL
that second statement was a loopback round trip on every course read. SQLite spells the
aggregate `json_group_array(json_array(...))`, PostgreSQL `json_agg(json_build_array(...))`;
an empty group is `[]` on the one and NULL on the other (callers take both as empty). Neither
aggregate promises an order on both (SQLite 3.40 has no ORDER BY in aggregates), so callers
select the sort keys too and sort in Python. Timestamps come back as text (see `utc_instant`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from coursegate.store.types import JSONType


class json_rows(FunctionElement[Any]):
    """The JSON array of `[column values]` of each row aggregated."""

    inherit_cache = True
    name = "json_rows"
    type = JSONType


@compiles(json_rows)
def _sqlite(element: json_rows, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "postgresql")
def _postgresql(element: json_rows, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"
