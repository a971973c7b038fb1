"""Estimates without recompiling: a plan's measure query compiled once per input schema (DuckDB only).

For one participant's few thousand lines, Ibis compiling the Decimal path's measure query to SQL
(sqlglot rewrites) costs more than DuckDB running it. So for an estimate the query is built on
unbound tables (`ibis.table(schema, name=...)`) and compiled once per plan and input schema; each
estimate reads its input tables into Arrow (they are small), registers them under those names on a
cursor of its own (a connection to the same DuckDB database, so estimates never see each other's
tables) and runs the stored SQL. The rows go through the same Arrow → Ibis type conversion as
`Table.to_pyarrow`, so they are the rows the plain path fetches.

This is an optional layer: `measure_rows` returns None whenever it does not apply (inputs on another
backend, or on several) and the caller then builds and runs the query through Ibis as usual.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import pyarrow as pa
from ibis.expr.types import Table

PREFIX = "attain_estimate_"  # the names the inputs are registered under
KEPT = 32  # compiled queries kept (least recently used dropped first)

# build(input tables by name) → (credits, measure values): the plain path's query
Build = Callable[[dict[str, Table]], tuple[Table, Table]]


@dataclass(frozen=True)
class CompiledQuery:
    plan: weakref.ref  # the plan compiled (plans hold dicts, so they are told apart by identity, not value)
    sql: str
    values: Table  # the query on the unbound tables: its schema types the fetched rows
    credits: Table  # the credits on the unbound tables, rebound to each estimate's inputs
    placeholders: dict[str, Table]  # registered name → unbound table
    constants: dict[str, pa.Table]  # in-memory tables the query itself holds (registered under their names)


_compiled: OrderedDict[tuple, CompiledQuery] = OrderedDict()
_lock = threading.Lock()


def measure_rows(plan, tables: dict[str, Table], build: Build) -> tuple[Table, list[dict]] | None:
    """(credits, measure rows) of `build` on `tables` (input name → table), from SQL compiled once; or None.

    `build` makes the query from tables named as in `tables`. The key is the plan object (keep a loaded plan to reuse its query) and every input's name and schema.
    """
    backend = _duckdb(tables)
    if backend is None:
        return None
    key = (id(plan), tuple((name, t.schema()) for name, t in tables.items()))
    with _lock:  # estimates may run in several threads of the web server
        compiled = _compiled.get(key)
        if compiled is None or compiled.plan() is not plan:  # a plan since dropped may have left its id to this one
            compiled = _compiled[key] = _compile(plan, tables, build)
            while len(_compiled) > KEPT:
                _compiled.popitem(last=False)
        _compiled.move_to_end(key)
    return _credits(compiled, tables), _run(compiled, backend, tables)


def clear() -> None:
    """Forget every compiled query (tests; a process that reloads plans)."""
    with _lock:
        _compiled.clear()


def _duckdb(tables: dict[str, Table]):
    """The one DuckDB backend the inputs run on (in-memory tables only: the default backend), or None."""
    found = [t.op().find((ops.DatabaseTable, ops.SQLQueryResult, ops.UnboundTable)) for t in tables.values()]
    if any(isinstance(op, ops.UnboundTable) for ops_ in found for op in ops_):
        return None
    sources = {id(op.source): op.source for ops_ in found for op in ops_}
    if len(sources) > 1:
        return None
    backend = next(iter(sources.values())) if sources else ibis.get_backend()
    return backend if getattr(backend, "name", None) == "duckdb" else None


def _compile(plan, tables: dict[str, Table], build: Build) -> CompiledQuery:
    placeholders = {PREFIX + name: ibis.table(t.schema(), name=PREFIX + name) for name, t in tables.items()}
    credits, values = build({name: placeholders[PREFIX + name] for name in tables})
    constants = {op.name: op.data.to_pyarrow(op.schema) for op in values.op().find(ops.InMemoryTable)}
    return CompiledQuery(weakref.ref(plan), str(ibis.to_sql(values, dialect="duckdb")), values, credits, placeholders,
                         constants)


def _run(compiled: CompiledQuery, backend, tables: dict[str, Table]) -> list[dict]:
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    cursor = backend.con.cursor()
    try:
        for name, table in tables.items():
            cursor.register(PREFIX + name, _arrow(table))
        for name, data in compiled.constants.items():
            cursor.register(name, data)
        fetched = cursor.sql(compiled.sql).to_arrow_table()
    finally:
        cursor.close()
    return compiled.values.__pyarrow_result__(fetched, data_mapper=DuckDBPyArrowData).to_pylist()


def _arrow(table: Table) -> pa.Table:
    op = table.op()
    if isinstance(op, ops.InMemoryTable):
        return op.data.to_pyarrow(op.schema)
    return table.to_pyarrow()


def _credits(compiled: CompiledQuery, tables: dict[str, Table]) -> Table:
    """The credits expression on this estimate's inputs (what `calculate` returns, for lineage)."""
    bound = {compiled.placeholders[PREFIX + name].op(): table.op() for name, table in tables.items()}
    return compiled.credits.op().replace(bound).to_expr()
