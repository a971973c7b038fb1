"""What the finance workspace reads: the fiscal year's months, the submissions waiting for approval with
their escalations, the manual adjustments waiting for a decision, and the accrual.

Who: finance approvers, finance controllers and administrators act (approve, reject, pay, close); comp admins
may look. The steps themselves are the services' (`calc.approvals`, `payments.services`,
`payments.adjustments`): they enforce maker–checker, escalation and the order of months; this module only reads.

The accrual (what was earned and is not paid yet), for a fiscal year, has two parts:

- **earned, not paid**: each month of the year that is calculated or approved, the earnings of the run
  finance decides on (the approved run of an approved month, else the month's latest calculation), summed per
  currency of the earnings, as calculated: before draws, recoveries, holds and the payment's rounding, which
  are settled when the month is paid;
- **held**: commission on deals whose plan holds it until invoice or payment, still held after the latest
  payment run of every paid or closed month of the year (−Σ of the payments' "held until …" lines, in the
  payee's currency). The journal books it as an expense owed (accrued commissions) when it is earned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from attain.apps.calc.approvals import latest_run
from attain.apps.calc.models import Approval, CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.payments.holding import HELD
from attain.apps.payments.models import Adjustment, Payment, PaymentRun
from attain.apps.portal.access import role_names

ZERO = Decimal(0)
ACTS = {roles.ADMINISTRATOR, roles.FINANCE, roles.CONTROLLER}
LOOKS = ACTS | {roles.COMP_ADMIN}
UNPAID = (Period.State.CALCULATED, Period.State.APPROVED)
BOOKED = (Period.State.PAID, Period.State.CLOSED)


def may_look(user) -> bool:
    """Finance, administrators and comp admins may open the finance pages."""
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(role_names(user) & LOOKS))


def may_act(user) -> bool:
    """Finance and administrators may post a step (the service still checks maker–checker and permissions)."""
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(role_names(user) & ACTS))


@dataclass
class Month:
    period: Period
    approval: Approval | None  # the latest submission, whatever became of it


@dataclass
class Waiting:
    """A submission waiting for a checker: its run's totals per currency and its escalations."""

    approval: Approval
    totals: list[tuple[str, Decimal]]
    who: str  # who may approve it, in plain words
    you_may: bool  # whether the signed-in user may (the service decides; this only says so before)


@dataclass
class Accrual:
    earned: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (month, currency, amount)
    held: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, amount)
    totals: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, earned not paid + held)


def fiscal_years() -> list[int]:
    return list(Period.objects.filter(kind=Period.Kind.MONTH).order_by("fiscal_year").values_list(
        "fiscal_year", flat=True).distinct())


def default_year() -> int | None:
    """The fiscal year of the first month not closed (the one finance works on), else the latest."""
    months = Period.objects.filter(kind=Period.Kind.MONTH)
    working = months.exclude(state=Period.State.CLOSED).order_by("start_date").first()
    chosen = working or months.order_by("-start_date").first()
    return chosen.fiscal_year if chosen else None


def year_months(year: int) -> list[Month]:
    """The fiscal year's months in order, each with its latest submission."""
    months = list(Period.objects.filter(kind=Period.Kind.MONTH, fiscal_year=year).order_by("start_date"))
    latest: dict[int, Approval] = {}
    for approval in Approval.objects.filter(period__in=months).select_related("submitted_by", "decided_by").order_by(
            "submitted_at", "pk"):
        latest[approval.period_id] = approval
    return [Month(m, latest.get(m.pk)) for m in months]


def waiting(year: int, user) -> list[Waiting]:
    """The year's submissions waiting for approval, the earliest month first."""
    found = []
    for approval in Approval.objects.filter(period__fiscal_year=year, state=Approval.State.SUBMITTED).select_related(
            "period", "run", "submitted_by").order_by("period__start_date"):
        found.append(Waiting(approval, run_totals(approval.run, approval.period), _who(approval),
                             _may_decide(approval, user)))
    return found


def run_totals(run: CalculationRun | None, period: Period) -> list[tuple[str, Decimal]]:
    """The run's earnings for the month, per currency (as the approval policy reads them: `approvals._payouts`)."""
    if run is None:
        return []
    totals: dict[str, Decimal] = defaultdict(Decimal)  # added up here: precise amounts are text on PostgreSQL
    for currency, amount in Earning.objects.filter(run=run, period=period).values_list("currency_id", "amount"):
        totals[currency] += amount
    return sorted(totals.items())


def _who(approval: Approval) -> str:
    submitter = approval.submitted_by
    if approval.escalations:
        return (f"a finance controller or an administrator (escalated payouts need 'Can approve escalated "
                f"results'), not {submitter}, who submitted it")
    return f"a finance approver, a finance controller or an administrator, not {submitter}, who submitted it"


def _may_decide(approval: Approval, user) -> bool:
    if approval.submitted_by_id == user.pk or not user.has_perm("calc.approve_results"):
        return False
    return not approval.escalations or user.has_perm("calc.approve_escalated")


def pending_adjustments() -> list[Adjustment]:
    """Manual adjustments waiting for a decision, the oldest first."""
    return list(Adjustment.objects.filter(state=Adjustment.State.PENDING).select_related(
        "participant", "first_period", "last_period", "created_by").order_by("created_at", "pk"))


def accrual(year: int) -> Accrual:
    """What the fiscal year earned and has not paid (see the module's docstring for the exact definition)."""
    found = Accrual()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    months = list(Period.objects.filter(kind=Period.Kind.MONTH, fiscal_year=year).order_by("start_date"))
    approved = {a.period_id: a.run for a in Approval.objects.filter(
        period__in=months, state=Approval.State.APPROVED).select_related("run")}
    for month in months:
        if month.state not in UNPAID:
            continue
        run = approved.get(month.pk) if month.state == Period.State.APPROVED else latest_run(month)
        for currency, amount in run_totals(run, month):
            found.earned.append((month.name, currency, amount))
            totals[currency] += amount
    for currency, amount in sorted(held_still(months).items()):
        found.held.append((currency, amount))
        totals[currency] += amount
    found.totals = sorted(totals.items())
    return found


def held_still(months: list[Period]) -> dict[str, Decimal]:
    """Currency → commission still held after the latest payment run of each paid or closed month."""
    paid = [m for m in months if m.state in BOOKED]
    latest: dict[int, int] = {}
    for run_id, period_id in PaymentRun.objects.filter(period__in=paid, status=PaymentRun.Status.SUCCEEDED).order_by(
            "created_at", "pk").values_list("pk", "period_id"):
        latest[period_id] = run_id
    held: dict[str, Decimal] = defaultdict(Decimal)
    for currency, lines in Payment.objects.filter(run_id__in=latest.values()).values_list("currency_id",
                                                                                          "adjustment_lines"):
        for line in lines:
            if line["label"].startswith(HELD):
                held[currency] -= Decimal(line["amount"])
    return {currency: amount for currency, amount in held.items() if amount}
