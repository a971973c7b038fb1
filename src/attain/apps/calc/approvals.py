"""Maker–checker approval of a calculated month before it is paid.

The comp admin who prepared the results submits the month's latest run; someone else approves or
rejects it (segregation of duties: a submitter never approves their own submission). A payout above
the approval policy's threshold, or changed more than its percentage from the month before, is an
escalation: only an approver with the permission "Can approve escalated results" may approve a
submission that has escalations. Earlier months of the fiscal year are approved first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction

from attain.apps.audit.decisions import decide
from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record, snapshot
from attain.apps.calc.fx import Converter, MissingRate
from attain.apps.calc.locking import PeriodBusy, period_lock
from attain.apps.calc.models import Approval, ApprovalPolicy, CalculationRun, Earning
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.core.models import Period
from attain.engine.money import plain, show_amount

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class ApprovalError(ValueError):
    """The step is not allowed now, or not for this user; the message says why and what to do."""


def latest_run(period: Period) -> CalculationRun | None:
    return CalculationRun.objects.filter(period=period, status=CalculationRun.Status.SUCCEEDED).order_by(
        "-started_at", "-pk").first()


def submit(name: str, user, note: str = "") -> Approval:
    """Submit the month's latest calculation for approval (the maker's step)."""
    period = find_period(name)
    with _locked(period), transaction.atomic():
        if period.state != Period.State.CALCULATED:
            raise ApprovalError(_not_now(period, "submitted"))
        run = latest_run(period)
        if Approval.objects.filter(period=period, run=run, state=Approval.State.SUBMITTED).exists():
            raise ApprovalError(f"run {run.pk} of {period.name} is already submitted: it waits for an approver")
        approval = Approval.objects.create(period=period, run=run, submitted_by=user, note=note,
                                           escalations=escalations(period, run))
        record(AuditEntry.Action.SUBMITTED, approval, user=user, after=snapshot(approval), reason=note)
        return approval


def approve(name: str, user, note: str = "") -> Approval:
    """Approve the month's submission (the checker's step): the period becomes approved, ready to pay."""
    period = find_period(name)
    with _locked(period), transaction.atomic():
        approval = _submission(period)
        _check_checker(approval, user, "approve")
        if approval.escalations and not user.has_perm("calc.approve_escalated"):
            raise ApprovalError(f"{period.name} has {len(approval.escalations)} escalated payouts (e.g. "
                                f"{_describe(approval.escalations[0])}): an approver with 'Can approve escalated "
                                "results' must approve it")
        _check_earlier_months(period)
        decide(approval, Approval.State.APPROVED, user, note)
        Period.objects.filter(pk=period.pk).update(state=Period.State.APPROVED)
        return approval


def reject(name: str, user, reason: str) -> Approval:
    """Send the submission back with a reason; the month stays calculated."""
    if not reason.strip():
        raise ApprovalError("say why the results are rejected, so the comp admin knows what to fix")
    period = find_period(name)
    with _locked(period), transaction.atomic():
        approval = _submission(period)
        _check_checker(approval, user, "reject")
        decide(approval, Approval.State.REJECTED, user, reason)
        return approval


def escalations(period: Period, run: CalculationRun) -> list[dict]:
    """The payouts the approval policy escalates: above its threshold, or changed more than its percentage."""
    policy = ApprovalPolicy.objects.first()
    if policy is None or (policy.payout_threshold is None and policy.change_percent is None):
        return []
    converter = Converter(policy.currency_id)
    now = _payouts(run, period, converter)
    previous = _previous(period) if policy.change_percent else None
    before = _payouts(_previous_run(previous), previous, converter) if previous else {}
    found = []
    for participant, payout in sorted(now.items()):
        reasons = _reasons(policy, payout, before.get(participant))
        if reasons:
            found.append({"participant": participant, "currency": policy.currency_id, "payout": plain(payout),
                          "previous": plain(before[participant]) if participant in before else None,
                          "reasons": reasons})
    return found


def _reasons(policy: ApprovalPolicy, payout: Decimal, previous: Decimal | None) -> list[str]:
    reasons = []
    if policy.payout_threshold is not None and payout > policy.payout_threshold:
        reasons.append(f"above {show_amount(policy.payout_threshold)} {policy.currency_id}")
    if policy.change_percent is not None and previous:
        change = (payout - previous) / abs(previous) * HUNDRED
        if abs(change) > policy.change_percent:
            reasons.append(f"{'+' if change > 0 else ''}{change.quantize(Decimal('0.1'))}% from "
                           f"{show_amount(previous)} the month before")
    return reasons


def _payouts(run: CalculationRun | None, period: Period | None, converter: Converter) -> dict[str, Decimal]:
    """Participant → the run's lines for the month, in the policy currency at the month's last day."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    if run is None or period is None:
        return totals
    rows = Earning.objects.filter(run=run, period=period).values_list("participant__employee_id", "currency_id",
                                                                       "amount")
    for participant, currency, amount in rows:
        try:
            totals[participant] += amount * converter.rate(currency, period.end_date)
        except MissingRate as missing:
            raise ApprovalError(str(missing)) from None
    return totals


def _previous(period: Period) -> Period | None:
    return Period.objects.filter(calendar=period.calendar, kind=Period.Kind.MONTH,
                                 end_date__lt=period.start_date).order_by("-start_date").first()


def _previous_run(previous: Period) -> CalculationRun | None:
    """The month's approved run, or its latest one."""
    approved = Approval.objects.filter(period=previous, state=Approval.State.APPROVED).first()
    return approved.run if approved else latest_run(previous)


def _submission(period: Period) -> Approval:
    approval = Approval.objects.filter(period=period, state=Approval.State.SUBMITTED).select_related(
        "submitted_by").first()
    if approval is None:
        raise ApprovalError(f"{period.name} has no submission waiting: {_not_now(period, 'decided')}")
    return approval


def _check_checker(approval: Approval, user, verb: str) -> None:
    if user is None or not user.is_authenticated:
        raise ApprovalError(f"name who you are to {verb} (a user of Attain)")
    if approval.submitted_by_id == user.pk:
        raise ApprovalError(f"{user} submitted these results and so cannot {verb} them: segregation of duties "
                            "needs another approver")
    if not user.has_perm("calc.approve_results"):
        raise ApprovalError(f"{user} may not {verb} results: ask a finance approver")


def _check_earlier_months(period: Period) -> None:
    waiting = Period.objects.filter(calendar=period.calendar, kind=Period.Kind.MONTH, fiscal_year=period.fiscal_year,
                                    end_date__lt=period.start_date).exclude(
        state__in=(Period.State.APPROVED, Period.State.PAID, Period.State.CLOSED)).order_by("start_date")
    if waiting.exists():
        names = ", ".join(waiting.values_list("name", flat=True))
        raise ApprovalError(f"approve the earlier months of FY{period.fiscal_year} first: {names}")


def _not_now(period: Period, verb: str) -> str:
    hints = {Period.State.OPEN: f"calculate it first (attain calc {period.name})",
             Period.State.CALCULATED: f"submit it first (attain period submit {period.name})",
             Period.State.APPROVED: "it is approved already; recalculate it to change it",
             Period.State.PAID: "it is paid: changes are paid as prior-period adjustments",
             Period.State.CLOSED: "it is closed: changes are paid as prior-period adjustments"}
    return f"{period.name} is {period.state} and cannot be {verb}: {hints[period.state]}"


def _describe(escalation: dict) -> str:
    return f"{escalation['participant']} {escalation['payout']} {escalation['currency']}: " + ", ".join(
        escalation["reasons"])


@contextmanager
def _locked(period: Period) -> Iterator[None]:
    """The period's lock for a workflow step; busy is an ApprovalError."""
    try:
        with period_lock(period):
            yield
    except PeriodBusy as busy:
        raise ApprovalError(str(busy)) from None


__all__ = ["ApprovalError", "CalculationError", "approve", "escalations", "latest_run", "reject", "submit"]
