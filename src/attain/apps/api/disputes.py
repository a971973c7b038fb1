"""/api/disputes: a payee's questions about a statement — read (row-level, as the portal), raise, comment, and for
comp admins take into review, resolve (with an adjustment, or without a change) or reject.

Every step is `disputes.services`' own (permissions, states, audit log): the API checks the role's permission
first (403), the dispute or person (404 for someone else's) and otherwise only calls the service, whose
refusals are 400 with its sentence.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import FileResponse, Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from attain.apps.api.errors import Forbidden, problems, refused
from attain.apps.api.rules import month_or_404, participant_or_404, require, today
from attain.apps.api.types import AmountIn, EmployeeId, Id, Page, PeriodName
from attain.apps.disputes import services
from attain.apps.disputes.access import may_read, visible_disputes
from attain.apps.disputes.models import Dispute, DisputeComment

router = Router(tags=["disputes"])
State = Literal[tuple(Dispute.Status.values)]  # type: ignore[valid-type]
LongText = Field(min_length=1, max_length=services.MAX_TEXT, pattern=r"^[^\x00]*$")


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment: DisputeComment) -> str:
        return comment.author.username


class DisputeOut(Schema):
    id: int
    employee_id: str
    period: str
    status: str
    earning: int | None = Field(description="The earning line questioned (GET /api/results/{id}).")
    line_label: str = Field(description="The statement line as it read when the dispute was raised.")
    line_amount: str = Field(description="Its amount and currency as shown then (display text, not a number).")
    deal: str = Field(description="The deal (transaction external id) questioned, or empty.")
    comment: str
    attachment: str | None = Field(description="The attached file's name (GET /api/disputes/{id}/attachment).")
    raised_by: str
    assigned_to: str | None
    resolution: str
    adjustment: int | None = Field(description="The adjustment the resolution made (GET /api/adjustments/{id}).")
    decided_by: str | None
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_employee_id(dispute: Dispute) -> str:
        return dispute.participant.employee_id

    @staticmethod
    def resolve_period(dispute: Dispute) -> str:
        return dispute.period.name

    @staticmethod
    def resolve_earning(dispute: Dispute) -> int | None:
        return dispute.earning_id

    @staticmethod
    def resolve_deal(dispute: Dispute) -> str:
        return dispute.transaction_external_id

    @staticmethod
    def resolve_attachment(dispute: Dispute) -> str | None:
        return dispute.attachment_filename() or None

    @staticmethod
    def resolve_raised_by(dispute: Dispute) -> str:
        return dispute.raised_by.username

    @staticmethod
    def resolve_assigned_to(dispute: Dispute) -> str | None:
        return dispute.assigned_to.username if dispute.assigned_to_id else None

    @staticmethod
    def resolve_adjustment(dispute: Dispute) -> int | None:
        return dispute.adjustment_id

    @staticmethod
    def resolve_decided_by(dispute: Dispute) -> str | None:
        return dispute.decided_by.username if dispute.decided_by_id else None


class DisputeWithComments(DisputeOut):
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(dispute: Dispute) -> list[DisputeComment]:
        return list(dispute.comments.select_related("author"))


class RaiseIn(Schema):
    employee_id: EmployeeId = Field(description="The payee: yourself, or (a manager) someone on your team.")
    period: PeriodName = Field(description="The paid month whose statement is questioned.")
    comment: str = LongText
    earning: Id | None = Field(None, description="An earning line of that statement (the line questioned).")
    deal: str = Field("", max_length=100, pattern=r"^[^\x00-\x1f]*$",
                      description="A deal's external id, e.g. one missing from the statement.")


class CommentIn(Schema):
    text: str = LongText


class ResolveIn(Schema):
    resolution: str = Field(min_length=1, max_length=services.MAX_TEXT, pattern=r"^[^\x00]*$",
                            description="The answer to the payee.")
    amount: AmountIn | None = Field(None, description="An adjustment for the payee (pending until someone else "
                                                      "approves it); none: resolved without a change.")
    month: PeriodName | None = Field(None, description="The open month the adjustment is paid in (with `amount`).")


class RejectIn(Schema):
    reason: str = LongText


RELATED = ("participant", "period", "raised_by", "assigned_to", "decided_by")


def readable(user):
    """The disputes the user may read (403 for a role that reads none)."""
    if not may_read(user):
        raise Forbidden("You may not read disputes: it needs one of the permissions 'disputes.view_dispute', "
                        "'disputes.add_dispute' or 'disputes.resolve_dispute', which your role does not have.")
    return visible_disputes(user).select_related(*RELATED)


def dispute_or_404(user, dispute_id: int) -> Dispute:
    found = readable(user).filter(pk=dispute_id).first()
    if found is None:
        raise Http404(f"No dispute {dispute_id} that you may see: GET /api/disputes lists them.")
    return found


@router.get("/disputes", response={200: list[DisputeOut], **problems(403)}, summary="Disputes")
@paginate(Page)
def disputes(request, status: State | None = None, employee_id: EmployeeId | None = None,
             period: PeriodName | None = None):
    """The disputes you may read (yours, your team's, or everyone's), the newest first."""
    found = readable(request.user)
    if employee_id:
        found = found.filter(participant=participant_or_404(request.user, employee_id, today()))
    if period:
        found = found.filter(period=month_or_404(period))
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


@router.get("/disputes/{dispute_id}", response={200: DisputeWithComments, **problems(403)},
            summary="A dispute and its conversation")
def dispute(request, dispute_id: Id):
    return dispute_or_404(request.user, dispute_id)


@router.get("/disputes/{dispute_id}/attachment", response=problems(403), summary="A dispute's attachment",
            openapi_extra={"responses": {"200": {"description": "The attached file, as a download.", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def attachment(request, dispute_id: Id):
    """404 when the dispute has no attachment (its `attachment` is null)."""
    found = dispute_or_404(request.user, dispute_id)
    if not found.attachment:
        raise Http404(f"Dispute {dispute_id} has no attachment.")
    return FileResponse(found.attachment.open("rb"), as_attachment=True, filename=found.attachment_filename(),
                        content_type="application/octet-stream")


@router.post("/disputes", response={201: DisputeWithComments, **problems(400, 403)}, summary="Raise a dispute")
def raise_one(request, body: RaiseIn):
    """Question a paid month's statement: yours (a rep) or a team member's (a manager), on one of its earning
    lines, on a deal, or both. Needs disputes.add_dispute. Attachments are added in the portal."""
    require(request.user, "disputes.add_dispute", "raise disputes")
    month = month_or_404(body.period)
    person = participant_or_404(request.user, body.employee_id, month.end_date)
    try:
        raised = services.raise_dispute(request.user, person, month, body.comment, earning_id=body.earning,
                                        transaction_external_id=body.deal)
    except services.DisputeError as failure:
        raise refused(str(failure)) from None
    return Status(201, dispute_or_404(request.user, raised.pk))


@router.post("/disputes/{dispute_id}/comments", response={201: CommentOut, **problems(400, 403)},
             summary="Comment on a dispute")
def comment(request, dispute_id: Id, body: CommentIn):
    """Add to the conversation of an open or in-review dispute. Needs disputes.add_disputecomment."""
    dispute_or_404(request.user, dispute_id)
    require(request.user, "disputes.add_disputecomment", "comment on disputes")
    try:
        made = services.comment_on(dispute_id, request.user, body.text)
    except services.DisputeError as failure:
        raise refused(str(failure)) from None
    return Status(201, DisputeComment.objects.select_related("author").get(pk=made.pk))


@router.post("/disputes/{dispute_id}/review", response={200: DisputeWithComments, **problems(400, 403)},
             summary="Take a dispute into review")
def review(request, dispute_id: Id):
    """An open dispute becomes in review, assigned to you. Needs disputes.resolve_dispute (comp admins)."""
    return step(request.user, dispute_id, lambda: services.take_into_review(dispute_id, request.user))


@router.post("/disputes/{dispute_id}/resolve", response={200: DisputeWithComments, **problems(400, 403)},
             summary="Resolve a dispute")
def resolve(request, dispute_id: Id, body: ResolveIn):
    """With `amount` and `month`: resolved with a pending adjustment (someone else approves it; its reason names
    the dispute). Without `amount`: resolved without a change. Needs disputes.resolve_dispute."""
    found = dispute_or_404(request.user, dispute_id)
    require(request.user, "disputes.resolve_dispute", "review, resolve or reject disputes")
    if body.amount is None:
        return step(request.user, dispute_id,
                    lambda: services.resolve_without_change(dispute_id, request.user, body.resolution))
    if Decimal(body.amount) == 0:
        raise refused("An adjustment of 0 changes nothing: leave `amount` out to resolve without a change.")
    months = [m.name for m in services.adjustment_months(found)]
    if body.month not in months:
        raise refused(f"Give `month`, the month the adjustment is paid in: one of the next months not paid yet, "
                      f"{', '.join(months)}." if months else
                      "No month after the dispute's is open for an adjustment: open the next month first.")
    return step(request.user, dispute_id, lambda: services.resolve_with_adjustment(
        dispute_id, request.user, Decimal(body.amount), body.month, body.resolution))


@router.post("/disputes/{dispute_id}/reject", response={200: DisputeWithComments, **problems(400, 403)},
             summary="Reject a dispute")
def reject(request, dispute_id: Id, body: RejectIn):
    """`reason` says why; the payee reads it. Needs disputes.resolve_dispute."""
    return step(request.user, dispute_id, lambda: services.reject_dispute(dispute_id, request.user, body.reason))


def step(user, dispute_id: int, take) -> Dispute:
    """A reviewer's step: 404 for a dispute the user may not see, 403 without the permission, 400 if refused."""
    dispute_or_404(user, dispute_id)
    require(user, "disputes.resolve_dispute", "review, resolve or reject disputes")
    try:
        take()
    except services.DisputeError as failure:
        raise refused(str(failure)) from None
    return dispute_or_404(user, dispute_id)
