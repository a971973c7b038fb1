"""Manual adjustments: made with a reason by one person, approved by another, paid with the month.

Segregation of duties: whoever creates an adjustment cannot approve or reject it, and approving
needs the permission "Can approve adjustments" (finance). An adjustment is paid from `applies_from`,
set when it is approved: its first month, or the first month not yet paid if that one was paid in the
meantime, so a paid month never changes.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q

from attain.apps.audit.decisions import decide
from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record, snapshot
from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.calc.services import find_period
from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.payments.models import Adjustment


class AdjustmentError(ValueError):
    """The adjustment was not made or decided; the message says why and how to fix it."""


def create_adjustment(employee_id: str, amount: Decimal, period: str, reason: str, user, *,
                      until: str | None = None, recurring: bool = False, attachment: File | None = None) -> Adjustment:
    """A pending adjustment of `amount` (payee's currency) in the month `period`, or every month from it
    when recurring (to `until`, which makes it recurring; open-ended without)."""
    participant = Participant.objects.filter(employee_id=employee_id).first()
    if participant is None:
        raise AdjustmentError(f"there is no participant {employee_id!r}: name one by employee id")
    adjustment = Adjustment(participant=participant, amount=amount, currency_id=participant.currency_id,
                            kind=Adjustment.Kind.RECURRING if recurring or until else Adjustment.Kind.ONE_OFF,
                            first_period=find_period(period), last_period=find_period(until) if until else None,
                            reason=reason.strip(), created_by=user)
    try:
        adjustment.clean()
    except ValidationError as invalid:
        raise AdjustmentError("; ".join(m for messages in invalid.message_dict.values() for m in messages)) from None
    if attachment is not None:
        adjustment.attachment.save(attachment.name, attachment, save=False)
    adjustment.save()
    record(AuditEntry.Action.CREATED, adjustment, user=user, after=snapshot(adjustment), reason=adjustment.reason)
    return adjustment


@transaction.atomic
def approve_adjustment(pk: int, user, note: str = "", *, may_decide=None) -> Adjustment:
    """Approve as `user`; `may_decide(adjustment, verb)` replaces the finance permission check (it raises
    AdjustmentError to refuse), e.g. a manager's authority (`payments.authority`)."""
    adjustment = _pending(pk, user, "approve", may_decide)
    first_open = Period.objects.filter(calendar=adjustment.first_period.calendar, kind=Period.Kind.MONTH,
                                       start_date__gte=adjustment.first_period.start_date).exclude(
        state__in=BOOKED_STATES).order_by("start_date").first()
    last = adjustment.last_period
    if first_open is None or (last is not None and first_open.start_date > last.end_date):
        raise AdjustmentError(f"every month of adjustment {pk} is paid already: make a new one for an open month")
    adjustment.applies_from = first_open
    return decide(adjustment, Adjustment.State.APPROVED, user, note)


@transaction.atomic
def reject_adjustment(pk: int, user, reason: str, *, may_decide=None) -> Adjustment:
    if not reason.strip():
        raise AdjustmentError("say why the adjustment is rejected")
    return decide(_pending(pk, user, "reject", may_decide), Adjustment.State.REJECTED, user, reason)


def adjustments_in(months: list[Period], participant_ids) -> dict[tuple[int, str], list[tuple[str, Decimal]]]:
    """(participant id, month name) → the approved adjustments paid in that month: (label, amount)."""
    if not months:
        return {}
    start, end = months[0].start_date, months[-1].end_date
    found: dict[tuple[int, str], list[tuple[str, Decimal]]] = {}
    approved = Adjustment.objects.filter(state=Adjustment.State.APPROVED, participant_id__in=participant_ids,
                                         applies_from__start_date__lte=end).filter(
        Q(kind=Adjustment.Kind.ONE_OFF, applies_from__start_date__gte=start) | Q(kind=Adjustment.Kind.RECURRING))
    for adjustment in approved.select_related("applies_from", "last_period").order_by("pk"):
        for month in months:
            if _pays_in(adjustment, month):
                found.setdefault((adjustment.participant_id, month.name), []).append(
                    (adjustment.label(), adjustment.amount))
    return found


def _pays_in(adjustment: Adjustment, month: Period) -> bool:
    if adjustment.kind == Adjustment.Kind.ONE_OFF:
        return adjustment.applies_from_id == month.pk
    last = adjustment.last_period
    return adjustment.applies_from.start_date <= month.start_date and (last is None or month.end_date <= last.end_date)


def _pending(pk: int, user, verb: str, may_decide=None) -> Adjustment:
    adjustment = Adjustment.objects.select_for_update().filter(pk=pk).select_related("first_period").first()
    if adjustment is None:
        raise AdjustmentError(f"there is no adjustment {pk}")
    if adjustment.state != Adjustment.State.PENDING:
        raise AdjustmentError(f"adjustment {pk} is {adjustment.state} already")
    if user is None or adjustment.created_by_id == user.pk:
        raise AdjustmentError(f"{user} created adjustment {pk} and so cannot {verb} it: segregation of duties needs "
                              "another approver")
    if may_decide is not None:
        may_decide(adjustment, verb)
    elif not user.has_perm("payments.approve_adjustment"):
        raise AdjustmentError(f"{user} may not {verb} adjustments: ask a finance approver")
    return adjustment


