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
