"""The workspace's calculation pages: the year's months with their runs, a month's page with its steps
(calculate, submit for approval, close) and the live progress of a run.

Calculating starts the run in the background (`calc.jobs`) and returns at once; the month's page polls the
run's progress fragment every second (htmx) until it has ended. Every step is a POST calling the service the
CLI calls; what the service refuses comes back as a message in its own words (as on the finance pages).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from attain.apps.calc import approvals, jobs
from attain.apps.calc.models import CalculationRun
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.payments.services import close_period
from attain.apps.portal import finance
from attain.apps.portal.views_finance import REFUSED
from attain.apps.workspace import runs_months, runs_summary
from attain.apps.workspace.access import may_act, workspace_page

DONE = {"calculate": "is being calculated: its progress is below",
        "submit": "is submitted for approval: finance approves it in their workspace",
        "close": "is closed: nothing in it changes again"}
NOT_DONE = {"calculate": "Not calculated", "submit": "Not submitted", "close": "Not closed"}


@require_GET
@workspace_page
def runs(request: HttpRequest) -> HttpResponse:
    """The fiscal year's months with their state and latest run, and the latest runs of any month."""
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() else finance.default_year()
    return render(request, "workspace/data/runs.html", {
        "workspace_section": "runs", "may_act": may_act(request.user), "year": year,
        "years": finance.fiscal_years(), "months": runs_months.year_months(year),
        "latest": runs_months.latest_runs()})


@require_GET
@workspace_page
def month(request: HttpRequest, period: str) -> HttpResponse:
    """A month: its state, its submission, its runs (the one working shown with its progress), the summary of its
    latest successful run and its steps."""
    found = _month(period)
    month_runs = runs_months.month_runs(found)
    working = next((jobs.settle(r) for r in month_runs if r.status == CalculationRun.Status.RUNNING), None)
    if working is not None and working.status != CalculationRun.Status.RUNNING:
        working = None  # its process had died: now shown failed in the list
    return render(request, "workspace/data/month.html", {
        "workspace_section": "runs", "may_act": may_act(request.user), "month": found, "runs": month_runs,
        "working": working, "latest": month_runs[0] if month_runs else None,
        "approval": runs_months.latest_approval(found), "summary": runs_summary.run_summary(found)})


@require_POST
@workspace_page
def month_step(request: HttpRequest, period: str, step: str) -> HttpResponse:
    """calculate (in the background), submit for approval (with an optional note), or close the month."""
    note, name = request.POST.get("note", "").strip(), _month(period).name
    steps = {"calculate": lambda: jobs.start_calculation(name, user=request.user),
             "submit": lambda: approvals.submit(name, request.user, note),
             "close": lambda: close_period(name, user=request.user)}
    if step not in steps:
        raise Http404("There is no such step.")
    try:
        steps[step]()
    except REFUSED as refused:
        messages.error(request, f"{NOT_DONE[step]}: {refused}")
    else:
        messages.success(request, f"{name} {DONE[step]}.")
    return redirect("workspace:month", period=name)


@require_GET
@workspace_page
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress (the fragment the month's page polls); without htmx, the month's page."""
    run = jobs.settle(get_object_or_404(CalculationRun.objects.select_related("period", "created_by"), pk=pk))
    if not request.htmx:
        return redirect("workspace:month", period=run.period.name)
    return render(request, "workspace/data/_progress.html", {"run": run})


def _month(name: str):
    try:
        return find_period(name.replace("\x00", ""))
    except CalculationError:
        raise Http404("There is no such month.") from None
