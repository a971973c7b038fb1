"""A rep's earnings per month of the fiscal year: calculated (the latest successful run of each month) and paid
(the month's latest payment), and the cumulative calculated earnings against the year's target incentive."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant, PositionHolder
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.plans.models import PlanAssignment

ZERO = Decimal(0)


@dataclass(frozen=True)
class TrendMonth:
    name: str
    calculated: Decimal | None  # None: not calculated
    paid: Decimal | None  # None: not paid
    cumulative: Decimal | None  # calculated, to date (None after the latest month calculated)
    target_to_date: Decimal | None  # the annual target × months gone ÷ 12


@dataclass(frozen=True)
class Trend:
    fiscal_year: int
    currency: str
    months: tuple[TrendMonth, ...]
    target: Decimal | None  # the year's target incentive (sum of the participant's plan assignments)


def earnings_trend(participant: Participant, fiscal_year: int, calendar_id: int) -> Trend:
    months = list(Period.objects.filter(calendar=calendar_id, kind=Period.Kind.MONTH, fiscal_year=fiscal_year)
                  .order_by("start_date"))
    calculated = _calculated(participant, months)
    paid = _paid(participant, months)
    target = _target(participant, months)
    last = max((i for i, m in enumerate(months) if m.pk in calculated), default=-1)
    shown, total = [], ZERO
    for i, month in enumerate(months):
        total += calculated.get(month.pk, ZERO)
        shown.append(TrendMonth(month.name, calculated.get(month.pk), paid.get(month.pk), total if i <= last else None,
                                target * (i + 1) / 12 if target is not None else None))
    return Trend(fiscal_year, participant.currency_id, tuple(shown), target)


def _calculated(participant: Participant, months: list[Period]) -> dict[int, Decimal]:
    """month id → the rounded earnings of its latest successful run (in Python: exact)."""
    latest = {}
    for run in (CalculationRun.objects.filter(period__in=months, status=CalculationRun.Status.SUCCEEDED)
                .order_by("started_at", "pk").values("pk", "period_id")):
        latest[run["period_id"]] = run["pk"]
    found: dict[int, Decimal] = defaultdict(Decimal)
    for period, amount in Earning.objects.filter(run__in=latest.values(), participant=participant).values_list(
            "period_id", "amount_rounded"):
        found[period] += amount
    return {period: found.get(period, ZERO) for period in latest}


def _paid(participant: Participant, months: list[Period]) -> dict[int, Decimal]:
    found = {}
    for period, amount in (Payment.objects.filter(participant=participant, period__in=months,
                                                  run__status=PaymentRun.Status.SUCCEEDED)
                           .order_by("run__created_at", "pk").values_list("period_id", "paid")):
        found[period] = amount
    return found


def _target(participant: Participant, months: list[Period]) -> Decimal | None:
    if not months:
        return None
    start, end = months[0].start_date, months[-1].end_date
    seats = PositionHolder.objects.filter(participant=participant, valid_from__lte=end).exclude(
        valid_to__lt=start).values("position_id")
    targets = list(PlanAssignment.objects.filter(position__in=seats, valid_from__lte=end, currency=participant.currency_id)
                   .exclude(valid_to__lt=start).values_list("target_incentive", flat=True))
    return sum(targets, ZERO) if targets else None
