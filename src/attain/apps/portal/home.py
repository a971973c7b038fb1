"""The numbers on a rep's home: the year so far, the open month's expected pay, attainment, recent credits.

Everything is read from what was stored: payments of the paid months, the earnings of the latest
successful run of the first month not yet paid (expected pay), and those of the latest successful run
of the latest month calculated with lines for the participant (attainment, credits). Nothing is
recalculated here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Currency, Period
from attain.apps.core.services import find_default_calendar
from attain.apps.org.models import Participant
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.portal.credits import CreditedDeal, recent_credits
from attain.apps.portal.gauges import Gauge, gauge
from attain.apps.portal.plans import SCOPES, component_of, next_tier, plan_of
from attain.engine.money import round_money

ZERO = Decimal(0)
BOOKED = (Period.State.PAID, Period.State.CLOSED)


@dataclass(frozen=True)
class YearSoFar:
    currency: str
    earned: Decimal  # earnings and adjustments of the paid months, rounded
    paid: Decimal


@dataclass(frozen=True)
class Attainment:
    plan: str
    component: str
    measure: str
    scope: str  # "year to date", "this month"...
    value: Decimal
    quota: Decimal
    ratio: Decimal  # value / quota
    gauge: Gauge
    to_next_tier: tuple[Decimal, Decimal] | None  # (how much more, the next tier's rate)
    unit: str  # the plan currency for an amount, "" for a count


@dataclass
class RepHome:
    participant: Participant
    fiscal_year: int | None
    open_month: Period | None
    paid_months: list[str] = field(default_factory=list)
    year: list[YearSoFar] = field(default_factory=list)
    expected_run: CalculationRun | None = None
    expected: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, amount) of the open month
    attainment_run: CalculationRun | None = None
    attainments: list[Attainment] = field(default_factory=list)
    credits: list[CreditedDeal] | None = None  # None: the run's credits were not kept


def rep_home(participant: Participant) -> RepHome:
    open_month = first_open_month()
    home = RepHome(participant, open_month.fiscal_year if open_month else None, open_month)
    rounding = {c.code: (c.minor_units, c.rounding) for c in Currency.objects.all()}
    if open_month is not None:
        _year_so_far(home, open_month, rounding)
        home.expected_run = _latest_run(open_month)
    lines = _lines(home.expected_run, participant)
    if home.expected_run is not None:
        home.expected = _totals(lines, rounding)
    home.attainment_run = _latest_run_with_lines(participant)  # the latest month calculated: the freshest picture
    if home.attainment_run != home.expected_run:
        lines = _lines(home.attainment_run, participant)
    home.attainments = attainments(lines)
    if home.attainment_run is not None:
        codes = sorted({plan.code for plan in (plan_of(e.plan_version.document) for e in lines) if plan})
        home.credits = recent_credits(home.attainment_run.pk, codes, participant.employee_id)
    return home


def first_open_month() -> Period | None:
    """The calendar's earliest month neither paid nor closed (None when every month is)."""
    calendar = find_default_calendar()
    if calendar is None:
        return None
    return (Period.objects.filter(calendar=calendar, kind=Period.Kind.MONTH).exclude(state__in=BOOKED)
            .order_by("start_date").first())


def _year_so_far(home: RepHome, open_month: Period, rounding: dict) -> None:
    latest: dict[tuple[int, str], dict] = {}  # the latest payment of each month and currency
    for row in (Payment.objects.filter(participant=home.participant, period__calendar=open_month.calendar_id,
                                       period__fiscal_year=open_month.fiscal_year,
                                       run__status=PaymentRun.Status.SUCCEEDED)
                .order_by("period__start_date", "run__created_at", "pk")
                .values("period_id", "period__name", "currency_id", "earned", "adjustments", "paid")):
        latest[(row["period_id"], row["currency_id"])] = row
        if row["period__name"] not in home.paid_months:
            home.paid_months.append(row["period__name"])
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for (_, currency), row in latest.items():
        sums[currency][0] += row["earned"] + row["adjustments"]
        sums[currency][1] += row["paid"]
    home.year = [YearSoFar(c, round_money(e, *rounding.get(c, (2, "half_up"))), p) for c, (e, p) in sorted(sums.items())]


def _latest_run(month: Period) -> CalculationRun | None:
    return (CalculationRun.objects.filter(period=month, status=CalculationRun.Status.SUCCEEDED)
            .select_related("period").order_by("-started_at", "-pk").first())


def _latest_run_with_lines(participant: Participant) -> CalculationRun | None:
    return (CalculationRun.objects.filter(status=CalculationRun.Status.SUCCEEDED, earnings__participant=participant)
            .select_related("period").order_by("-period__start_date", "-started_at", "-pk").first())


def _lines(run: CalculationRun | None, participant: Participant) -> list[Earning]:
    if run is None:
        return []
    return list(Earning.objects.filter(run=run, participant=participant).select_related("plan_version__plan", "period")
                .order_by("plan_version__plan__code", "component", "pk"))


def _totals(lines: list[Earning], rounding: dict) -> list[tuple[str, Decimal]]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.currency_id] += line.amount
    return [(c, round_money(amount, *rounding.get(c, (2, "half_up")))) for c, amount in sorted(sums.items())]


def attainments(lines: list[Earning]) -> list[Attainment]:
    """Value against quota for each component of the month's own lines that has a quota (one per measure and scope)."""
    shown, seen = [], set()
    for line in lines:
        if line.kind != Earning.Kind.EARNING or not line.quota or line.quota <= 0:
            continue
        component = component_of(line.plan_version.document, line.component)
        if component is None or (component.measure, component.scope, line.position_id) in seen:
            continue
        seen.add((component.measure, component.scope, line.position_id))
        ratio = line.base / line.quota
        shown.append(Attainment(
            line.plan_version.plan.code, line.component, component.measure,
            SCOPES.get(component.scope, component.scope.replace("_", " ")), line.base, line.quota, ratio,
            gauge(ratio), next_tier(component, line.period.end_date, line.base, line.quota),
            _unit(line.plan_version.document, component.measure, line.currency_id)))
    return shown


def _unit(document: str, measure: str, currency: str) -> str:
    """The currency of an amount measure; "" for a count (meetings, deals)."""
    plan = plan_of(document)
    found = next((m for m in plan.measures if m.name == measure), None) if plan else None
    return "" if found is not None and found.aggregate in ("count", "distinct_count") else currency
