"""Statement PDFs kept in VAR_DIR once laid out, so a second download does not run WeasyPrint again.

A PDF is kept under `statements/<employee id>/<month>-payrun<id>/<digest>.pdf`, the digest being the SHA-256 of
the HTML it is laid out from (`statement_pdf.statement_html`), which holds every figure, name and date the PDF
shows. A new payment run of the month, an adjustment or a recalculation paid by it, another year to date, a
renamed payee, or the next day's "made on" date each make another page, so another digest and another PDF:
a stale PDF is never served. Writing one removes the folder's older PDFs; files are written whole (to a
temporary name, then renamed), so a reader in another thread or process never reads half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

from attain.apps.portal.paid import ShownStatement
from attain.apps.portal.statement_pdf import pdf_of, statement_html


def cached_pdf(shown: ShownStatement) -> bytes:
    """The statement's PDF: the kept one when its page has not changed, else laid out now and kept."""
    html = statement_html(shown)
    path = pdf_path(shown, hashlib.sha256(html.encode()).hexdigest())
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    pdf = pdf_of(html)
    _keep(path, pdf)
    return pdf


def pdf_path(shown: ShownStatement, digest: str) -> Path:
    paid = shown.statement
    person = "".join(c for c in paid.participant.employee_id if c.isalnum() or c in "-_") or "participant"
    month = "".join(c for c in paid.period if c.isalnum() or c in "-_")
    folder = f"{month}-{paid.currency}-payrun{paid.payment.run_id}"
    return Path(settings.VAR_DIR) / "statements" / f"{person}-{paid.participant.pk}" / folder / f"{digest}.pdf"


def _keep(path: Path, pdf: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    for older in path.parent.glob("*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
