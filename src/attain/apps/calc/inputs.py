"""Load what a calculation needs from the database into the engine's Arrow/Ibis inputs.

Transactions are converted into the plan currency at the rate of their booking date (the latest
rate on or before it), exactly: amount × rate, never rounded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
from django.db.models import Q

from attain.apps.calc.fx import Converter
from attain.apps.core.models import Period
from attain.apps.org.models import Position, PositionHolder, ReportingLine
from attain.apps.plans.models import Goal, Plan, PlanAssignment
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import CreditSplit, Transaction
from attain.apps.territories.models import AccountTerritory, Territory, TerritoryPosition
from attain.engine.calculate import CalcInputs, Month
from attain.engine.crediting import CreditingInputs
from attain.engine.crediting.inputs import SCHEMAS
from attain.engine.rates import Objective

TRANSACTION_FIELDS = ("id", "external_id", "kind", "booked_date", "invoiced_date", "paid_date", "account__external_id",
                      "product__family__code", "quantity", "amount", "cost", "currency_id", "deal_type",
                      "owner_position__code", "contract_start", "contract_end", "original_id")


def fiscal_months(period: Period) -> tuple[Month, ...]:
    """The months of the period's fiscal year up to the period's end."""
    months = Period.objects.filter(calendar=period.calendar, kind="month", fiscal_year=period.fiscal_year,
                                   end_date__lte=period.end_date).select_related("parent__parent").order_by("start_date")
    return tuple(Month(m.name, m.parent.name if m.parent else "", m.fiscal_year, m.start_date, m.end_date,
                       _span(m.parent), _span(m.parent.parent if m.parent else None)) for m in months)


def _span(period: Period | None) -> tuple[date, date] | None:
    return (period.start_date, period.end_date) if period else None


def _table(name: str, rows: list[dict]):
    schema = ibis.schema(SCHEMAS[name]).to_pyarrow()
    return ibis.memtable(pa.Table.from_pylist(rows, schema=schema))


def _transactions(start: date, end: date, converter: Converter) -> list[dict]:
    in_span = (Q(booked_date__range=(start, end)) | Q(invoiced_date__range=(start, end))
               | Q(paid_date__range=(start, end)))
    rows = list(Transaction.objects.filter(in_span).values_list(*TRANSACTION_FIELDS))
    known = {row[0] for row in rows}
    originals = {row[-1] for row in rows if row[-1] is not None} - known
    rows += list(Transaction.objects.filter(pk__in=originals).values_list(*TRANSACTION_FIELDS))
    names = list(SCHEMAS["transactions"])
    result = []
    for row in rows:
        line = dict(zip(names, row, strict=True))
        day = line["booked_date"]
        line["amount"] = converter.convert(line["amount"], line["currency"], day)
        line["cost"] = converter.convert(line["cost"], line["currency"], day)
        line["currency"] = converter.target
        result.append(line)
    return result


def _ancestors() -> list[dict]:
    parent = dict(Territory.objects.values_list("code", "parent__code"))
    rows = []
    for code in parent:
        node, seen = code, set()
        while node is not None and node not in seen:
            rows.append({"territory": code, "ancestor": node})
            seen.add(node)
            node = parent.get(node)
    return rows


def load_inputs(period: Period, converter: Converter) -> CalcInputs:
    """The fiscal year's inputs up to the period, in the converter's (the plan's) currency."""
    months = fiscal_months(period)
    lines = _transactions(months[0].start_date, period.end_date, converter)
    ids = [line["id"] for line in lines]
    crediting = CreditingInputs(
        transactions=_table("transactions", lines),
        splits=_table("splits", [
            {"transaction_id": t, "position": p, "share": s}
            for t, p, s in CreditSplit.objects.filter(transaction_id__in=ids).values_list(
                "transaction_id", "position__code", "share")]),
        account_territories=_table("account_territories", [
            dict(zip(("account", "territory", "valid_from", "valid_to"), r, strict=True))
            for r in AccountTerritory.objects.values_list("account__external_id", "territory__code", "valid_from",
                                                          "valid_to")]),
        territory_positions=_table("territory_positions", [
            dict(zip(("territory", "position", "role", "valid_from", "valid_to"), r, strict=True))
            for r in TerritoryPosition.objects.values_list("territory__code", "position__code", "role", "valid_from",
                                                           "valid_to")]),
        territory_ancestors=_table("territory_ancestors", _ancestors()),
        positions=_table("positions", [
            dict(zip(("position", "kind", "product_family"), r, strict=True))
            for r in Position.objects.values_list("code", "kind", "product_family__code")]),
        reporting_lines=_table("reporting_lines", [
            dict(zip(("position", "manager", "valid_from", "valid_to"), r, strict=True))
            for r in ReportingLine.objects.values_list("position__code", "manager_position__code", "valid_from",
                                                       "valid_to")]),
    )
    holders = ibis.memtable(pa.Table.from_pylist(
        [dict(zip(("participant", "position", "valid_from", "valid_to"), r, strict=True))
         for r in PositionHolder.objects.values_list("participant__employee_id", "position__code", "valid_from",
                                                     "valid_to")],
        schema=pa.schema([("participant", pa.string()), ("position", pa.string()), ("valid_from", pa.date32()),
                          ("valid_to", pa.date32())])))
    return CalcInputs(crediting, holders, months, _quotas(period, converter), objectives=_objectives(period))


def _quotas(period: Period, converter: Converter) -> dict:
    quotas = Quota.objects.filter(period__calendar=period.calendar, period__fiscal_year=period.fiscal_year)
    result = {}
    for quota in quotas.select_related("position", "period"):
        amount = converter.convert(quota.effective_amount, quota.currency_id, quota.period.start_date)
        result[(quota.position.code, quota.period.name, quota.measure)] = amount
    return result


def plan_targets(plan: Plan, period: Period, converter: Converter) -> dict[str, Decimal]:
    """Annual target incentive per assigned position, in the plan currency, as of the period's last day."""
    assignments = PlanAssignment.objects.filter(PlanAssignment.valid_on(period.end_date), plan=plan)
    return {a.position.code: converter.convert(a.target_incentive, a.currency_id, period.end_date)
            for a in assignments.select_related("position")}


def _objectives(period: Period) -> dict[tuple[str, str], tuple[Objective, ...]]:
    """The positions' MBO objectives of the fiscal year, per (position, objectives period name)."""
    goals = Goal.objects.filter(kind=Goal.Kind.MBO, position__isnull=False, period__calendar=period.calendar,
                                period__fiscal_year=period.fiscal_year).order_by("position__code", "period", "name")
    found: dict[tuple[str, str], list[Objective]] = {}
    for goal in goals.values("position__code", "period__name", "name", "weight", "score"):
        objective = Objective(goal["name"], goal["weight"], goal["score"])
        found.setdefault((goal["position__code"], goal["period__name"]), []).append(objective)
    return {key: tuple(objectives) for key, objectives in found.items()}
