"""The deals behind a rep's numbers: the credits a run's measures counted (its lineage files), with their lines.

A run keeps, beside it, one Parquet file per plan of the credits its measures counted
(`attain.apps.calc.lineage`). These functions read a participant's rows from them and add what
the transaction table knows (account, product, amount booked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import duckdb

from attain.apps.calc.lineage import lineage_page, lineage_path, parquet_source, read_lineage
from attain.apps.sales.models import Transaction

# one row per line and rule: a credit counted by several measures (or plans) once, split positions added up
RECENT = """
WITH mine AS (SELECT * FROM read_parquet(?) WHERE participant = ?)
SELECT k.external_id, k.credit_date, k.rule, k.value, m.measures
FROM (SELECT external_id, credit_date, rule, sum(value) AS value
      FROM (SELECT DISTINCT external_id, credit_date, rule, position, is_reversal, value FROM mine)
      GROUP BY external_id, credit_date, rule) AS k
JOIN (SELECT external_id, credit_date, rule, string_agg(DISTINCT measure, ', ' ORDER BY measure) AS measures
      FROM mine GROUP BY external_id, credit_date, rule) AS m USING (external_id, credit_date, rule)
ORDER BY k.credit_date DESC, k.external_id LIMIT ?
"""


@dataclass(frozen=True)
class CreditedDeal:
    external_id: str
    credit_date: date
    rule: str
    value: Decimal  # what the credit counted, in the plan's currency
    measures: str
    transaction: Transaction | None  # None for credits on activities or opportunities


def recent_credits(run_id: int, plan_codes: list[str], employee_id: str, shown: int = 8) -> list[CreditedDeal] | None:
    """The participant's latest credits in the run (newest first, one row per line and rule); None when not kept."""
    files = tuple(_stamped(lineage_path(run_id, code)) for code in plan_codes)
    if not any(files):
        return None
    return _with_transactions(list(_recent_rows(tuple(f for f in files if f), employee_id, shown)))


def _stamped(path: Path) -> tuple[str, int, int] | None:
    """(the file, its modification time and size): a file written again is another key; None when there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return parquet_source(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4096)
def _recent_rows(files: tuple[tuple[str, int, int], ...], employee_id: str, shown: int) -> tuple[tuple, ...]:
    """The rows of RECENT, read once per process for the same files (a run's lineage is written once, after the
    run): the person's home no longer scans the run's Parquet on every view. Kept as plain values; the
    transactions are read afresh."""
    with duckdb.connect() as con:
        return tuple(con.execute(RECENT, [[name for name, _, _ in files], employee_id, shown]).fetchall())


def measure_credits(run_id: int, plan_code: str, employee_id: str, measure: str, start: date, end: date,
                    shown: int = 25) -> tuple[int, list[CreditedDeal]] | None:
    """(how many credits the measure counted in the dates, the largest of them); None when not kept."""
    found = read_lineage(run_id, plan_code, employee_id, measure, start, end, shown=shown)
    if found is None:
        return None
    rows = [(c.external_id, c.credit_date, c.rule, c.value, measure) for c in found.largest_in_period]
    return found.credits_in_period, _with_transactions(rows)


def _with_transactions(rows: list[tuple]) -> list[CreditedDeal]:
    lines = {t.external_id: t for t in Transaction.objects.filter(external_id__in={row[0] for row in rows})
             .select_related("account", "product")}
    return [CreditedDeal(external_id, credit_date, rule, Decimal(value), measures, lines.get(external_id))
            for external_id, credit_date, rule, value, measures in rows]


def measure_credit_page(run_id: int, plan_code: str, employee_id: str, measure: str, start: date, end: date,
                        offset: int, limit: int) -> tuple[int, list[CreditedDeal]] | None:
    """A page of the credits the measure counted in the dates (the largest first) and how many there are in all;
    None when the run's credits were not kept."""
    found = lineage_page(run_id, plan_code, employee_id, measure, start, end, offset, limit)
    if found is None:
        return None
    count, credits = found
    return count, _with_transactions([(c.external_id, c.credit_date, c.rule, c.value, measure) for c in credits])
