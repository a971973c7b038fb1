"""/api/adjustments: manual adjustments — read (row-level), make (payments.add_adjustment), decide (someone else,
with payments.approve_adjustment). The rules are `payments.adjustments`' own: the API only calls it."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from attain.apps.api.errors import Forbidden, problems, refused
from attain.apps.api.rules import participant_or_404, require, today, visible_participants
from attain.apps.api.types import AmountIn, EmployeeId, Id, Money, Page, PeriodName
from attain.apps.payments.adjustments import (
    AdjustmentError,
    approve_adjustment,
    create_adjustment,
    reject_adjustment,
)
from attain.apps.payments.models import Adjustment

router = Router(tags=["adjustments"])
State = Literal[tuple(Adjustment.State.values)]  # type: ignore[valid-type]


class AdjustmentOut(Schema):
    id: int
    employee_id: str
    amount: Money
    currency: str
    kind: str
    first_period: str
    last_period: str | None
    applies_from: str | None
    reason: str
    state: str
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_employee_id(made: Adjustment) -> str:
        return made.participant.employee_id

    @staticmethod
    def resolve_currency(made: Adjustment) -> str:
        return made.currency_id

    @staticmethod
    def resolve_first_period(made: Adjustment) -> str:
        return made.first_period.name

    @staticmethod
    def resolve_last_period(made: Adjustment) -> str | None:
        return made.last_period.name if made.last_period_id else None

    @staticmethod
    def resolve_applies_from(made: Adjustment) -> str | None:
        return made.applies_from.name if made.applies_from_id else None

    @staticmethod
    def resolve_created_by(made: Adjustment) -> str:
        return made.created_by.username

    @staticmethod
    def resolve_decided_by(made: Adjustment) -> str | None:
        return made.decided_by.username if made.decided_by_id else None


class AdjustmentIn(Schema):
    employee_id: EmployeeId
    amount: AmountIn
    period: PeriodName = Field(description="The (first) month it is paid in, e.g. FY2026-M03; an open month.")
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*$",
                        description="Why: the payee and the approver read it.")
    recurring: bool = Field(False, description="Pay it every month from `period` (to `until`, or until stopped).")
    until: PeriodName | None = Field(None, description="The last month of a recurring adjustment.")


class DecisionIn(Schema):
    note: str = Field("", max_length=2000, pattern=r"^[^\x00]*$",
                      description="Approving: an optional note. Rejecting: the reason, required.")


RELATED = ("participant", "first_period", "last_period", "applies_from", "created_by", "decided_by")


def visible_adjustments(user):
    return Adjustment.objects.filter(participant__in=visible_participants(user, today())).select_related(*RELATED)


@router.get("/adjustments", response={200: list[AdjustmentOut], **problems()}, summary="Manual adjustments")
@paginate(Page)
def adjustments(request, state: State | None = None, employee_id: EmployeeId | None = None):
    """The adjustments of the participants you may see today, newest first."""
    found = visible_adjustments(request.user)
    if employee_id:
        found = found.filter(participant=participant_or_404(request.user, employee_id, today()))
    if state:
        found = found.filter(state=state)
    return found.order_by("-created_at", "-pk")


@router.get("/adjustments/{adjustment_id}", response={200: AdjustmentOut, **problems()}, summary="An adjustment")
def adjustment(request, adjustment_id: Id):
    return adjustment_or_404(request.user, adjustment_id)


@router.post("/adjustments", response={201: AdjustmentOut, **problems(400, 403)}, summary="Make an adjustment")
def make(request, body: AdjustmentIn):
    """A pending adjustment of `amount` (the payee's currency); someone else approves it. Needs the permission
    payments.add_adjustment (comp admins, administrators)."""
    require(request.user, "payments.add_adjustment", "make adjustments")
    person = participant_or_404(request.user, body.employee_id, today())
    try:
        made = create_adjustment(person.employee_id, Decimal(body.amount), body.period, body.reason, request.user,
                                 until=body.until, recurring=body.recurring or body.until is not None)
    except (AdjustmentError, ValueError) as failure:
        raise refused(str(failure)) from None
    return Status(201, adjustment_or_404(request.user, made.pk))


@router.post("/adjustments/{adjustment_id}/approve", response={200: AdjustmentOut, **problems(400, 403)},
             summary="Approve an adjustment")
def approve(request, adjustment_id: Id, body: DecisionIn):
    """Needs payments.approve_adjustment (finance, controllers, administrators); never by its maker (403)."""
    decide(request.user, adjustment_id, "approve")
    try:
        approve_adjustment(adjustment_id, request.user, body.note)
    except AdjustmentError as failure:
        raise refused(str(failure)) from None
    return adjustment_or_404(request.user, adjustment_id)


@router.post("/adjustments/{adjustment_id}/reject", response={200: AdjustmentOut, **problems(400, 403)},
             summary="Reject an adjustment")
def reject(request, adjustment_id: Id, body: DecisionIn):
    """As approving; `note` gives the reason, which is required."""
    decide(request.user, adjustment_id, "reject")
    try:
        reject_adjustment(adjustment_id, request.user, body.note)
    except AdjustmentError as failure:
        raise refused(str(failure)) from None
    return adjustment_or_404(request.user, adjustment_id)


def decide(user, adjustment_id: int, verb: str) -> None:
    """404 for an adjustment the user may not see; 403 without the permission or for its own maker."""
    found = adjustment_or_404(user, adjustment_id)
    require(user, "payments.approve_adjustment", f"{verb} adjustments")
    if found.created_by_id == user.pk:
        raise Forbidden(f"You made adjustment {adjustment_id}, so you cannot {verb} it: segregation of duties needs "
                        "another approver.")


def adjustment_or_404(user, adjustment_id: int) -> Adjustment:
    found = visible_adjustments(user).filter(pk=adjustment_id).first()
    if found is None:
        raise Http404(f"No adjustment {adjustment_id} that you may see: GET /api/adjustments lists them.")
    return found
