"""The deals behind a rep's numbers: the credits a run's measures counted (its lineage files), with their lines.

A run keeps, beside it, one Parquet file per plan of the credits its measures counted
(`attain.apps.calc.lineage`). These functions read a participant's rows from them and add what
the transaction table knows (account, product, amount booked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from attain.apps.calc.lineage import lineage_path, read_lineage
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
    files = [str(path) for path in (lineage_path(run_id, code) for code in plan_codes) if path.exists()]
    if not files:
        return None
    with duckdb.connect() as con:
        rows = con.execute(RECENT, [files, employee_id, shown]).fetchall()
    return _with_transactions(rows)


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
