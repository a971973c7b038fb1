"""The engine on Apache Spark: Ibis's PySpark backend, with exact in-memory tables and Arrow results.

The engine runs its Ibis expressions on Ibis's default backend (DuckDB unless told otherwise).
`backends.use_engine("spark")` makes a Spark session that backend, so the very same queries run on Spark.
Two things of Ibis's PySpark backend are replaced here, both about exact money:

- an in-memory table (`ibis.memtable`, the engine's inputs) goes to Spark as Arrow
  (`createDataFrame(pyarrow.Table)`, PySpark 4), not through pandas, where a decimal column with a
  NULL fails and numbers pass through Python objects;
- results come back as Arrow (`DataFrame.toArrow`), decimals as decimals.

PySpark is an optional dependency (`pip install attain[spark]`); this module imports it when used.
"""

from __future__ import annotations

from typing import Any

from ibis.backends.pyspark import Backend as PySparkBackend


class SparkBackend(PySparkBackend):
    """Ibis's PySpark backend, moving tables in and out as Arrow."""

    def _register_in_memory_table(self, op) -> None:
        arrow = op.data.to_pyarrow(op.schema)
        frame = self._session.createDataFrame(arrow)
        frame.createOrReplaceTempView(op.name)

    def to_pyarrow(self, expr, /, *, params=None, limit=None, **kwargs: Any):
        from ibis.formats.pyarrow import PyArrowData

        self._run_pre_execute_hooks(expr)
        table_expr = expr.as_table()
        sql = self.compile(table_expr, params=params, limit=limit, **kwargs)
        with self._safe_raw_sql(sql) as query:
            arrow = query.toArrow()
        return expr.__pyarrow_result__(PyArrowData.convert_table(arrow, table_expr.schema()))
