"""The life of a dispute, one explicit service per step, each in one transaction and written to the audit log.

raise (the payee, or a manager for someone on their team) → comment (anyone in the conversation) → take into
review (a comp admin) → resolve with an adjustment, resolve without a change, or reject with a reason (a comp
admin). Resolving with an adjustment creates a pending manual adjustment (`payments.adjustments`) whose reason
names the dispute: it is paid only once someone else approves it (segregation of duties), so the comp admin
who resolved cannot approve it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record, snapshot
from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.core.models import Period
from attain.apps.disputes.access import visible_disputes
from attain.apps.disputes.attachments import attachment_problem
from attain.apps.disputes.models import Dispute, DisputeComment
from attain.apps.org.models import Participant
from attain.apps.payments.adjustments import AdjustmentError, create_adjustment
from attain.apps.payments.statements import StatementError, StatementLine, statement
from attain.apps.portal import access
from attain.engine.money import show_amount

MAX_TEXT = 5000
Status = Dispute.Status
OPEN_STATES = (Status.OPEN, Status.IN_REVIEW)


class DisputeError(ValueError):
    """The step was not taken; the message says why and what to do."""


@transaction.atomic
def raise_dispute(user, participant: Participant, period: Period, comment: str, *, earning_id: int | None = None,
                  transaction_external_id: str = "", attachment=None) -> Dispute:
    """A new open dispute on `participant`'s statement of `period`: on the statement line that adds up the earning
    line `earning_id`, on a deal, or both."""
    if not user.has_perm("disputes.add_dispute"):
        raise DisputeError(f"{user} may not raise disputes: a payee or their manager raises one")
    if not access.visible_participants(user, period.end_date).filter(pk=participant.pk).exists():
        raise DisputeError(f"{user} may not raise a dispute for {participant}: only for themselves or their team")
    if period.state not in BOOKED_STATES:
        raise DisputeError(f"{period.name} is {period.state}: question a paid month's statement")
    line = statement_line(participant, period, earning_id) if earning_id is not None else None
    if earning_id is not None and line is None:
        raise DisputeError(f"earning line {earning_id} is not on {participant}'s statement for {period.name}")
    dispute = Dispute(participant=participant, period=period, earning_id=earning_id, raised_by=user,
                      comment=_text(comment, "Say what looks wrong"),
                      transaction_external_id=transaction_external_id.strip()[:100])
    if line is not None:
        dispute.line_label, dispute.line_amount = line.label, f"{show_amount(line.amount)} {line.currency}"
    if attachment is not None:
        problem = attachment_problem(attachment)
        if problem:
            raise DisputeError(problem)
        dispute.attachment.save(attachment.name, attachment, save=False)
    dispute.save()
    record(AuditEntry.Action.CREATED, dispute, user=user, after=snapshot(dispute), reason=dispute.comment)
    return dispute


@transaction.atomic
def comment_on(pk: int, user, text: str) -> DisputeComment:
    dispute = _dispute(pk, user)
    if not user.has_perm("disputes.add_disputecomment"):
        raise DisputeError(f"{user} may read dispute {pk} but not write in it")
    if dispute.is_closed:
        raise DisputeError(f"dispute {pk} is {dispute.status}: raise a new one to question it again")
    comment = DisputeComment.objects.create(dispute=dispute, author=user, text=_text(text, "Write the comment"))
    dispute.save(update_fields=["updated_at"])
    record(AuditEntry.Action.CREATED, comment, user=user, after=snapshot(comment))
    return comment


@transaction.atomic
def take_into_review(pk: int, user) -> Dispute:
    dispute = _reviewed(pk, user, (Status.OPEN,))
    before = snapshot(dispute)
    dispute.status, dispute.assigned_to = Status.IN_REVIEW, user
    dispute.save()
    record(AuditEntry.Action.CHANGED, dispute, user=user, before=before, after=snapshot(dispute),
           reason="taken into review")
    return dispute


@transaction.atomic
def resolve_with_adjustment(pk: int, user, amount: Decimal, month: str, resolution: str) -> Dispute:
    """Resolved: a pending adjustment of `amount` in `month` for the payee, its reason naming the dispute."""
    dispute = _reviewed(pk, user, OPEN_STATES)
    resolution = _text(resolution, "Say how the dispute is resolved")
    try:
        adjustment = create_adjustment(dispute.participant.employee_id, amount, month,
                                       f"Dispute {dispute.pk}: {resolution}", user)
    except AdjustmentError as refused:
        raise DisputeError(f"no adjustment made: {refused}") from None
    return _decide(dispute, user, Status.RESOLVED, resolution, adjustment)


@transaction.atomic
def resolve_without_change(pk: int, user, resolution: str) -> Dispute:
    """Resolved with an answer and no change to the pay (e.g. the line was right, explained)."""
    dispute = _reviewed(pk, user, OPEN_STATES)
    return _decide(dispute, user, Status.RESOLVED, _text(resolution, "Give the answer"))


@transaction.atomic
def reject_dispute(pk: int, user, reason: str) -> Dispute:
    dispute = _reviewed(pk, user, OPEN_STATES)
    return _decide(dispute, user, Status.REJECTED, _text(reason, "Say why the dispute is rejected"))


def adjustment_months(dispute: Dispute, count: int = 6) -> list[Period]:
    """The months an adjustment resolving the dispute may go in: the first not yet paid after its month, on."""
    return list(Period.objects.filter(calendar_id=dispute.period.calendar_id, kind=Period.Kind.MONTH,
                                      start_date__gt=dispute.period.start_date)
                .exclude(state__in=BOOKED_STATES).order_by("start_date")[:count])


def statement_line(participant: Participant, period: Period, earning_id: int) -> StatementLine | None:
    """The line of the participant's statement of `period` that adds up the earning line `earning_id` (else None)."""
    try:
        paid = statement(participant, period)
    except StatementError:
        return None
    return next((line for line in paid.earnings + paid.adjustments if earning_id in line.earning_ids), None)


def _decide(dispute: Dispute, user, status: str, resolution: str, adjustment=None) -> Dispute:
    before = snapshot(dispute)
    dispute.status, dispute.resolution, dispute.adjustment = status, resolution, adjustment
    dispute.decided_by, dispute.decided_at = user, timezone.now()
    dispute.assigned_to = dispute.assigned_to or user
    dispute.save()
    action = AuditEntry.Action.REJECTED if status == Status.REJECTED else AuditEntry.Action.CHANGED
    record(action, dispute, user=user, before=before, after=snapshot(dispute), reason=resolution)
    return dispute


def _dispute(pk: int, user) -> Dispute:
    dispute = visible_disputes(user).select_for_update(of=("self",)).filter(pk=pk).select_related("participant", "period").first()
    if dispute is None:
        raise DisputeError(f"there is no dispute {pk} that {user} may see")
    return dispute


def _reviewed(pk: int, user, states: tuple[str, ...]) -> Dispute:
    if not user.has_perm("disputes.resolve_dispute"):
        raise DisputeError(f"{user} may not review disputes: a comp admin does")
    dispute = _dispute(pk, user)
    if dispute.status not in states:
        raise DisputeError(f"dispute {pk} is {dispute.get_status_display().lower()} already")
    return dispute


def _text(text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DisputeError(f"{missing}: the text is empty")
    if len(text) > MAX_TEXT:
        raise DisputeError(f"the text is {len(text):,} characters long: keep it to {MAX_TEXT:,}")
    return text
