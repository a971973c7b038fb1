"""A manager approves or rejects their team's pending manual adjustments within their authority.

The decision goes through `payments.adjustments` (approve_adjustment / reject_adjustment), so segregation
of duties (whoever made an adjustment never decides it), the month it is paid from and the audit log are
the same as finance's; only the permission check is replaced by `within_authority`:

- the adjustment is for a member of the user's team on the last day of its first month (the positions
  under the positions the user holds that day, as on the team page), never for the user themselves;
- the user has an `ApprovalAuthority` (their own, or else the largest of their roles'), and the
  adjustment's whole amount, either sign — a one-off's amount, a recurring one's amount × its months — is at
  most its limit (converted into the limit's currency at the latest rate on or before today). A recurring
  adjustment without a last month is never within a limit.

Anything else waits for finance, and the refusal says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from attain.apps.calc.fx import Converter, MissingRate
from attain.apps.core.models import Period
from attain.apps.payments.adjustments import AdjustmentError, approve_adjustment, reject_adjustment
from attain.apps.payments.models import Adjustment, ApprovalAuthority
from attain.apps.portal.access import own_participant, role_names
from attain.apps.portal.team_org import OrgChart
from attain.engine.money import show_amount


def authority_of(user) -> ApprovalAuthority | None:
    """The user's own authority, or else the largest of their roles' (None: no authority)."""
    if not (user.is_authenticated and user.is_active):
        return None
    found = list(ApprovalAuthority.objects.filter(Q(user=user) | Q(role__in=role_names(user)))
                 .select_related("currency"))
    own = [a for a in found if a.user_id == user.pk]
    if own:
        return own[0]
    return max(found, key=lambda a: a.max_amount, default=None)


def whole_amount(adjustment: Adjustment) -> Decimal | None:
    """What the adjustment pays in all, either sign: amount × months; None for an open-ended recurring one."""
    if adjustment.kind == Adjustment.Kind.ONE_OFF:
        return abs(adjustment.amount)
    if adjustment.last_period_id is None:
        return None
    months = Period.objects.filter(calendar=adjustment.first_period.calendar_id, kind=Period.Kind.MONTH,
                                   start_date__gte=adjustment.first_period.start_date,
                                   end_date__lte=adjustment.last_period.end_date).count()
    return abs(adjustment.amount) * months


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str  # why not (or, when allowed, the limit it is within)


def judge(user, adjustment: Adjustment, authority: ApprovalAuthority | None, org: OrgChart, mine,
          today: date | None = None) -> Verdict:
    """May `user` (whose participant is `mine`) decide `adjustment` alone? (Segregation of duties is checked by
    the adjustment service.)"""
    label = f"Adjustment {adjustment.pk}"
    if mine is not None and adjustment.participant_id == mine.pk:
        return Verdict(False, f"{label} is for your own pay: it waits for finance.")
    day = adjustment.first_period.end_date
    seats = org.held_by(mine.pk, day) if mine is not None else set()
    team = set(org.holders(org.below(seats, day), day).values()) if seats else set()
    if adjustment.participant_id not in team:
        return Verdict(False, f"{label} is for someone outside your team in {adjustment.first_period.name}: it waits "
                              "for finance.")
    if authority is None:
        return Verdict(False, f"You have no authority to approve adjustments: {label.lower()} waits for finance. "
                              "A comp admin gives managers an approval authority in the administration.")
    total = whole_amount(adjustment)
    limit = f"{show_amount(authority.max_amount)} {authority.currency_id}"
    if total is None:
        return Verdict(False, f"{label} recurs without a last month, so its whole amount is open, above your "
                              f"authority of {limit}: it waits for finance.")
    shown = f"{show_amount(total)} {adjustment.currency_id}"
    if adjustment.currency_id != authority.currency_id:
        try:
            converted = Converter(authority.currency_id).convert(total, adjustment.currency_id,
                                                                 today or timezone.localdate())
        except MissingRate as missing:
            return Verdict(False, f"{label} is in {adjustment.currency_id} and your authority in "
                                  f"{authority.currency_id}, and {missing}: it waits for finance.")
        shown += f" ({show_amount(converted)} {authority.currency_id})"
        total = converted
    if total > authority.max_amount:
        return Verdict(False, f"{label} is {shown} in all, above your authority of {limit}: it waits for finance.")
    return Verdict(True, f"{shown} is within the authority of {limit}")


def _checker(user, authority: ApprovalAuthority | None):
    org, mine = OrgChart(), own_participant(user)

    def may_decide(adjustment: Adjustment, verb: str) -> None:
        verdict = judge(user, adjustment, authority, org, mine)
        if not verdict.allowed:
            raise AdjustmentError(verdict.reason)

    return may_decide


def _noted(note: str, authority: ApprovalAuthority | None) -> str:
    """The decision note, with the authority it was decided under (for the audit log)."""
    within = (f"Decided by the team's manager under their approval authority (up to {show_amount(authority.max_amount)} "
              f"{authority.currency_id})." if authority else "")
    return f"{note.strip()}\n{within}".strip()


def approve_within_authority(pk: int, user, note: str = "") -> Adjustment:
    authority = authority_of(user)
    return approve_adjustment(pk, user, _noted(note, authority), may_decide=_checker(user, authority))


def reject_within_authority(pk: int, user, reason: str) -> Adjustment:
    if not reason.strip():
        raise AdjustmentError("say why the adjustment is rejected")
    authority = authority_of(user)
    return reject_adjustment(pk, user, _noted(reason, authority), may_decide=_checker(user, authority))


@dataclass(frozen=True)
class Waiting:
    adjustment: Adjustment
    verdict: Verdict
    whole: Decimal | None


def waiting_for(user, org: OrgChart | None = None) -> list[Waiting]:
    """The pending adjustments for the user's team (on each one's first month), with whether the user may decide
    each; the newest first."""
    org = org or OrgChart()
    mine = own_participant(user)
    if mine is None:
        return []
    pending = list(Adjustment.objects.filter(state=Adjustment.State.PENDING)
                   .select_related("participant", "first_period", "last_period", "created_by")
                   .order_by("-created_at", "-pk"))
    teams: dict[date, set[int]] = {}
    for adjustment in pending:
        day = adjustment.first_period.end_date
        if day not in teams:
            seats = org.held_by(mine.pk, day)
            teams[day] = set(org.holders(org.below(seats, day), day).values()) if seats else set()
    authority = authority_of(user)
    shown = []
    for adjustment in pending:
        if adjustment.participant_id not in teams[adjustment.first_period.end_date]:
            continue
        verdict = judge(user, adjustment, authority, org, mine)
        if verdict.allowed and adjustment.created_by_id == user.pk:
            verdict = Verdict(False, f"You made adjustment {adjustment.pk}: someone else decides it.")
        shown.append(Waiting(adjustment, verdict, whole_amount(adjustment)))
    return shown
