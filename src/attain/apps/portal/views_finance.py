"""The finance workspace (`/portal/finance/`): the year's months and the approval queue, a paid month's payroll and
journal files with its trial balance, and the accrual and deferred-commission reports.

Finance approvers, finance controllers and administrators act; comp admins may look; anyone else gets 403.
Every step is a POST (CSRF) calling the service the CLI calls; what the service refuses (maker–checker,
escalation, the order of months) comes back as a message in its own words, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attain.apps.calc import approvals
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.payments import adjustments
from attain.apps.payments.attribution import LineageMissing
from attain.apps.payments.exports import ExportError
from attain.apps.payments.services import PaymentError, close_period, pay_period
from attain.apps.portal import finance, finance_books
from attain.engine.accounting import AccountingError
from attain.engine.exports.payroll import PayrollExportError
from attain.engine.money import show_amount

# what a step or an export may refuse with: each message says why and what to do
REFUSED = (approvals.ApprovalError, CalculationError, PaymentError, adjustments.AdjustmentError, ExportError,
           PayrollExportError, AccountingError, LineageMissing)


def finance_page(view: Callable) -> Callable:
    """Signed in, and a finance role (or a comp admin, who may look): otherwise 403. A POST needs a finance role."""
    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        allowed = finance.may_act(request.user) if request.method == "POST" else finance.may_look(request.user)
        if not allowed:
            raise PermissionDenied("The finance workspace is for finance approvers, controllers and administrators.")
        return view(request, *args, **kwargs)
    return checked


@require_GET
@finance_page
def queue(request: HttpRequest) -> HttpResponse:
    """The fiscal year's months with their state, the submissions waiting, and the adjustments waiting."""
    year = _year(request)
    return render(request, "portal/finance.html", {
        "finance_section": "queue", "year": year, "years": finance.fiscal_years(),
        "months": finance.year_months(year) if year else [], "waiting": finance.waiting(year, request.user) if year else [],
        "adjustments": finance.pending_adjustments(), "may_act": finance.may_act(request.user)})


@require_POST
@finance_page
def month_step(request: HttpRequest, period: str, step: str) -> HttpResponse:
    """approve, reject (with a reason), pay or close the month."""
    note = request.POST.get("note", "").strip()
    steps = {"approve": lambda: approvals.approve(period, request.user, note),
             "reject": lambda: approvals.reject(period, request.user, note),
             "pay": lambda: pay_period(period, user=request.user),
             "close": lambda: close_period(period, user=request.user)}
    if step not in steps:
        raise Http404("There is no such step.")
    done = {"approve": "approved: ready to pay", "reject": "rejected: back to the comp admin",
            "pay": "paid: the payroll and journal files are ready", "close": "closed: nothing in it changes again"}
    try:
        steps[step]()
    except REFUSED as refused:
        messages.error(request, f"Not {_past(step)}: {refused}")
    else:
        messages.success(request, f"{period.upper()} {done[step]}.")
    return redirect(_back(request, period))


@require_POST
@finance_page
def adjustment_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """approve or reject (with a reason) a pending manual adjustment."""
    note = request.POST.get("note", "").strip()
    if step not in ("approve", "reject"):
        raise Http404("There is no such step.")
    try:
        if step == "approve":
            decided = adjustments.approve_adjustment(pk, request.user, note)
        else:
            decided = adjustments.reject_adjustment(pk, request.user, note)
    except REFUSED as refused:
        messages.error(request, f"Not {_past(step)}: {refused}")
    else:
        messages.success(request, f"Adjustment {decided.pk} ({decided.participant.employee_id}, {show_amount(decided.amount)} "
                                  f"{decided.currency_id}) {_past(step)}.")
    return redirect("portal:finance")


@require_GET
@finance_page
def month_page(request: HttpRequest, period: str) -> HttpResponse:
    """A month's state and, once paid, its files and trial balance."""
    month = _month(period)
    balance, problem = [], ""
    if month.state in finance.BOOKED:
        try:
            balance = finance_books.trial_balance(month.name)
        except REFUSED as refused:
            problem = str(refused)
    return render(request, "portal/finance_month.html", {
        "finance_section": "queue", "month": month, "balance": balance, "problem": problem,
        "layouts": finance_books.payroll_layouts(), "may_act": finance.may_act(request.user),
        "totals": _balance_totals(balance)})


@require_GET
@finance_page
def payroll_file(request: HttpRequest, period: str) -> HttpResponse:
    month = _month(period)
    layout = request.GET.get("layout", "attain")
    try:
        pay_date = date.fromisoformat(request.GET["pay_date"]) if request.GET.get("pay_date") else None
        settings = {key.removeprefix("setting_"): value.strip() for key, value in request.GET.items()
                    if key.startswith("setting_") and value.strip()}
        made = finance_books.payroll_download(month.name, layout, pay_date, request.GET.get("earning_code", "COMM"),
                                              settings)
    except (*REFUSED, ValueError) as refused:
        messages.error(request, f"No payroll file: {refused}")
        return redirect("portal:finance-month", period=month.name)
    if made is None:
        messages.info(request, f"Nobody is paid anything in {month.name}: no payroll file.")
        return redirect("portal:finance-month", period=month.name)
    return _attachment(made)


@require_GET
@finance_page
def journal_file(request: HttpRequest, period: str) -> HttpResponse:
    month = _month(period)
    try:
        made = finance_books.journal_download(month.name)
    except REFUSED as refused:
        messages.error(request, f"No journal file: {refused}")
        return redirect("portal:finance-month", period=month.name)
    return _attachment(made)


@require_GET
@finance_page
def reports(request: HttpRequest) -> HttpResponse:
    """The deferred-commission roll-forward for a range of months, and the fiscal year's accrual."""
    year = _year(request)
    months = finance.year_months(year) if year else []
    names = [m.period.name for m in months]
    booked = [m.period.name for m in months if m.period.state in finance.BOOKED]
    last = request.GET.get("to") or (booked[-1] if booked else (names[-1] if names else None))
    first = request.GET.get("from") or (names[0] if names else None)
    rows, problem, start = [], "", None
    if last:
        try:
            start, _, rows = finance_books.roll_forward(first, last)
        except REFUSED as refused:
            problem = str(refused)
    return render(request, "portal/finance_reports.html", {
        "finance_section": "reports", "year": year, "years": finance.fiscal_years(), "names": names, "first": first,
        "last": last, "rows": rows, "problem": problem, "start": start,
        "accrual": finance.accrual(year) if year else None})


def _year(request: HttpRequest) -> int | None:
    asked = request.GET.get("year", "")
    return int(asked) if asked.isdigit() else finance.default_year()


def _month(name: str):
    try:
        return find_period(name)
    except CalculationError:
        raise Http404("There is no such month.") from None


def _back(request: HttpRequest, period: str) -> str:
    """Back to where the form was (the queue, or the month's page); never to another site."""
    target = request.POST.get("next", "")
    month_page_url = reverse("portal:finance-month", args=[period.upper()])
    return target if target in (reverse("portal:finance"), month_page_url) else reverse("portal:finance")


def _past(step: str) -> str:
    return {"approve": "approved", "reject": "rejected", "pay": "paid", "close": "closed"}[step]


def _balance_totals(balance) -> list[tuple[str, object, object]]:
    totals: dict[str, list] = {}
    for row in balance:
        pair = totals.setdefault(row.currency, [0, 0])
        pair[0] += row.debits
        pair[1] += row.credits
    return [(currency, debits, credits) for currency, (debits, credits) in sorted(totals.items())]


def _attachment(made: finance_books.Download) -> HttpResponse:
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response
