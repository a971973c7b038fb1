"""Which engine runs the calculation's queries: embedded DuckDB (the default) or Apache Spark.

The engine builds Ibis expressions and runs them on Ibis's default backend, so choosing an engine is
choosing that backend, once, before calculating (`use_engine`); the plans, the queries and the
Decimal arithmetic are the same on both. `using(backend)` swaps it for a block (tests compare engines
in one process).

Spark: `spark_session(master)` starts (or joins) a SparkSession. `master` is any Spark master URL:
`local[*]` (the default, every core of this machine), `local[2]`, `spark://host:7077`, `yarn`,
`k8s://…`; under spark-submit, no master: spark-submit's own. Settings not made here come from Spark's own configuration (SPARK_CONF_DIR's
spark-defaults.conf, or spark-submit's --conf), so a cluster is configured the way its operators are used to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import ibis

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[*]"
# set on every session: dates are calendar days (no time zone shifts), decimals stay exact (an operation
# that cannot keep every digit fails instead of rounding), and no console progress bars on our output
SPARK_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.ansi.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
}
# set when running locally only (a cluster keeps its own): small inputs, few partitions; no web UI to open
LOCAL_SETTINGS = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4",
                  "spark.driver.memory": os.environ.get("ATTAIN_SPARK_DRIVER_MEMORY", "4g")}


class EngineUnavailable(RuntimeError):
    """The chosen engine cannot start here; the message says what to install or set."""


def describe(engine: str, master: str | None = None) -> str:
    """How a run names its engine: "duckdb", or "spark (local[*])"."""
    return f"spark ({master or DEFAULT_MASTER})" if engine == "spark" else engine


def use_engine(engine: str, master: str | None = None, warehouse: str | None = None):
    """Make `engine` the one the calculation runs on in this process; returns its Ibis backend. `warehouse`: where
    a local Spark keeps the tables it creates (a cluster keeps its own)."""
    if engine not in ENGINES:
        raise EngineUnavailable(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "duckdb":
        backend = ibis.duckdb.connect()
    else:
        from attain.engine.spark import SparkBackend

        backend = SparkBackend()
        backend.do_connect(spark_session(master, warehouse))
    ibis.options.default_backend = backend
    return backend


def spark_session(master: str | None = None, warehouse: str | None = None):
    """A SparkSession on `master` (local[*] when None) with the settings the engine relies on; a local one keeps
    the tables it creates in `warehouse` (Spark's default: ./spark-warehouse)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable("the Spark engine needs PySpark: pip install 'attain[spark]' (and Java 17 or "
                                "newer)") from None
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit: its --master holds
    master = master or DEFAULT_MASTER
    local = master.startswith("local") and not submitted
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName("attain")
    if not submitted:
        builder = builder.master(master)
    chosen = {**SPARK_SETTINGS, **(LOCAL_SETTINGS if local else {})}
    if local and warehouse:
        chosen["spark.sql.warehouse.dir"] = warehouse
    for key, value in chosen.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as failure:  # Java missing, a master that does not answer
        raise EngineUnavailable(f"Spark could not start on {master}: {failure}. Spark needs Java 17 or newer "
                                "(JAVA_HOME or java on the PATH) and a master URL that answers") from None
    session.sparkContext.setLogLevel(os.environ.get("ATTAIN_SPARK_LOG_LEVEL", "ERROR"))
    return session


@contextmanager
def using(backend) -> Iterator[None]:
    """Run the engine on `backend` within the block, then go back to the backend before it."""
    before = ibis.options.default_backend
    ibis.options.default_backend = backend
    try:
        yield
    finally:
        ibis.options.default_backend = before


def current() -> str:
    """The engine the calculation runs on in this process, as a run records it."""
    backend = ibis.options.default_backend
    if getattr(backend, "name", "duckdb") == "pyspark":
        return describe("spark", backend._session.sparkContext.master)
    return "duckdb"


def spark_activity(backend) -> str | None:
    """What Spark is doing now ("stage 12: 3 of 8 tasks"), or None when it is idle or not Spark."""
    if getattr(backend, "name", None) != "pyspark":
        return None
    tracker = backend._session.sparkContext.statusTracker()
    stages = [tracker.getStageInfo(stage) for stage in tracker.getActiveStageIds()]
    stages = [stage for stage in stages if stage is not None]
    if not stages:
        return None
    done, total = sum(s.numCompletedTasks for s in stages), sum(s.numTasks for s in stages)
    return f"Spark stage {', '.join(str(s.stageId) for s in stages)}: {done} of {total} tasks"
