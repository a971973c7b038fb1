"""The statement PDF is laid out once and kept in VAR_DIR; any change to what it shows makes a new one, never a
stale one (tests/portal_world.py: Ada's February statement pays 10,000.00 USD)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from attain.apps.payments.models import Payment
from attain.apps.portal import pdf_cache
from tests import portal_world
from tests.test_statement_pdf import pdf_text

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext (poppler-utils)")]
world, lineage = portal_world.world, portal_world.lineage
URL = "/portal/people/E-1/statements/FY2026-M02/pdf"


@pytest.fixture
def laid_out(monkeypatch):
    """How many times WeasyPrint lays a PDF out."""
    calls = []
    real = pdf_cache.pdf_of

    def counted(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf_cache, "pdf_of", counted)
    return calls


def test_a_second_download_is_the_kept_pdf(world, lineage, client, laid_out, settings,
                                           django_assert_max_num_queries):
    client.force_login(world.users["ada"])
    for kept in (Path(settings.VAR_DIR) / "statements").rglob("*.pdf"):
        kept.unlink()  # another test of this module may have kept it (the world's var folder)
    first = client.get(URL)
    with django_assert_max_num_queries(13):  # the statement page's queries: the PDF adds none
        second = client.get(URL)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert len(laid_out) == 1
    payment = Payment.objects.get(participant=world.ada, period__name="FY2026-M02")
    (kept,) = (Path(settings.VAR_DIR) / "statements").rglob("*.pdf")
    assert kept.parent.name == f"FY2026-M02-USD-payrun{payment.run_id}" and kept.read_bytes() == first.content


def test_a_changed_statement_makes_a_new_pdf_never_the_stale_one(world, lineage, client, laid_out, settings,
                                                                  tmp_path):
    client.force_login(world.users["ada"])
    before = client.get(URL).content
    assert "10,000.00" in pdf_text(before, tmp_path)
    # as if the month had been paid again with a correction: the payment now pays 10,250.00
    made = len(laid_out)  # 0, or 1 when another test of this module kept it first (the world's var folder)
    Payment.objects.filter(participant=world.ada, period__name="FY2026-M02").update(paid=Decimal("10250.0000"))
    after = client.get(URL).content
    assert len(laid_out) == made + 1 and after != before
    assert "10,250.00" in pdf_text(after, tmp_path)
    (kept,) = (Path(settings.VAR_DIR) / "statements").rglob("*.pdf")  # the older one is removed
    assert kept.read_bytes() == after
