"""In a real browser: a manager logs in, lands on the team page, sees the attainment histogram drawn by plotly.js
(served by the app) and the leaderboard, and opens a rep's statement."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import team_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path / "team-var"
    return team_world.build(settings.VAR_DIR)


def test_a_manager_sees_the_histogram_and_the_leaderboard_and_opens_a_reps_statement(live_server, page, team):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(team_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your team").wait_for()
    assert page.url.endswith("/portal/team/")
    histogram = page.locator("#attainment-distribution")
    expect(histogram.locator("svg.main-svg").first).to_be_attached()  # drawn by plotly.js
    expect(histogram.locator(".bars .point")).to_have_count(16)
    expect(page.get_by_role("img", name="Attainment on bookings, FY2026-M03: 2 of 4 at or above 100%")).to_be_visible()
    board = page.locator("table.leaderboard tbody tr")
    expect(board).to_have_count(4)
    expect(board.first).to_contain_text("Cy E-3")
    expect(board.nth(3)).to_contain_text("at risk")

    page.get_by_role("combobox", name="Month").select_option("FY2026-M02")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("numbers from FY2026-M02").wait_for()
    page.locator("tr", has_text="Ada E-1").get_by_role("link", name="Statement").click()
    page.get_by_role("heading", name="Statement, FY2026-M02").wait_for()
    expect(page.locator('[data-figure="paid"]')).to_have_text("10,000.00")
    expect(page.get_by_role("note")).to_contain_text("You are looking at Ada E-1's pay (E-1), read-only.")
