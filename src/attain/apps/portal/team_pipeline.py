"""Pipeline coverage: how many times a rep's open pipeline covers what is left of their quota.

On the chosen month's last day D, for the measure shown:

- **open pipeline** = the opportunities owned by the rep's position that were open on D (created on or
  before D, not closed on or before D) and are expected to close after D and by the end of the quota's
  window (the fiscal year for a year-to-date component, the quarter for quarter to date), at their
  amount, converted into the plan's currency at the latest rate on or before D. When the measure's
  filter reads only the deal type (e.g. `deal_type == "new"`), only the deal types it counts are
  included; otherwise every deal type is.
- **remaining quota** = the quota the plan measured against minus the value to date (from the month's
  earning line; never below 0);
- **coverage** = open pipeline ÷ remaining quota. None when the quota is reached (nothing remains) or the
  component's window ends with the month (a monthly quota: no pipeline can still count).

A rep is **at risk** when behind pace — attainment below the share of the quota's window gone by on D
(90/365 = 24.7% on 31 March for a year's quota) — and coverage is under 1: even if every open deal closed,
the quota would not be reached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

import yaml
from django.db.models import Count, Q, Sum

from attain.apps.calc.fx import MissingRate
from attain.apps.portal.team_money import Rates, rates_into
from attain.apps.sales.models import DealType, Opportunity
from attain.engine.expressions import ExpressionError, parse_condition
from attain.engine.plans.model import CREDIT_FIELDS

ZERO = Decimal(0)


@dataclass(frozen=True)
class Pipeline:
    amount: Decimal  # in the plan currency
    deals: int


@lru_cache(maxsize=64)
def deal_types_counted(document: str, measure: str) -> frozenset[str] | None:
    """The deal types a plan's measure counts when its filter reads only `deal_type`; None: all (no filter, or
    one that reads other fields too)."""
    try:
        spec = yaml.safe_load(document)
        found = next((m for m in spec.get("measures", []) if isinstance(m, dict) and m.get("name") == measure), None)
    except (yaml.YAMLError, AttributeError):
        return None
    text = (found or {}).get("filter")
    if not text:
        return None
    try:
        condition = parse_condition(text, CREDIT_FIELDS)
    except ExpressionError:
        return None
    if set(condition.fields) != {"deal_type"}:
        return None
    return frozenset(t for t in DealType.values if condition.evaluate({"deal_type": t}))


def open_pipeline(positions: set[int], day: date, window_end: date, currency: str,
                  deal_types: frozenset[str] | None, converters: dict[str, Rates]) -> tuple[dict[int, Pipeline], list[str]]:
    """position → its open pipeline on `day` expected to close after it and by `window_end`, in `currency`;
    and what could not be converted."""
    if window_end <= day or not positions:
        return {}, []
    found = (Opportunity.objects.filter(owner_position_id__in=positions, created_date__lte=day,
                                        expected_close_date__gt=day, expected_close_date__lte=window_end)
             .filter(Q(closed_date__isnull=True) | Q(closed_date__gt=day)))
    if deal_types is not None:
        found = found.filter(deal_type__in=sorted(deal_types))
    sums: dict[int, list] = defaultdict(lambda: [ZERO, 0])
    problems = []
    for position, from_currency, total, deals in (found.values_list("owner_position_id", "currency_id")
                                                   .annotate(total=Sum("amount"), deals=Count("id"))
                                                   .order_by("owner_position_id", "currency_id")):
        if from_currency != currency:
            converter = rates_into(converters, currency)
            try:
                total = converter.convert(total, from_currency, day)
            except MissingRate as missing:
                problems.append(f"pipeline in {from_currency} is left out: {missing}")
                continue
        sums[position][0] += total
        sums[position][1] += deals
    return {position: Pipeline(amount, deals) for position, (amount, deals) in sums.items()}, problems


def coverage(pipeline: Decimal, quota: Decimal | None, value: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """(remaining quota, coverage): remaining = quota − value (≥ 0); coverage None when nothing remains."""
    if quota is None or value is None:
        return None, None
    remaining = max(quota - value, ZERO)
    return remaining, (pipeline / remaining if remaining > 0 else None)
