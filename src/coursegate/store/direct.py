"""Hot statements run straight on the driver connection.

SQLAlchemy's execution path (execution context, events, result metadata, row objects) costs
about 100 us per statement, several times what SQLite or a prepared PostgreSQL statement takes
for a keyed read or a 25-row page. The statements every request runs (authentication, keyed
reads, the unfiltered listings) are prebuilt once per process anyway, so each is compiled once
per dialect here, with SQLAlchemy's own compiler and type processors, and then executed on the
connection's driver: sqlite3 inline, asyncpg's prepared statement cache.

Semantics are those of `AsyncConnection.execute` for these statements (same SQL, same bound
values, same result processing; `tests/test_store_direct.py` compares them), with one rule for
transactions: on PostgreSQL only autocommit (read) connections go direct, since SQLAlchemy's
asyncpg adapter opens a write transaction lazily on its first statement; on SQLite the driver
connection is the transaction (writes begin eagerly), so every unit may go direct.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]
# A positional argument: (parameter name, index into a list parameter or -1, processor, None)
# or, for a value fixed in the statement (a literal LIMIT 1), (None, -1, None, the value).
_Arg = tuple[str | None, int, Processor | None, Any]

# Expanding IN lists compile to one SQL string per list length; beyond this many shapes per
# statement the rest go through SQLAlchemy (bounded memory for hostile input).
SHAPES_PER_STATEMENT = 64
# Only prebuilt (module-level) statements come here; the bound is a guard, not a cache policy.
STATEMENTS_KNOWN = 512


class DirectRow(tuple[Any, ...]):
    """A result row: positional like a tuple, columns as attributes, `_mapping` and `_fields`
    as on SQLAlchemy's Row (what repositories and entity readers use)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    @property
    def _mapping(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))


def _row_type(names: tuple[str, ...]) -> type[DirectRow]:
    # Each column a C-level getter (`row.name`, `getattr(row, name)`). Names a tuple already
    # answers (count, index, ...) keep their tuple meaning, as on SQLAlchemy's Row.
    getters = {
        name: property(itemgetter(i))
        for name, i in _index_of(names).items()
        if not hasattr(DirectRow, name)
    }
    return type("DirectRow", (DirectRow,), {"__slots__": (), "_fields": names, **getters})


def _index_of(names: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # as SQLAlchemy: a repeated name means its first column
    return index


class DirectResult:
    """The part of SQLAlchemy's Result the repositories use."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def all(self) -> list[Any]:
        return self.rows

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def one(self) -> Any:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar_one_or_none(self) -> Any:
        return self.one()[0] if self.rows else None


class _Plan:
    """One statement compiled for one dialect (and one length of each IN list)."""

    __slots__ = ("args", "converters", "row_type", "sql", "types")

    def __init__(
        self, sql: str, args: list[_Arg], types: list[Any], row_type: type[DirectRow]
    ) -> None:
        self.sql = sql
        self.args = args
        self.types = types
        self.row_type = row_type
        # Result processors depend on the driver's column type codes (PostgreSQL numerics):
        # worked out at the first execution, when they are known.
        self.converters: list[tuple[int, Processor]] | None = None

    def convert_with(self, dialect: Dialect, type_codes: Sequence[Any]) -> None:
        converters = []
        for i, (column_type, code) in enumerate(zip(self.types, type_codes, strict=True)):
            convert = column_type._cached_result_processor(dialect, code)
            if convert is not None:
                converters.append((i, convert))
        self.converters = converters

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, position, processor, fixed in self.args:
            if name is None:
                out.append(fixed)
                continue
            value = params[name] if position < 0 else params[name][position]
            out.append(value if processor is None or value is None else processor(value))
        return out

    def rows(self, raw: Sequence[Any]) -> list[Any]:
        make = self.row_type
        converters = self.converters
        assert converters is not None
        if not converters:
            return [make(r) for r in raw]
        rows = []
        for r in raw:
            values = list(r)
            for i, convert in converters:
                values[i] = convert(values[i])
            rows.append(make(values))
        return rows


class _Statement:
    """Per-dialect plans of one statement; None marks a statement that cannot go direct.
    `shaping` names the parameters a plan depends on: IN lists (their lengths) and
    `literal_execute` parameters (their values, written into the SQL)."""

    __slots__ = ("literal", "plans", "shaping")

    def __init__(self) -> None:
        self.plans: dict[Any, _Plan | None] = {}
        self.shaping: tuple[str, ...] | None = None
        self.literal: frozenset[str] = frozenset()

    def shape(self, dialect: Dialect, params: Mapping[str, Any]) -> Any:
        if not self.shaping:
            return dialect.name
        literal = self.literal
        return (
            dialect.name,
            *(params[name] if name in literal else len(params[name]) for name in self.shaping),
        )


_STATEMENTS: dict[int, tuple[Select[Any], _Statement]] = {}


def _plan(stmt: Select[Any], dialect: Dialect, params: Mapping[str, Any]) -> _Plan | None:
    entry = _STATEMENTS.get(id(stmt))
    if entry is None or entry[0] is not stmt:
        if len(_STATEMENTS) >= STATEMENTS_KNOWN:
            return None
        entry = _STATEMENTS[id(stmt)] = (stmt, _Statement())
    known = entry[1]
    first_sight = known.shaping is None
    key = known.shape(dialect, params)
    plan = known.plans.get(key, False)
    if plan is not False:
        return plan  # type: ignore[return-value]
    if len(known.plans) >= SHAPES_PER_STATEMENT:
        return None
    plan = _compile(stmt, dialect, params, known)
    if first_sight and known.shaping:
        # First sight of a statement with shaping parameters: file the plan under them.
        key = known.shape(dialect, params)
    known.plans[key] = plan
    return plan


def _compile(
    stmt: Select[Any], dialect: Dialect, params: Mapping[str, Any], known: _Statement
) -> _Plan | None:
    compiled = stmt.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or not compiled.positional:
        return None
    if compiled.escaped_bind_names:
        return None
    if not all(getattr(b, "expanding", False) for b in compiled.post_compile_params):
        return None
    # By name: a list used in several places (branches of a union) is one parameter.
    expanding = {b.key for b in compiled.post_compile_params}
    literal = {b.key for b in compiled.literal_execute_params}
    if not literal <= set(params):
        return None
    if any(not isinstance(params[name], int) for name in literal):
        return None  # only integers (a LIMIT) are worth a plan per value
    known.shaping = tuple(sorted(expanding | literal))
    known.literal = frozenset(literal)
    values = compiled.construct_params(dict(params), _check=False)
    if expanding or literal:
        state = compiled._process_parameters_for_postcompile(values)
        sql, order = state.statement, state.positiontup or []
        # The expanded state lists the IN lists' element processors; the rest are the compiled's.
        processors: Mapping[str, Any] = {**compiled._bind_processors, **state.processors}
        source = {
            expanded: (name, i)
            for name, names in state.parameter_expansion.items()
            for i, expanded in enumerate(names)
        }
    else:
        sql, order = compiled.string, compiled.positiontup or []
        processors = compiled._bind_processors
        source = {}
    args: list[_Arg] = []
    for name in order:
        processor = processors.get(name)
        if name in source:
            args.append((source[name][0], source[name][1], processor, None))
        elif name in params:
            args.append((name, -1, processor, None))
        else:  # fixed in the statement (a literal LIMIT, a constant comparison)
            value = values[name]
            args.append((None, -1, None, processor(value) if processor else value))
    columns = compiled._result_columns
    names = tuple(column.keyname for column in columns)
    return _Plan(sql, args, [column.type for column in columns], _row_type(names))


async def execute(
    conn: AsyncConnection, stmt: Select[Any], params: Mapping[str, Any]
) -> DirectResult | Any:
    """`conn.execute(stmt, params)` for a prebuilt statement, run on the driver itself when
    the connection allows it (see the module's docstring)."""
    sync = conn.sync_connection
    dialect = conn.dialect
    if sync is None or sync.closed:
        return await conn.execute(stmt, params)
    if dialect.name == "postgresql":
        if sync.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            return await conn.execute(stmt, params)
        plan = _plan(stmt, dialect, params)
        if plan is None:
            return await conn.execute(stmt, params)
        args = plan.arguments(params)
        _observed(sync, plan.sql, args)
        driver: Any = sync.connection.driver_connection
        if plan.converters is None:
            prepared = await driver.prepare(plan.sql)
            plan.convert_with(dialect, [a.type.oid for a in prepared.get_attributes()])
        raw = await driver.fetch(plan.sql, *args)
        return DirectResult(plan.rows(raw))
    plan = _plan(stmt, dialect, params)
    if plan is None:
        return await conn.execute(stmt, params)
    args = plan.arguments(params)
    _observed(sync, plan.sql, args)
    if plan.converters is None:  # sqlite3 reports no column types, nor does SQLAlchemy
        plan.convert_with(dialect, [None] * len(plan.types))
    cursor = sync.connection.driver_connection.execute(plan.sql, args)  # type: ignore[union-attr]
    try:
        raw = cursor.fetchall()
    finally:
        cursor.close()
    return DirectResult(plan.rows(raw))


def _observed(sync: Any, sql: str, args: list[Any]) -> None:
    """Listeners of the engine's `before_cursor_execute` (the benchmark's statement capture,
    tests that look at the SQL run) see direct statements as they see every other."""
    dispatch = sync.engine.dispatch.before_cursor_execute
    if dispatch:
        dispatch(sync, None, sql, args, None, False)
