"""A statement as a PDF: the statement page's own figures and template parts (statement_body.html), laid out
for print by WeasyPrint with the fonts installed on the machine (DejaVu); nothing is fetched."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.portal.paid import ShownStatement, shown_statement


def statement_pdf(participant: Participant, period: str | Period) -> bytes:
    """The PDF of the participant's statement of a paid month; StatementError if there is none."""
    return render_pdf(shown_statement(participant, period))


def render_pdf(shown: ShownStatement) -> bytes:
    return pdf_of(statement_html(shown))


def statement_html(shown: ShownStatement) -> str:
    """The page the PDF is laid out from: every figure, name and date the PDF shows is in it."""
    return render_to_string("portal/statement_pdf.html", {"shown": shown, "person": shown.statement.participant,
                                                          "made_on": timezone.localdate()})


def pdf_of(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a moment, and only PDFs need it

    return HTML(string=html, url_fetcher=_fetcher(), base_url=".").write_pdf()


def pdf_filename(shown: ShownStatement) -> str:
    """statement-E1057-FY2026-M03.pdf"""
    safe = "".join(c for c in shown.statement.participant.employee_id if c.isalnum() or c in "-_")
    return f"statement-{safe}-{shown.statement.period}.pdf"


def _fetcher():
    from weasyprint import URLFetcher

    class FetchNothing(URLFetcher):
        """The statement names no file, image or address: anything asked for is refused, never fetched."""

        def fetch(self, url, headers=None):
            raise ValueError(f"a statement PDF fetches nothing (asked for {url}): every style is in the template")

    return FetchNothing(allowed_protocols=())
