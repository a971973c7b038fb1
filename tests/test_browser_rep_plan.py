"""In a real browser: a rep opens their plan, accepts it, opens the estimator and sees the estimate change as they
type."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import portal_world
from tests.browser_support import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path / "portal-var"
    return portal_world.build(settings.VAR_DIR)


def test_a_rep_accepts_their_plan_and_estimates_a_deal_as_they_type(live_server, page, world, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Ada E-1").wait_for()
    expect(page.get_by_role("heading", name="Earnings by month")).to_be_visible()
    page.locator("#earnings-trend .main-svg").first.wait_for()  # loaded by htmx, then drawn
    shot(page, "rep-home.png", tmp_path)

    page.get_by_role("navigation").get_by_role("link", name="My plan").click()
    page.get_by_role("heading", name="Year-to-date true-up (E2), version 1").wait_for()
    expect(page.get_by_text("Not yet accepted.")).to_be_visible()
    page.locator("[data-chart] .main-svg").first.wait_for()
    shot(page, "rep-plan-document.png", tmp_path)
    page.get_by_role("button", name="I have read and accept E2 version 1").click()
    expect(page.get_by_text("You accepted Year-to-date true-up (E2), version 1.")).to_be_visible()
    expect(page.get_by_text("Accepted on")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Estimator").click()
    page.get_by_label("Close date").fill("2026-03-20")
    page.get_by_label("Amount").fill("40000")  # 540,000 to date: 40,000 × 5%
    expect(page.locator('[data-figure="estimate-extra"]')).to_have_text("2,000.00")
    page.get_by_label("Amount").fill("150000")  # crosses 600,000: 100,000 × 5% + 50,000 × 10%
    expect(page.locator('[data-figure="estimate-extra"]')).to_have_text("10,000.00")
    expect(page.get_by_text("The deal crosses 100% of quota")).to_be_visible()
    shot(page, "rep-estimator.png", tmp_path)
