"""In a real browser: a rep logs in, lands on their home, opens a statement and drills into a line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import portal_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path / "portal-var"
    return portal_world.build(settings.VAR_DIR)


def test_a_rep_logs_in_opens_a_statement_and_drills_into_a_line(live_server, page, world):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Ada E-1").wait_for()
    assert page.url.endswith("/portal/people/E-1/")
    expect(page.get_by_text("100,000.00 USD more to reach the 10% tier.")).to_be_visible()
    expect(page.locator('[data-figure="expected-USD"]')).to_have_text("2,500.00")

    page.get_by_role("navigation").get_by_role("link", name="Statements").click()
    page.get_by_role("link", name="FY2026-M02").click()
    page.get_by_role("heading", name="Statement, FY2026-M02").wait_for()
    expect(page.locator('[data-figure="paid"]')).to_have_text("10,000.00")

    summary = page.locator("summary", has_text="E2 Commission")
    summary.focus()
    page.keyboard.press("Enter")  # the line opens from the keyboard
    expect(page.get_by_text(re.compile(r"earned before 12,500\.00, so this period 10,000\.00"))).to_be_visible()
    page.get_by_role("link", name="Deals and rule behind this line").click()  # htmx puts the detail under the line
    detail = page.locator(".earning-detail")
    expect(detail).to_contain_text("bookings: 1 credit in FY2026-M02")
    expect(detail.locator("td").first).to_have_text("A-2")
    assert page.url.endswith("/statements/FY2026-M02/")  # still on the statement


def test_a_rep_typing_another_reps_statement_address_gets_not_found(live_server, page, world):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Ada E-1").wait_for()
    response = page.goto(f"{live_server.url}/portal/people/E-2/statements/FY2026-M01/")
    assert response.status == 404


def test_a_rep_questions_a_statement_line_and_sees_the_dispute_listed(live_server, page, world):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Ada E-1").wait_for()
    page.goto(f"{live_server.url}/portal/people/E-1/statements/FY2026-M02/")
    page.locator("summary", has_text="E2 Commission").click()
    page.get_by_role("link", name="Question this line").click()
    page.get_by_role("heading", name="Question a line of the statement, FY2026-M02").wait_for()
    expect(page.get_by_text("About E2 Commission: 10,000.00 USD in FY2026-M02.")).to_be_visible()
    page.get_by_label("What looks wrong?").fill("Deal A-9 closed on 27 February and is missing.")
    page.get_by_label("Deal (optional)").fill("A-9")
    page.get_by_label("Attachment (optional)").set_input_files(
        files=[{"name": "crm.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 32}])
    page.get_by_role("button", name="Send the question").click()
    page.get_by_role("heading", name=re.compile(r"Dispute \d+ Open")).wait_for()
    expect(page.get_by_text("Deal A-9 closed on 27 February and is missing.")).to_be_visible()
    expect(page.get_by_role("link", name="crm.png")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Disputes").click()
    page.get_by_role("heading", name="My disputes").wait_for()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("FY2026-M02")
    expect(row).to_contain_text("E2 Commission, deal A-9")
    expect(row).to_contain_text("Open")
