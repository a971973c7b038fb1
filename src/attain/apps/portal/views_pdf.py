"""The statement as a PDF download: the same person, month and row-level security as the statement page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from attain.apps.payments.statements import StatementError
from attain.apps.portal.pdf_cache import cached_pdf
from attain.apps.portal.statement_pdf import pdf_filename
from attain.apps.portal.views import statement_of


@login_required
def statement_pdf(request: HttpRequest, employee_id: str, period: str) -> HttpResponse:
    _, _, shown = statement_of(request, employee_id, period)
    if isinstance(shown, StatementError):
        raise Http404(str(shown))
    response = HttpResponse(cached_pdf(shown), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(shown)}"'
    return response
