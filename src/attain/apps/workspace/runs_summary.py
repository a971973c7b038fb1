"""A month's run summary, as a comp admin reads it after calculating: payees and total earnings against the
previous month, the biggest movers, the run's exceptions by kind, and what changed since an earlier run of the
same month (`calc.diff.diff_runs`).

A month's earnings are the run's lines posted in the month (prior-period adjustments included): what is paid
in it. Totals are the rounded amounts added up in Python with Decimal (precise amounts are text on PostgreSQL).
Missing quotas are what the engine reports among the run's exceptions ("give the participant's quota"): they
are counted from there, not detected a second time. Seven queries at most, whatever the number of payees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Subquery

from attain.apps.calc.diff import RunDiff, diff_runs
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.workspace.runs_months import RUN_FIELDS

ZERO = Decimal(0)
MOVERS = 10
RECALCULATED_LINES = 10
MISSING_QUOTA = "Missing quota"
# the engine's words for each kind of exception, the first kind that matches wins (a missing quota is "not paid" too)
KINDS = ((MISSING_QUOTA, ("give the participant's quota", "quota above 0")),
         ("Credits to a vacant position", ("while the position was vacant",)),
         ("Activities not credited", ("not credited:",)),
         ("Objectives not scored", ("not scored yet",)),
         ("Cap or guarantee not applied", ("cap not applied", "guarantee not applied")),
         ("Position of the wrong kind for its plan", ("but is of kind",)),
         ("Not paid for another reason", ("not paid",)))
OTHER = "Other"
POSITION = re.compile(r"^(?P<plan>[^:]+): [^(]*\((?P<position>[^)]+)\)")  # "E2: E-1 (AE-1), Commission, …"
Payee = tuple[str, str, str]  # employee id, first name, last name


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    this_month: Decimal
    previous: Decimal | None  # None: the previous month has no successful run

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.this_month - self.previous

    @property
    def change_fraction(self) -> Decimal | None:
        """The change as a fraction of the previous month's total (None when there is nothing to divide by)."""
        return None if not self.previous else self.change / abs(self.previous)


@dataclass(frozen=True)
class Mover:
    employee_id: str
    name: str
    currency: str
    previous: Decimal
    this_month: Decimal

    @property
    def change(self) -> Decimal:
        return self.this_month - self.previous


@dataclass(frozen=True)
class ExceptionGroup:
    kind: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class MonthEarnings:
    """One run's month totals per payee and currency."""

    names: dict[str, str]  # employee id → name
    totals: dict[tuple[str, str], Decimal]  # (employee id, currency) → the month's total

    @property
    def payees(self) -> int:
        return len(self.names)

    def per_currency(self) -> dict[str, Decimal]:
        summed: dict[str, Decimal] = defaultdict(Decimal)
        for (_, currency), amount in self.totals.items():
            summed[currency] += amount
        return summed

    def negative_payees(self) -> int:
        return len({person for (person, _), amount in self.totals.items() if amount < ZERO})


@dataclass(frozen=True)
class RunSummary:
    run: CalculationRun
    previous_run: CalculationRun | None  # the previous month's latest successful run
    payees: int
    previous_payees: int | None
    totals: tuple[CurrencyTotal, ...]
    movers: tuple[Mover, ...]
    negative_payees: int
    exceptions: tuple[ExceptionGroup, ...]
    positions_without_quota: int
    recalculation: RunDiff | None  # against the month's successful run before this one

    @property
    def payees_change(self) -> int | None:
        return None if self.previous_payees is None else self.payees - self.previous_payees

    @property
    def recalculated_lines(self) -> tuple:
        return self.recalculation.changes[:RECALCULATED_LINES] if self.recalculation else ()

    @property
    def recalculated_totals(self) -> list[tuple[str, Decimal]]:
        if self.recalculation is None:
            return []
        return [(c, self.recalculation.total(c)) for c in sorted({x.currency for x in self.recalculation.changes})]


def run_summary(period: Period) -> RunSummary | None:
    """The summary of the month's latest successful run; None before the month has one."""
    runs = succeeded_runs(period)
    if not runs:
        return None
    latest, previous_run = runs[0], previous_month_run(period)
    earnings = month_earnings(*filter(None, (latest, previous_run)))
    this, before = earnings[0], earnings[1] if previous_run else None
    groups = exception_groups(latest.exceptions)
    return RunSummary(
        run=latest, previous_run=previous_run, payees=this.payees, previous_payees=before.payees if before else None,
        totals=currency_totals(this, before), movers=biggest_movers(this, before) if before else (),
        negative_payees=this.negative_payees(), exceptions=groups, positions_without_quota=positions_without_quota(
            groups), recalculation=diff_runs(runs[1].pk, latest.pk) if len(runs) > 1 else None)


def succeeded_runs(period: Period) -> list[CalculationRun]:
    """The month's two latest successful runs, the latest first."""
    return list(CalculationRun.objects.filter(period=period, status=CalculationRun.Status.SUCCEEDED)
                .select_related("period").only(*RUN_FIELDS, "period__name").order_by("-started_at", "-pk")[:2])


def previous_month_run(period: Period) -> CalculationRun | None:
    """The latest successful run of the month just before `period` (None when that month has none)."""
    month_before = Period.objects.filter(calendar_id=period.calendar_id, kind=Period.Kind.MONTH,
                                         start_date__lt=period.start_date).order_by("-start_date").values("pk")[:1]
    return (CalculationRun.objects.filter(period_id=Subquery(month_before), status=CalculationRun.Status.SUCCEEDED)
            .select_related("period").only(*RUN_FIELDS, "period__name").order_by("-started_at", "-pk").first())


def month_earnings(*runs: CalculationRun) -> list[MonthEarnings]:
    """Each run's lines posted in its month, added up per payee and currency (rounded amounts, exact; one query)."""
    names: dict[int, dict[str, str]] = {run.pk: {} for run in runs}
    totals: dict[int, dict[tuple[str, str], Decimal]] = {run.pk: defaultdict(Decimal) for run in runs}
    posted = Q()
    for run in runs:
        posted |= Q(run=run, period_id=run.period_id)
    for run_id, person, first, last, currency, amount in Earning.objects.filter(posted).order_by().values_list(
            "run_id", "participant__employee_id", "participant__first_name", "participant__last_name", "currency_id",
            "amount_rounded"):
        names[run_id][person] = f"{first} {last}"
        totals[run_id][(person, currency)] += amount
    return [MonthEarnings(names[run.pk], dict(totals[run.pk])) for run in runs]


def currency_totals(this: MonthEarnings, before: MonthEarnings | None) -> tuple[CurrencyTotal, ...]:
    now, then = this.per_currency(), before.per_currency() if before else {}
    currencies = sorted(set(now) | set(then))
    return tuple(CurrencyTotal(c, now.get(c, ZERO), then.get(c, ZERO) if before else None) for c in currencies)


def biggest_movers(this: MonthEarnings, before: MonthEarnings, limit: int = MOVERS) -> tuple[Mover, ...]:
    """The payees whose month total changed most against the previous month, per currency (largest first)."""
    names = {**before.names, **this.names}
    movers = [Mover(person, names[person], currency, before.totals.get((person, currency), ZERO),
                    this.totals.get((person, currency), ZERO))
              for person, currency in set(this.totals) | set(before.totals)]
    movers = [m for m in movers if m.change]
    movers.sort(key=lambda m: (-abs(m.change), m.currency, m.employee_id))
    return tuple(movers[:limit])


def exception_groups(exceptions: list[str]) -> tuple[ExceptionGroup, ...]:
    """The run's exceptions grouped by kind, in the order of KINDS (Other last)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for message in exceptions:
        grouped[kind_of(message)].append(message)
    order = [kind for kind, _ in KINDS] + [OTHER]
    return tuple(ExceptionGroup(kind, tuple(grouped[kind])) for kind in order if grouped[kind])


def kind_of(message: str) -> str:
    return next((kind for kind, words in KINDS if any(w in message for w in words)), OTHER)


def positions_without_quota(groups: tuple[ExceptionGroup, ...]) -> int:
    """The positions (per plan) the engine could not pay for want of a quota."""
    messages = next((g.messages for g in groups if g.kind == MISSING_QUOTA), ())
    seats = set()
    for message in messages:
        found = POSITION.match(message)
        seats.add((found["plan"], found["position"]) if found else message)
    return len(seats)
