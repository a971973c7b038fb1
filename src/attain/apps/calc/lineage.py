"""The credits behind a run's earnings, kept as Parquet beside the run (var/runs/RUN/PLAN.parquet).

Written after the run is saved (a side effect after commit); read by `explain` to name the
transactions that made a measure. One file per plan version, one row per credit a measure counted.
The engine writes it: DuckDB one file, Spark a folder of part files under the same name (each
executor writes its own), so the credits never pass through this process.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import ibis
from django.conf import settings

from attain.engine.calculate import CalcResult
from attain.engine.measures import measure_credits
from attain.engine.plans.loading import Plan

COLUMNS = ("participant", "position", "external_id", "rule", "credit_type", "credit_date", "is_reversal", "value")


def lineage_path(run_id: int, plan_code: str) -> Path:
    return Path(settings.VAR_DIR) / "runs" / str(run_id) / f"{plan_code}.parquet"


def parquet_source(path: Path) -> str:
    """What DuckDB's read_parquet reads for a lineage path: the file, or a Spark folder's part files."""
    return str(path / "*.parquet") if path.is_dir() else str(path)


def write_lineage(run_id: int, plan: Plan, result: CalcResult, until) -> Path:
    credits = result.credits.filter(result.credits.credit_date <= until)
    chosen = [measure_credits(credits, m).select(*COLUMNS).mutate(measure=ibis.literal(m.name)) for m in plan.measures]
    path = lineage_path(run_id, plan.code)
    path.parent.mkdir(parents=True, exist_ok=True)
    ibis.union(*chosen).to_parquet(path)
    return path


@dataclass(frozen=True)
class CreditLine:
    external_id: str
    credit_date: object
    rule: str
    value: Decimal


@dataclass(frozen=True)
class MeasureLineage:
    credits_to_date: int
    credits_in_period: int
    largest_in_period: tuple[CreditLine, ...]


def read_lineage(run_id: int, plan_code: str, participant: str, measure: str, period_start, period_end,
                 shown: int = 5) -> MeasureLineage | None:
    path = lineage_path(run_id, plan_code)
    if not path.exists():
        return None
    with duckdb.connect() as con:
        where = "participant = ? AND measure = ?"
        totals = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE credit_date BETWEEN ? AND ?) FROM read_parquet(?) WHERE {where}",
            [period_start, period_end, parquet_source(path), participant, measure]).fetchone()
        rows = con.execute(
            f"SELECT external_id, credit_date, rule, value FROM read_parquet(?) WHERE {where} "
            "AND credit_date BETWEEN ? AND ? ORDER BY abs(value) DESC, external_id LIMIT ?",
            [parquet_source(path), participant, measure, period_start, period_end, shown]).fetchall()
    return MeasureLineage(totals[0], totals[1], tuple(CreditLine(*row) for row in rows))


def lineage_page(run_id: int, plan_code: str, participant: str, measure: str, period_start, period_end,
                 offset: int, limit: int) -> tuple[int, list[CreditLine]] | None:
    """(how many credits the measure counted for the participant in the dates, those from `offset`, the largest
    first); None when the run's credits were not kept."""
    path = lineage_path(run_id, plan_code)
    if not path.exists():
        return None
    where = "participant = ? AND measure = ? AND credit_date BETWEEN ? AND ?"
    chosen = [parquet_source(path), participant, measure, period_start, period_end]
    with duckdb.connect() as con:
        (count,) = con.execute(f"SELECT count(*) FROM read_parquet(?) WHERE {where}", chosen).fetchone()
        rows = con.execute(f"SELECT external_id, credit_date, rule, value FROM read_parquet(?) WHERE {where} "
                           "ORDER BY abs(value) DESC, external_id, credit_date LIMIT ? OFFSET ?",
                           [*chosen, limit, offset]).fetchall()
    return count, [CreditLine(*row) for row in rows]
