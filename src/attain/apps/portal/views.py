"""The portal's pages. Each reads people through `access`, so what a user may not see is "not found"."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.payments.statements import StatementError
from attain.apps.portal import access
from attain.apps.portal.forms import LoginForm
from attain.apps.portal.home import rep_home
from attain.apps.portal.paid import earning_detail, shown_statement, statements_of


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own portal, or a page that says why there is none."""
    mine = access.own_participant(request.user)
    if mine is None:
        return render(request, "portal/no_participant.html", status=404)
    return redirect("portal:person", employee_id=mine.employee_id)


@login_required
def person_home(request: HttpRequest, employee_id: str) -> HttpResponse:
    participant = access.participant_or_404(request.user, employee_id, timezone.localdate())
    return render(request, "portal/home.html", {"home": rep_home(participant), "person": participant,
                                                "section": "home"})


@login_required
def statement_list(request: HttpRequest, employee_id: str) -> HttpResponse:
    participant = access.participant_or_404(request.user, employee_id, timezone.localdate())
    return render(request, "portal/statements.html", {"person": participant, "payments": statements_of(participant),
                                                      "section": "statements"})


def statement_of(request: HttpRequest, employee_id: str, period: str):
    """(participant, month, the shown statement or the StatementError saying why there is none), for a person
    the user may see in that month; 404 for an unknown month or a person they may not see."""
    try:
        month = find_period(period)
    except CalculationError:
        raise Http404("There is no such month.") from None
    participant = access.participant_or_404(request.user, employee_id, month.end_date)
    try:
        return participant, month, shown_statement(participant, month)
    except StatementError as missing:
        return participant, month, missing


@login_required
def statement_page(request: HttpRequest, employee_id: str, period: str) -> HttpResponse:
    participant, month, shown = statement_of(request, employee_id, period)
    if isinstance(shown, StatementError):
        return render(request, "portal/no_statement.html", {"person": participant, "month": month,
                                                            "reason": str(shown)}, status=404)
    return render(request, "portal/statement.html", {"person": participant, "shown": shown, "section": "statements"})


@login_required
def earning_page(request: HttpRequest, employee_id: str, earning_id: int) -> HttpResponse:
    earning = (Earning.objects.filter(pk=earning_id, participant__employee_id=employee_id, run__status=CalculationRun.Status.SUCCEEDED)
               .select_related("participant", "plan_version__plan", "period", "for_period", "currency").first())
    if earning is None:
        raise Http404("There is no such earning line.")
    participant = access.participant_or_404(request.user, employee_id, earning.period.end_date)
    template = "portal/earning_detail.html" if request.htmx else "portal/earning.html"
    return render(request, template, {"person": participant, "detail": earning_detail(earning),
                                      "section": "statements"})
