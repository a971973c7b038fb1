"""A calculation whose transactions (and credit splits) are read from the data lake, not from the database.

`attain calc PERIOD --transactions SOURCE [--splits SOURCE]` (docs/scale-out.md): the engine reads the
source itself (`engine.lake`), keeps the fiscal year's lines and the originals of their credit notes,
and converts them into each plan's currency at the database's exchange rates, exactly, in the engine.
Everything else (organisation, territories, plans, quotas, activities, opportunities) comes from the
database as usual. `--results TARGET` writes the run's earning lines to Parquet or a table
(`write_results`); the credits behind them are the run's lineage, written by the engine beside the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.expr.types import Table

from attain.apps.calc.fx import Converter, MissingRate
from attain.apps.calc.models import CalculationRun, Earning
from attain.engine import lake
from attain.engine.crediting.inputs import conform
from attain.engine.lake import RESULTS


@dataclass(frozen=True)
class Sources:
    """Where the lake's inputs are: a Parquet path or a table name (see `engine.lake.read_source`)."""

    transactions: str
    splits: str | None = None


def configured_sources(transactions: str | None = None, splits: str | None = None) -> Sources | None:
    """The lake sources given, else those of the settings (ATTAIN_LAKE_TRANSACTIONS, ATTAIN_LAKE_SPLITS); None:
    the database's transactions."""
    from django.conf import settings

    if transactions:
        return Sources(transactions, splits)
    if settings.ATTAIN_LAKE_TRANSACTIONS:
        return Sources(settings.ATTAIN_LAKE_TRANSACTIONS, splits or settings.ATTAIN_LAKE_SPLITS or None)
    return None


def lake_transactions(sources: Sources, start: date, end: date, converter: Converter) -> Table:
    """The transactions of `start`–`end` (with their credit notes' originals) in the converter's currency."""
    backend = ibis.get_backend()
    lines = lake.transactions_in(lake.read_source(sources.transactions, backend), start, end)
    rated = lake.with_rates(lines, lake.rates_table(rate_spans(converter)), converter.target)
    lost = lake.missing_rates(rated)
    if lost:
        raise MissingRate(f"no exchange rate into {converter.target} for {', '.join(lost)}: import fx_rates for "
                          "those currencies up to those days")
    return lake.in_plan_currency(rated, converter.target)


def lake_splits(source: str) -> Table:
    return conform("splits", lake.read_source(source, ibis.get_backend()))


def rate_spans(converter: Converter) -> list[tuple]:
    """(currency, first day, last day or None, rate): the converter's rates as spans of days."""
    if converter.basis == "period_average":
        return _monthly_spans(converter)
    spans = []
    for currency, (days, rates) in converter.rates.items():
        ends = [day - timedelta(days=1) for day in days[1:]] + [None]
        spans += [(currency, day, last, rate) for day, last, rate in zip(days, ends, rates, strict=True)]
    return spans


def _monthly_spans(converter: Converter) -> list[tuple]:
    spans = []
    for currency in converter.rates:
        for start, end in converter.months:
            try:
                spans.append((currency, start, end, converter.rate(currency, start)))
            except MissingRate:
                continue  # its lines find no rate and are reported
    return spans


FIELDS = ("run_id", "period__name", "for_period__name", "kind", "participant__employee_id", "position__code",
          "plan_version__plan__code", "plan_version__version", "component", "currency_id", "amount_rounded",
          "amount", "base", "quota", "earned_to_date", "earned_before", "explanation")


def results_table(run: CalculationRun) -> pa.Table:
    """The run's earning lines (adjustments included) as Arrow, in the columns of `RESULTS`."""
    rows = Earning.objects.filter(run=run).order_by("participant__employee_id", "component", "for_period__start_date",
                                                    "pk").values_list(*FIELDS)
    columns = list(zip(*rows, strict=True)) or [[] for _ in FIELDS]
    text = {"precise_amount", "base", "quota", "earned_to_date", "earned_before"}
    arrays = [pa.array([None if v is None else str(v) for v in values] if field.name in text else list(values),
                       field.type) for field, values in zip(RESULTS, columns, strict=True)]
    return pa.Table.from_arrays(arrays, schema=RESULTS)


def spark_warehouse() -> str:
    """Where a local Spark keeps the result tables it creates: VAR_DIR/spark-warehouse."""
    from django.conf import settings

    return str(Path(settings.VAR_DIR) / "spark-warehouse")


class ResultsError(ValueError):
    """Results cannot go where they were asked to; the message says why and what to give instead."""


def check_results_target(target: str) -> None:
    """Refuse, before calculating, what the embedded engine cannot write: a table (its tables end with the
    command) or a storage URI (s3a://…: Spark's filesystems)."""
    if ibis.get_backend().name != "duckdb":
        return
    if not lake.is_path(target):
        raise ResultsError(f"--results {target}: the embedded DuckDB has no catalog that outlives this command; "
                           "give a Parquet path (with a / or ending in .parquet), or calculate on Spark")
    if "://" in target:
        raise ResultsError(f"--results {target}: on DuckDB, results go to a path of this machine (a mounted "
                           "share will do); storage URIs are written by Spark (--engine spark)")


def write_results(run: CalculationRun, target: str) -> str:
    """Write the run's earning lines to `target`: a Parquet file (a path), or a table of the engine's catalog
    (created, or appended to: each line names its run). Returns where they went."""
    table = results_table(run)
    check_results_target(target)
    if "://" in target:  # on Spark: its filesystems (s3a, hdfs, abfss, …), a folder each run appends to
        ibis.get_backend()._session.createDataFrame(table).write.mode("append").parquet(target)
        return target
    if lake.is_path(target):
        path = Path(target)
        if path.is_dir() or target.endswith("/"):
            path = path / f"earnings-run-{run.pk}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
        return str(path)
    backend = ibis.get_backend()
    database, name = lake.table_name(target)
    if name in backend.list_tables(database=database):
        backend.insert(name, table, database=database)
    else:
        backend.create_table(name, table, database=database)
    return f"table {target}"
