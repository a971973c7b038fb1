"""The month's journey across the roles, in a real browser, each role in a browser of its own (issue 5, §9):

1. Ada (rep) opens her February statement, drills into the line and questions it: deal A-9 is missing.
2. Carla (comp admin) takes the dispute into review and resolves it with a 250.00 adjustment paid in March.
3. Fin (finance controller) approves the adjustment (Carla may not: segregation of duties).
4. Carla calculates March in the workspace, watches the run finish and submits March for approval.
5. Fin approves March, pays it and downloads the payroll file: Ada's line is 2,750.00.
6. Ada's March statement shows the adjustment and pays 2,750.00; the PDF she downloads says the same.

The numbers (tests/portal_world.py): March earns 25,000 − 22,500 = 2,500.00 on Ada's year-to-date plan; the
adjustment adds 250.00 (5% of deal A-9's 5,000.00), so March pays 2,750.00.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attain.apps.calc import jobs
from attain.apps.org import roles
from tests import portal_world
from tests.browser_support import ThreadRunner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext (poppler-utils)")]


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path / "journey-var"
    settings.ATTAIN_JOB_RUNNER = "thread"
    monkeypatch.setitem(jobs.RUNNERS, "thread", ThreadRunner)
    made = portal_world.build(settings.VAR_DIR)
    portal_world._login("carla", roles.COMP_ADMIN, None)
    portal_world._login("fin", roles.CONTROLLER, None)
    yield made
    ThreadRunner.wait()


def signed_in(browser, live_server, username: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/(portal|workspace)?.*"))
    return page


def test_a_dispute_becomes_an_adjustment_paid_on_the_next_statement_and_its_pdf(live_server, browser, world,
                                                                                 tmp_path):
    ada = signed_in(browser, live_server, "ada")
    dispute_id = raise_dispute(ada, live_server)

    carla = signed_in(browser, live_server, "carla")
    resolve_with_adjustment(carla, live_server, dispute_id)

    fin = signed_in(browser, live_server, "fin")
    fin.goto(f"{live_server.url}/portal/finance/")
    adjustment = fin.locator("#adjustments + div tr", has_text=f"Dispute {dispute_id}")
    expect(adjustment).to_contain_text("250.00 USD")
    adjustment.get_by_role("button", name="Approve").click()
    expect(fin.locator("#adjustments + div tr", has_text=f"Dispute {dispute_id}")).to_have_count(0)

    calculate_and_submit_march(carla, live_server)

    fin.goto(f"{live_server.url}/portal/finance/")
    fin.get_by_role("button", name="Approve FY2026-M03").click()
    fin.get_by_role("button", name="Pay FY2026-M03").click()
    expect(fin.locator('[data-state="FY2026-M03"]')).to_have_text("paid")
    fin.goto(f"{live_server.url}/portal/finance/months/FY2026-M03/")
    with fin.expect_download() as download:
        fin.get_by_role("button", name="Payroll CSV, attain layout").click()
    payroll = Path(download.value.path()).read_text()
    assert [line.split(",")[:7] for line in payroll.splitlines() if line.startswith("E-1,")] == [
        ["E-1", "Ada E-1", "DEFAULT", "2026-03-31", "COMM", "2750.00", "USD"]]

    ada.goto(f"{live_server.url}/portal/people/E-1/statements/FY2026-M03/")
    ada.get_by_role("heading", name="Statement, FY2026-M03").wait_for()
    expect(ada.locator('[data-figure="paid"]')).to_have_text("2,750.00")
    adjustment_line = ada.locator("tr", has_text=f"Dispute {dispute_id}: A-9 belongs to February")
    expect(adjustment_line).to_contain_text("250.00")
    expect(adjustment_line).not_to_contain_text("2,750.00")
    with ada.expect_download() as download:
        ada.get_by_role("link", name="Download as PDF").click()
    text = pdf_text(Path(download.value.path()))
    assert "Statement, FY2026-M03" in text and re.search(r"Paid\s+2,750\.00", text), text
    assert f"Dispute {dispute_id}: A-9 belongs to February" in " ".join(text.split())


def raise_dispute(ada, live_server) -> int:
    ada.goto(f"{live_server.url}/portal/people/E-1/statements/FY2026-M02/")
    ada.locator("summary", has_text="E2 Commission").click()
    ada.get_by_role("link", name="Question this line").click()
    ada.get_by_label("What looks wrong?").fill("Deal A-9 closed on 27 February and is missing.")
    ada.get_by_label("Deal (optional)").fill("A-9")
    ada.get_by_role("button", name="Send the question").click()
    heading = ada.get_by_role("heading", name=re.compile(r"Dispute \d+ Open"))
    heading.wait_for()
    return int(re.search(r"Dispute (\d+)", heading.inner_text()).group(1))


def resolve_with_adjustment(carla, live_server, dispute_id: int) -> None:
    carla.goto(f"{live_server.url}/portal/disputes/")
    carla.get_by_role("link", name=f"Dispute {dispute_id}", exact=False).first.click()
    carla.get_by_role("button", name="Take into review").click()
    carla.get_by_label("Answer to the payee").fill("A-9 belongs to February: 5% of 5,000.00 paid now.")
    carla.get_by_label("Adjustment (optional)").fill("250.00")
    carla.get_by_label("Paid in").select_option("FY2026-M03")
    carla.get_by_role("button", name="Resolve").click()
    expect(carla.get_by_role("heading", name=re.compile(rf"Dispute {dispute_id} Resolved"))).to_be_visible()


def calculate_and_submit_march(carla, live_server) -> None:
    carla.goto(f"{live_server.url}/workspace/months/FY2026-M03/")
    carla.get_by_role("button", name="Calculate FY2026-M03").click()
    progress = carla.locator(".run-progress")
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=60000)
    ThreadRunner.wait()  # its lineage files are written before the month is submitted
    carla.goto(f"{live_server.url}/workspace/months/FY2026-M03/")
    carla.get_by_label("Note for the approver (optional)").fill("March with Ada's dispute adjustment")
    carla.get_by_role("button", name="Submit FY2026-M03 for approval").click()
    expect(carla.get_by_role("status")).to_contain_text("FY2026-M03")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
