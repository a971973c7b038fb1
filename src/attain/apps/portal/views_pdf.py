"""The statement as a PDF download: the same person, month and row-level security as the statement page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from attain.apps.calc.services import CalculationError, find_period
from attain.apps.payments.statements import StatementError
from attain.apps.portal import access
from attain.apps.portal.paid import shown_statement
from attain.apps.portal.statement_pdf import pdf_filename, render_pdf


@login_required
def statement_pdf(request: HttpRequest, employee_id: str, period: str) -> HttpResponse:
    try:
        month = find_period(period)
    except CalculationError:
        raise Http404("There is no such month.") from None
    participant = access.participant_or_404(request.user, employee_id, month.end_date)
    try:
        shown = shown_statement(participant, month)
    except StatementError as missing:
        raise Http404(str(missing)) from None
    response = HttpResponse(render_pdf(shown), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(shown)}"'
    return response
