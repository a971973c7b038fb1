"""The statement PDF: a real PDF (read back with poppler's pdftotext) with the statement page's own figures,
behind the same row-level security, and from the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli.main import app
from tests import portal_world
from tests.test_portal_pages import figures

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext (poppler-utils)")]
world, lineage = portal_world.world, portal_world.lineage


def pdf_text(data: bytes, tmp_path: Path) -> str:
    assert data.startswith(b"%PDF-")
    path = tmp_path / "statement.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"[ \t]+", " ", out)


@pytest.fixture
def ada(world, lineage, client):
    client.force_login(world.users["ada"])
    return client


def test_the_pdf_is_the_statement_page_as_a_download_with_the_same_figures(ada, tmp_path):
    page = ada.get("/portal/people/E-1/statements/FY2026-M02/").content.decode()
    assert 'href="/portal/people/E-1/statements/FY2026-M02/pdf" download>Download as PDF</a>' in page
    shown = figures(page)
    assert shown == {"paid": "10,000.00", "ytd-earned": "22,500.00", "ytd-adjustments": "0.00",
                     "ytd-paid": "22,500.00"}

    response = ada.get("/portal/people/E-1/statements/FY2026-M02/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement-E-1-FY2026-M02.pdf"'
    text = pdf_text(response.content, tmp_path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "Statement, FY2026-M02" in lines
    assert "Ada E-1 (E-1) · paid in USD" in lines
    assert "E2 Commission 10,000.00 USD" in lines  # the one statement line, as on the page
    assert f"Paid {shown['paid']} USD" in lines
    assert "Owed after this month 0.00 USD" in lines
    assert "Draw owed after this month 0.00 USD" in lines
    ytd = lines[lines.index("Year to date, up to FY2026-M02"):]
    assert ytd[1:4] == [f"Earned {shown['ytd-earned']} USD", f"Adjustments {shown['ytd-adjustments']} USD",
                        f"Paid {shown['ytd-paid']} USD"]
    assert "earned before 12,500.00, so this period 10,000.00" in " ".join(lines)  # the line's why, as on the page


def test_the_pdf_keeps_the_row_level_security_of_the_page(world, lineage, client):
    client.force_login(world.users["bo"])
    assert client.get("/portal/people/E-1/statements/FY2026-M02/pdf").status_code == 404
    assert client.get("/portal/people/E-2/statements/FY2026-M02/pdf").status_code == 200
    assert client.get("/portal/people/E-2/statements/FY2026-M03/pdf").status_code == 404  # not paid
    client.logout()
    assert client.get("/portal/people/E-2/statements/FY2026-M02/pdf").status_code == 302  # to the login


def test_the_command_line_writes_the_same_pdf(world, lineage, tmp_path):
    out = tmp_path / "out" / "statement.pdf"
    result = CliRunner().invoke(app, ["statement", "E-1", "FY2026-M01", "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert f"PDF: {out}" in result.output.replace("\n", "")
    lines = [line.strip() for line in pdf_text(out.read_bytes(), tmp_path).splitlines()]
    assert "E2 Commission 12,500.00 USD" in lines and "Paid 12,500.00 USD" in lines
