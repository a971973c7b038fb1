"""Fingerprints of a calculation's inputs: equal inputs and plans give equal fingerprints, and equal results."""

from __future__ import annotations

import hashlib

import ibis
import ibis.expr.operations as ops
import pyarrow as pa
import pyarrow.compute as pc

from attain.engine.calculate import CalcInputs


def tables_fingerprint(inputs: CalcInputs) -> str:
    """SHA-256 of the input tables' values, in their order (the costly part: compute it once per input set).

    Values are hashed as text, not as Arrow buffers: the bytes under a null are undefined in Arrow. A table
    read by the engine from outside (the data lake's transactions: Parquet, a catalog table) is not fetched:
    the engine sums a hash of each row's text, which does not depend on the rows' order (but does on the
    engine's hash function, so the same lake data has one fingerprint on DuckDB and another on Spark).
    """
    digest = hashlib.sha256()
    tables = [getattr(inputs.crediting, name) for name in inputs.crediting.__dataclass_fields__]
    # each table once: the holders are usually the crediting inputs' own table
    for table in {id(t): t for t in [*tables, inputs.holders]}.values():
        if _in_memory(table):
            arrow = table.to_pyarrow()
            for name in arrow.column_names:
                cells = pc.fill_null(pc.cast(arrow[name], pa.string()), "\u2400").to_pylist()
                digest.update(f"{name}\x1d{chr(0x1e).join(cells)}\x1c".encode())
        else:
            digest.update(_engine_digest(table).encode())
    return digest.hexdigest()


def _in_memory(table) -> bool:
    """Whether every table under the expression is an in-memory one (not read from files or a catalog)."""
    return all(isinstance(leaf, ops.InMemoryTable) for leaf in table.op().find(ops.PhysicalTable))


def _engine_digest(table) -> str:
    """Row count and the sum of the rows' hashes, computed by the engine: "columns|rows|sum"."""
    cells = [table[name].cast("string").fill_null("\u2400") for name in table.columns]
    row_hash = ibis.literal("\x1e").join(cells).hash().cast("decimal(38,0)")
    found = table.aggregate(rows=table.count(), hashes=row_hash.sum()).to_pyarrow().to_pylist()[0]
    return f"{','.join(table.columns)}|{found['rows']}|{found['hashes']}"


def fingerprint(inputs: CalcInputs, *texts: str, tables: str | None = None) -> str:
    """SHA-256 of all the inputs and of the given texts (plan documents); `tables` from `tables_fingerprint`."""
    digest = hashlib.sha256((tables or tables_fingerprint(inputs)).encode())
    digest.update(repr((inputs.months, sorted(inputs.quotas.items()), sorted(inputs.targets.items()),
                        sorted(inputs.objectives.items()))).encode())
    if inputs.leaves:  # (only when there are leaves: the fingerprints of inputs without them stay as they were)
        digest.update(repr(sorted(inputs.leaves.items())).encode())
    if inputs.assignments is not None:  # likewise: the days each position is on the plan
        digest.update(repr(sorted(inputs.assignments.to_pyarrow().to_pylist(), key=repr)).encode())
    for text in texts:
        digest.update(text.encode())
    return digest.hexdigest()
