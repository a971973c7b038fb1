"""In a real browser: a comp admin opens a plan, makes a draft, types an error and sees it flagged, fixes it, saves,
runs the scenario tests and opens the what-if with its charts.

Set ATTAIN_SCREENSHOTS=1 to write docs/screenshots/workspace-plan-editor.png, workspace-plan-tests.png and
workspace-whatif.png from this run.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import plans_ws_world
from tests.browser_support import shot
from tests.test_calculate import E2_PLAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return plans_ws_world.build()


def test_a_comp_admin_drafts_checks_tests_and_compares_a_plan(live_server, page, world, tmp_path):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill(plans_ws_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/workspace/plans/")
    page.get_by_role("rowheader").get_by_role("link", name="v1").click()
    page.get_by_label("Valid from (YYYY-MM-DD)").fill("2027-01-01")
    page.get_by_role("button", name="Make a new draft").click()
    page.get_by_role("heading", name="Edit the draft").wait_for()
    assert page.url.endswith("/workspace/plans/E2/v2/")

    yaml_view = page.get_by_label("The plan document")
    yaml_view.fill(E2_PLAN.replace("rate: 0.10", "rate: ten"))
    yaml_view.press("End")  # a keystroke: htmx posts the text half a second later
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Line 20 component 'Commission', rate_table (tier or point 2): tier 2 'rate' "
                                     "'ten' is not a number (write it like 0.04 or 1250)")
    shot(page, "workspace-plan-editor.png", tmp_path)
    yaml_view.fill(E2_PLAN.replace("rate: 0.10", "rate: 0.15"))
    yaml_view.press("End")
    expect(problems).to_contain_text("The document is a valid plan")
    expect(page.get_by_label("Commission, tier 2, rate")).to_have_value("0.15")  # the form follows the YAML
    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.get_by_text("Draft v2 saved.")).to_be_visible()

    page.get_by_role("link", name="Scenario tests of this version").click()
    page.get_by_label("Scenario file (YAML)").fill(plans_ws_world.SCENARIO)
    page.get_by_role("button", name="Run against v2").click()
    expect(page.get_by_role("heading", name="Results: 0 of 1 passed")).to_be_visible()
    expect(page.locator("table.differences tbody tr")).to_have_text(
        "E-1CommissionFY2026-M0222,500.0025,000.002,500.00")
    shot(page, "workspace-plan-tests.png", tmp_path)

    page.get_by_role("link", name="E2 v2").click()
    page.get_by_role("link", name="What-if: compare with the live plan").click()
    page.get_by_label("Year to the end of").select_option("FY2026-M03")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".whatif-summary")).to_contain_text("Total earnings40,000.0042,500.002,500.00")
    expect(page.locator("#whatif-payees.drawn")).to_be_visible()  # drawn by plotly.js after the htmx swap
    assert "compare=1" in page.url  # the comparison has its own address
    shot(page, "workspace-whatif.png", tmp_path)
