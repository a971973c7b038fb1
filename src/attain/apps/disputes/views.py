"""The dispute pages (under /portal/): raise one from a statement, follow it, and the comp admin's queue.

Every page reads people through `portal.access` and disputes through `disputes.access`: a dispute, a person or
an earning line the user may not see is "not found". Every form posts with its CSRF token; the pages need no
JavaScript.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attain.apps.calc.services import CalculationError, find_period
from attain.apps.disputes import services
from attain.apps.disputes.access import may_read, may_review, visible_disputes
from attain.apps.disputes.forms import CommentForm, RaiseForm, RejectForm, ResolveForm
from attain.apps.disputes.models import Dispute
from attain.apps.portal import access
from attain.apps.sales.models import Transaction

PAGE_SIZE = 50
Status = Dispute.Status


@login_required
def raise_dispute(request: HttpRequest, employee_id: str, period: str) -> HttpResponse:
    """The form to question a statement (`?line=` an earning line of it), and raising it."""
    if not request.user.has_perm("disputes.add_dispute"):
        raise Http404("You may not raise disputes.")
    try:
        month = find_period(period)
    except CalculationError:
        raise Http404("There is no such month.") from None
    participant = access.participant_or_404(request.user, employee_id, month.end_date)
    earning_id, line = request.POST.get("line") or request.GET.get("line") or "", None
    if earning_id:
        line = services.statement_line(participant, month, int(earning_id)) if earning_id.isdigit() else None
        if line is None:
            raise Http404("There is no such line on this statement.")
    form = RaiseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.raise_dispute(request.user, participant, month, form.cleaned_data["comment"],
                                             earning_id=int(earning_id) if line else None,
                                             transaction_external_id=form.cleaned_data["deal"],
                                             attachment=form.cleaned_data["attachment"])
        except services.DisputeError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("portal:dispute", pk=dispute.pk)
    return render(request, "disputes/raise.html", {"person": participant, "month": month, "line": line,
                                                   "earning_id": earning_id, "form": form, "section": "disputes"})


@login_required
def person_disputes(request: HttpRequest, employee_id: str) -> HttpResponse:
    """"My disputes": a person's disputes, the newest first."""
    if not may_read(request.user):
        raise Http404("You may not read disputes.")
    participant = access.participant_or_404(request.user, employee_id, timezone.localdate())
    disputes = (visible_disputes(request.user).filter(participant=participant)
                .select_related("period", "raised_by").order_by("-created_at", "-pk"))
    return render(request, "disputes/person_list.html", {"person": participant, "disputes": disputes,
                                                         "section": "disputes"})


@login_required
def dispute_queue(request: HttpRequest) -> HttpResponse:
    """The disputes the user may read, open and in review first (the oldest first), filtered by status."""
    if not request.user.has_perm("disputes.view_dispute"):
        raise Http404("You have no dispute queue.")
    mine = visible_disputes(request.user)
    status = request.GET.get("status", "")
    counts = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    shown = mine.filter(status=status) if status in Status.values else mine
    shown = (shown.select_related("participant", "period", "raised_by", "assigned_to")
             .annotate(closed=Case(When(status__in=[Status.RESOLVED, Status.REJECTED], then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
             .order_by("closed", "created_at", "pk"))
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [("", "All", sum(counts.values()))] + [(s.value, s.label, counts.get(s.value, 0)) for s in Status]
    return render(request, "disputes/queue.html", {"page": page, "status": status if status in Status.values else "",
                                                   "tabs": tabs, "reviewer": may_review(request.user)})


@login_required
def dispute_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _dispute_page(request, _readable(request, pk))


def _dispute_page(request: HttpRequest, dispute: Dispute, status: int = 200, **forms) -> HttpResponse:
    reviewer = may_review(request.user)
    months = services.adjustment_months(dispute) if reviewer and not dispute.is_closed else []
    deal = None
    if reviewer and dispute.transaction_external_id:
        deal = (Transaction.objects.filter(external_id=dispute.transaction_external_id)
                .select_related("account", "owner_position").first())
    context = {"dispute": dispute, "person": dispute.participant, "section": "disputes", "reviewer": reviewer,
               "comments": dispute.comments.select_related("author"), "deal": deal, "months": months,
               "may_comment": request.user.has_perm("disputes.add_disputecomment") and not dispute.is_closed,
               "comment_form": forms.get("comment_form") or CommentForm(),
               "resolve_form": forms.get("resolve_form") or ResolveForm(months=months,
                                                                         initial={"month": months[0].name if months
                                                                                  else ""}),
               "reject_form": forms.get("reject_form") or RejectForm(), "error": forms.get("error", ""),
               "layout": "disputes/reviewer_base.html" if reviewer else "portal/person_base.html"}
    return render(request, "disputes/dispute.html", context, status=status)


@login_required
def dispute_attachment(request: HttpRequest, pk: int) -> FileResponse:
    dispute = _readable(request, pk)
    if not dispute.attachment:
        raise Http404("This dispute has no attachment.")
    return FileResponse(dispute.attachment.open("rb"), as_attachment=True,
                        filename=dispute.attachment_filename())


@require_POST
@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _readable(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _dispute_page(request, dispute, 400, comment_form=form)
    return _step(request, dispute, lambda: services.comment_on(pk, request.user, form.cleaned_data["text"]),
                 comment_form=form)


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _readable(request, pk)
    return _step(request, dispute, lambda: services.take_into_review(pk, request.user))


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _readable(request, pk)
    form = ResolveForm(request.POST, months=services.adjustment_months(dispute))
    if not form.is_valid():
        return _dispute_page(request, dispute, 400, resolve_form=form)
    data = form.cleaned_data
    if data["amount"]:
        def step():
            return services.resolve_with_adjustment(pk, request.user, data["amount"], data["month"],
                                                    data["resolution"])
    else:
        def step():
            return services.resolve_without_change(pk, request.user, data["resolution"])
    return _step(request, dispute, step, resolve_form=form)


@require_POST
@login_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _readable(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _dispute_page(request, dispute, 400, reject_form=form)
    return _step(request, dispute, lambda: services.reject_dispute(pk, request.user, form.cleaned_data["reason"]),
                 reject_form=form)


def _step(request: HttpRequest, dispute: Dispute, step, **forms) -> HttpResponse:
    """Take the step; back to the dispute page (a fresh GET), or the page again with why it was refused."""
    try:
        step()
    except services.DisputeError as refused:
        return _dispute_page(request, dispute, 400, error=str(refused), **forms)
    return redirect("portal:dispute", pk=dispute.pk)


def _readable(request: HttpRequest, pk: int) -> Dispute:
    dispute = (visible_disputes(request.user).filter(pk=pk)
               .select_related("participant", "period", "raised_by", "assigned_to", "decided_by",
                               "adjustment__applies_from", "adjustment__first_period", "adjustment__decided_by").first())
    if dispute is None:
        raise Http404("No dispute you may see has this number.")
    return dispute
