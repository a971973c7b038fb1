"""Load what a calculation needs from the database into the engine's Arrow/Ibis inputs.

Transactions are converted into the plan currency at the rate of their booking date (the latest
rate on or before it), exactly: amount × rate, never rounded. Opportunity amounts are converted at
their created date, and the amounts of their stage history at the day each stage was entered: each
at the date a pipeline rule credits it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
from django.db.models import Q

from attain.apps.calc.fx import Converter
from attain.apps.calc.lake import Sources, lake_splits, lake_transactions
from attain.apps.core.models import Period
from attain.apps.org.models import LeaveOfAbsence, Position, PositionHolder, ReportingLine
from attain.apps.plans.models import Goal, Plan, PlanAssignment
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Activity, CreditSplit, Opportunity, OpportunityStageEvent, Transaction
from attain.apps.territories.models import AccountTerritory, Territory, TerritoryPosition
from attain.engine.calculate import CalcInputs, Month, assignments_table
from attain.engine.crediting import CreditingInputs
from attain.engine.crediting.inputs import SCHEMAS
from attain.engine.rates import Objective

TRANSACTION_FIELDS = ("id", "external_id", "kind", "booked_date", "invoiced_date", "paid_date", "account__external_id",
                      "product__family__code", "quantity", "amount", "cost", "currency_id", "deal_type",
                      "owner_position__code", "contract_start", "contract_end", "original_id",
                      "opportunity__external_id", "opportunity__sourced_by_position__code")
OPPORTUNITY_FIELDS = ("id", "external_id", "account__external_id", "product_family__code", "deal_type", "amount",
                      "owner_position__code", "sourced_by_position__code", "created_date", "currency_id")


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


def transaction_lines(start: date, end: date, converter: Converter, only: Q | None = None) -> list[dict]:
    """The transactions booked, invoiced or paid in the span (narrowed by `only`, e.g. one payee's for an
    estimate), with the originals of their credit notes, converted into the plan's currency."""
    in_span = (Q(booked_date__range=(start, end)) | Q(invoiced_date__range=(start, end))
               | Q(paid_date__range=(start, end)))
    rows = list(Transaction.objects.filter(in_span & only if only is not None else in_span)
                .values_list(*TRANSACTION_FIELDS))
    known = {row[0] for row in rows}
    at = TRANSACTION_FIELDS.index("original_id")
    originals = {row[at] for row in rows if row[at] is not None} - known
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


def _activities(start: date, end: date) -> list[dict]:
    fields = ("id", "external_id", "participant__employee_id", "kind", "occurred_on", "qualified",
              "account__external_id", "opportunity__external_id")
    rows = Activity.objects.filter(occurred_on__range=(start, end)).values_list(*fields)
    return [dict(zip(SCHEMAS["activities"], row, strict=True)) for row in rows]


def _opportunities_in(start: date, end: date):
    """Opportunities created, or entering a stage, in the span: those pipeline rules may credit in it."""
    entering = OpportunityStageEvent.objects.filter(entered_on__range=(start, end)).values("opportunity_id")
    return Opportunity.objects.filter(Q(created_date__range=(start, end)) | Q(pk__in=entering))


def _opportunities(chosen, converter: Converter) -> list[dict]:
    """Opportunity rows, amounts converted at their created date."""
    result = []
    for row in chosen.values_list(*OPPORTUNITY_FIELDS):
        line = dict(zip((*SCHEMAS["opportunities"], "currency"), row, strict=True))
        line["own_amount"] = line["amount"]
        line["amount"] = converter.convert(line["amount"], line["currency"], line["created_date"])
        result.append(line)
    return result


def _stage_events(chosen, opportunities: list[dict], converter: Converter) -> list[dict]:
    """The whole stage history of the opportunities (a first entry may lie before the span). Amounts are converted
    at the day the stage was entered; an event without an amount gets its opportunity's, converted that day."""
    own = {o["id"]: (o["own_amount"], o["currency"]) for o in opportunities}
    events = OpportunityStageEvent.objects.filter(opportunity__in=chosen).values_list(
        "opportunity_id", "stage", "entered_on", "amount")
    return [{"opportunity_id": o, "stage": stage, "entered_on": day,
             "amount": converter.convert(own[o][0] if amount is None else amount, own[o][1], day)}
            for o, stage, day, amount in events]


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


def load_inputs(period: Period, converter: Converter, opportunities: bool = True,
                sources: Sources | None = None) -> CalcInputs:
    """The fiscal year's inputs up to the period, in the converter's (the plan's) currency.

    `opportunities=False` leaves opportunities out (for plans without pipeline rules: their amounts need no
    conversion, and a missing exchange rate for one cannot stop the run). `sources`: the transactions (and
    their splits) are read from the data lake by the engine (calc.lake), not from the database."""
    months = fiscal_months(period)
    start = months[0].start_date
    if sources is None:
        lines = transaction_lines(start, period.end_date, converter)
        transactions, splits = _table("transactions", lines), _splits([line["id"] for line in lines])
    else:
        transactions = lake_transactions(sources, start, period.end_date, converter)
        splits = lake_splits(sources.splits) if sources.splits else _table("splits", [])
    chosen = _opportunities_in(start, period.end_date) if opportunities else Opportunity.objects.none()
    opportunities = _opportunities(chosen, converter)
    crediting = CreditingInputs(
        transactions=transactions,
        splits=splits,
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
        holders=_table("holders", [
            dict(zip(("participant", "position", "valid_from", "valid_to"), r, strict=True))
            for r in PositionHolder.objects.values_list("participant__employee_id", "position__code", "valid_from",
                                                        "valid_to")]),
        activities=_table("activities", _activities(start, period.end_date)),
        opportunities=_table("opportunities", opportunities),
        stage_events=_table("stage_events", _stage_events(chosen, opportunities, converter)),
    )
    holders = crediting.holders
    year = months[0].year_span or (start, period.end_date)
    return CalcInputs(crediting, holders, months, _quotas(period, converter), objectives=_objectives(period),
                      leaves=leaves_in(*year))


def _splits(ids: list[int]):
    return _table("splits", [{"transaction_id": t, "position": p, "share": s} for t, p, s in CreditSplit.objects.filter(
        transaction_id__in=ids).values_list("transaction_id", "position__code", "share")])


def leaves_in(start: date, end: date) -> dict[str, tuple[tuple[date, date], ...]]:
    """participant (employee_id) → their leaves of absence that prorate and share a day with `start`–`end`.

    The whole fiscal year's: a year's quota or target is prorated by all the days of the year known to count.
    """
    leaves = LeaveOfAbsence.objects.filter(prorate=True, start_date__lte=end, end_date__gte=start).order_by(
        "participant__employee_id", "start_date").values_list("participant__employee_id", "start_date", "end_date")
    found: dict[str, list[tuple[date, date]]] = {}
    for employee_id, first, last in leaves:
        found.setdefault(employee_id, []).append((first, last))
    return {employee_id: tuple(spans) for employee_id, spans in found.items()}


def _quotas(period: Period, converter: Converter) -> dict:
    quotas = Quota.objects.filter(period__calendar=period.calendar, period__fiscal_year=period.fiscal_year)
    result = {}
    for quota in quotas.select_related("position", "period"):
        amount = converter.convert(quota.effective_amount, quota.currency_id, quota.period.start_date)
        result[(quota.position.code, quota.period.name, quota.measure)] = amount
    return result


def plan_assignments(plan, months) -> tuple[ibis.Table, dict[str, set[str]]]:
    """The days each position is on the plan in the months (the engine's `assignments` input), and
    month name → the positions on the plan on some day of that month."""
    rows = list(PlanAssignment.objects.filter(plan=plan, valid_from__lte=months[-1].end_date).exclude(
        valid_to__lt=months[0].start_date).values_list("position__code", "valid_from", "valid_to"))
    by_month = {m.period: {code for code, start, end in rows if start <= m.end_date and (end is None or end >= m.start_date)}
                for m in months}
    return assignments_table(rows), by_month


def plan_targets(plan: Plan, period: Period, converter: Converter, year_start: date) -> dict[str, Decimal]:
    """Annual target incentive per position on the plan in the fiscal year up to the period's end, in the plan
    currency: that of the position's latest assignment to the plan (a position that left the plan in the
    year keeps the target it had, for the days it was on the plan).

    Converted at the rate of the day the assignment starts, or of the fiscal year's first day when it
    started before: a fixed rate for the year, so recalculating an earlier month later gives the same
    result (a month-end rate would move every month's guarantee and MBO payout with the exchange rate).
    """
    assignments = (PlanAssignment.objects.filter(plan=plan, valid_from__lte=period.end_date)
                   .exclude(valid_to__lt=year_start).select_related("position").order_by("valid_from"))
    return {a.position.code: converter.convert(a.target_incentive, a.currency_id, max(a.valid_from, year_start))
            for a in assignments}  # in order of start: the latest assignment's target wins


def _objectives(period: Period) -> dict[tuple[str, str], tuple[Objective, ...]]:
    """The positions' MBO objectives of the fiscal year, per (position, objectives period name)."""
    goals = Goal.objects.filter(kind=Goal.Kind.MBO, position__isnull=False, period__calendar=period.calendar,
                                period__fiscal_year=period.fiscal_year).order_by("position__code", "period", "name")
    found: dict[tuple[str, str], list[Objective]] = {}
    for goal in goals.values("position__code", "period__name", "name", "weight", "score"):
        objective = Objective(goal["name"], goal["weight"], goal["score"])
        found.setdefault((goal["position__code"], goal["period__name"]), []).append(objective)
    return {key: tuple(objectives) for key, objectives in found.items()}
