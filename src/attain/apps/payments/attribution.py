"""Which deals each earning of a run was paid on, from the run's lineage: the base of holds and of ASC 340-40.

A component's earning for a month is shared among the credits its measure counted that month, pro rata
to their values (`engine/attribution.py`: exact shares that add up), then converted into the payee's
currency at the month-end rate, as the payment was. Guarantees, plan caps, MBO lines and prior-period
adjustments have no credits of the month: they are not attributed.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import duckdb

from attain.apps.calc.fx import Converter
from attain.apps.calc.lineage import lineage_path, parquet_source
from attain.apps.calc.models import Earning
from attain.apps.core.models import Period
from attain.apps.plans.models import PlanVersion
from attain.engine.attribution import attribute
from attain.engine.plans import load_plan


class LineageMissing(LookupError):
    """The credits behind a paid month are not on this machine; the message says how to restore them."""


DealShares = dict[tuple[str, str], Decimal]  # (payee employee id, deal external id) → commission, payee currency


def deal_shares(run_id: int, month: Period, plans: set[str] | None = None) -> DealShares:
    """Each payee's month earnings of a run, attributed to the deals credited that month (payee's currency);
    only the plans named in `plans` (their documents' codes) when given."""
    lines = Earning.objects.filter(run_id=run_id, period=month, kind=Earning.Kind.EARNING).values_list(
        "participant__employee_id", "participant__currency_id", "position__code", "plan_version_id", "component",
        "currency_id", "amount")
    measures = _measures({line[3] for line in lines})
    if plans is not None:
        measures = {version: found for version, found in measures.items() if found[0] in plans}
    credits = _credits(run_id, month, {code for code, _ in measures.values()})
    rates: dict[str, Converter] = {}
    shares: DealShares = defaultdict(Decimal)
    for payee, payee_currency, position, version, component, currency, amount in lines:
        if version not in measures:
            continue
        plan, by_component = measures[version]
        measure = by_component.get(component)
        if measure is None:
            continue
        if payee_currency not in rates:
            rates[payee_currency] = Converter(payee_currency)
        rate = rates[payee_currency].rate(currency, month.end_date)
        for deal, share in attribute(amount, credits.get((plan, payee, position, measure), [])):
            shares[(payee, deal)] += share * rate
    return dict(shares)


def _measures(versions: set[int]) -> dict[int, tuple[str, dict[str, str]]]:
    """Plan version id → (plan code, component → its measure) for the components that rate a measure."""
    found = {}
    for version in PlanVersion.objects.filter(pk__in=versions).select_related("plan"):
        plan, _ = load_plan(version.document, version.plan.code)
        if plan is not None:  # the lineage files are named by the document's plan code
            found[version.pk] = (plan.code, {c.name: c.measure for c in plan.components if c.measure})
    return found


def _credits(run_id: int, month: Period, plans: set[str]) -> dict[tuple, list[tuple[str, Decimal]]]:
    """(plan, participant, position, measure) → [(deal, credit value)] credited in the month, from the lineage."""
    found: dict[tuple, list[tuple[str, Decimal]]] = defaultdict(list)
    with duckdb.connect() as con:
        for plan in sorted(plans):
            path = lineage_path(run_id, plan)
            if not path.exists():
                raise LineageMissing(f"the credits of run {run_id} ({plan}) are missing from {path}: "
                                        f"recalculate {month.name} on this machine before the accounting reports")
            rows = con.execute(
                "SELECT participant, position, measure, external_id, sum(value) FROM read_parquet(?) "
                "WHERE credit_date BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL",
                [parquet_source(path), month.start_date, month.end_date]).fetchall()
            for participant, position, measure, deal, value in rows:
                found[(plan, participant, position, measure)].append((deal, value))
    return found
