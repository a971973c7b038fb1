"""The rep's plan pages: the estimator, the plan document with its payout curves and electronic acceptance, and
who has accepted (for managers and comp admins). Each reads people through `access`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.core.services import find_default_calendar
from attain.apps.org.models import Participant
from attain.apps.portal import access
from attain.apps.portal.acceptance import AcceptanceError, accept, acceptances_of, required_plans, standing
from attain.apps.portal.curves import payout_curve_chart, trend_chart
from attain.apps.portal.estimate_form import EstimateForm
from attain.apps.portal.estimator import EstimateError, estimate
from attain.apps.portal.home import first_open_month
from attain.apps.portal.lockout import client_address
from attain.apps.portal.plan_document import DocumentText, plan_documents
from attain.apps.portal.trend import earnings_trend
from attain.engine.payout_curve import payout_curve


@login_required
def estimate_page(request: HttpRequest, employee_id: str) -> HttpResponse:
    today = timezone.localdate()
    participant = access.participant_or_404(request.user, employee_id, today)
    form = EstimateForm(request.GET or None, participant=participant, day=today)
    found, problem = None, None
    if form.is_bound and form.is_valid():
        try:
            found = estimate(participant, form.deal())
        except EstimateError as error:
            problem = str(error)
    context = {"person": participant, "form": form, "estimate": found, "problem": problem, "section": "estimate"}
    template = "portal/estimate_result.html" if request.htmx else "portal/estimate.html"
    return render(request, template, context)


def _year(today: date) -> Period | None:
    """The fiscal year of the open month (or of today when every month is paid)."""
    month = first_open_month()
    calendar = find_default_calendar()
    if calendar is None:
        return None
    years = Period.objects.filter(calendar=calendar, kind=Period.Kind.YEAR)
    if month is not None:
        return years.filter(fiscal_year=month.fiscal_year).first()
    return years.filter(start_date__lte=today, end_date__gte=today).first()


@login_required
def plan_page(request: HttpRequest, employee_id: str) -> HttpResponse:
    today = timezone.localdate()
    participant = access.participant_or_404(request.user, employee_id, today)
    year = _year(today)
    documents = plan_documents(participant, year.start_date, year.end_date) if year else []
    accepted, required = acceptances_of(participant), required_plans()
    shown = [{"doc": d, "accepted": accepted.get(d.version.pk), "required": d.version.plan_id in required,
              "charts": _curves(participant, d, year)} for d in documents]
    return render(request, "portal/plan_document.html", {
        "person": participant, "year": year, "documents": shown, "section": "plan",
        "may_accept": participant.user_id == request.user.pk,
        "has_charts": any(item["charts"] for item in shown)})


def _curves(participant: Participant, shown: DocumentText, year: Period) -> list:
    """A payout curve for each component with a rate table and a quota, the latest attainment marked."""
    latest = {e.component: e for e in Earning.objects.filter(
        participant=participant, plan_version=shown.version, kind=Earning.Kind.EARNING, quota__isnull=False,
        period__fiscal_year=year.fiscal_year, run__status=CalculationRun.Status.SUCCEEDED).select_related("period")
        .order_by("period__start_date", "run__started_at", "pk")}
    charts = []
    for i, component in enumerate(shown.plan.components):
        line = latest.get(component.name)
        if not component.tables or line is None or not line.quota or line.quota <= 0:
            continue
        day = min(max(line.period.end_date, shown.version.valid_from), year.end_date)
        points = payout_curve(component, day, line.quota, target=None)
        if isinstance(points, list):
            charts.append((component.name, payout_curve_chart(f"{shown.version.pk}-{i}", component.name, points,
                                                              shown.plan.currency, line.base / line.quota, day)))
    return charts


@login_required
@require_POST
def accept_plan(request: HttpRequest, employee_id: str, version_id: int) -> HttpResponse:
    today = timezone.localdate()
    participant = access.participant_or_404(request.user, employee_id, today)
    year = _year(today)
    documents = plan_documents(participant, year.start_date, year.end_date) if year else []
    shown = next((d for d in documents if d.version.pk == version_id), None)
    if shown is None:
        raise Http404("This plan version is not one of yours this year.")
    try:
        accept(participant, shown, user=request.user, address=client_address(request),
               user_agent=request.META.get("HTTP_USER_AGENT", ""), sha256=request.POST.get("sha256", ""))
    except AcceptanceError as error:
        messages.error(request, f"Not accepted: {error}.")
    else:
        messages.success(request, f"You accepted {shown.title}.")
    return redirect("portal:plan", employee_id=participant.employee_id)


@login_required
def acceptances_page(request: HttpRequest) -> HttpResponse:
    """Who has accepted the plan version in force, among the people the user may see (managers: their team)."""
    today = timezone.localdate()
    people = list(access.visible_participants(request.user, today).order_by("last_name", "first_name", "employee_id"))
    if access.is_rep(request.user) or not people:
        raise Http404("There is no list of acceptances for you.")
    rows = standing(people, today)
    return render(request, "portal/acceptances.html", {
        "rows": rows, "today": today, "missing": sum(1 for r in rows if r.accepted is None)})


@login_required
def trend_page(request: HttpRequest, employee_id: str) -> HttpResponse:
    """The earnings trend of the open month's fiscal year (the home loads it with htmx; a page of its own without)."""
    participant = access.participant_or_404(request.user, employee_id, timezone.localdate())
    month = first_open_month()
    chart = trend_chart(earnings_trend(participant, month.fiscal_year, month.calendar_id)) if month else None
    template = "portal/trend_part.html" if request.htmx else "portal/trend.html"
    return render(request, template, {"person": participant, "chart": chart, "section": "home"})
