"""In a real browser: a comp admin previews an import with an error, imports the valid rows, calculates a month and
watches its progress until it is done, then opens the results.

The calculation works in a thread of the test server (sharing its database connection, as the live server's
threads do), a little slowed down per step, so the page's polling (htmx, every second) shows it working. With
ATTAIN_SCREENSHOTS=1 the pages are saved to docs/screenshots/.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from attain.apps.calc import jobs
from tests import portal_world
from tests.browser_support import ThreadRunner, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ACCOUNTS = ("external_id,name,country,segment\nN-1,Northwind,US,smb\nN-2,Contoso,DE,enterprise\n"
            "N-3,Fabrikam,US,huge\n")


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path / "workspace-var"
    settings.ATTAIN_JOB_RUNNER = "thread"
    monkeypatch.setitem(jobs.RUNNERS, "thread", ThreadRunner)
    report = jobs.Reporter.__call__
    monkeypatch.setattr(jobs.Reporter, "__call__", lambda self, step: (report(self, step), time.sleep(1.2)))
    made = portal_world.build(settings.VAR_DIR)
    admin = made.users["compadmin"] = portal_world._login("compadmin", "Comp admin", None)
    return made, admin


def test_a_comp_admin_imports_calculates_watches_the_run_and_reads_the_results(live_server, page, world, tmp_path):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("compadmin")
    page.get_by_label("Password").fill(portal_world.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/workspace/")
    page.get_by_role("link", name="Imports").first.click()

    page.get_by_label("What the file holds").select_option("accounts")
    page.locator("input#file").set_input_files(files=[{"name": "accounts-march.csv", "mimeType": "text/csv",
                                                      "buffer": ACCOUNTS.encode()}])
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview of accounts-march.csv as accounts").wait_for()
    expect(page.locator('[data-figure="created"]')).to_have_text("2")
    expect(page.locator('[data-figure="rejected"]')).to_have_text("1")
    problem = page.locator('tr[data-problem-row="4"]')
    expect(problem).to_contain_text("segment")
    expect(problem).to_contain_text("'huge' is not one of enterprise, mid_market, smb")
    shot(page, "workspace-import-preview.png", tmp_path)
    page.get_by_label("Why (kept in the audit log, optional)").fill("March CRM export")
    page.get_by_role("button", name="Import the 2 valid rows and reject 1").click()
    expect(page.locator('[data-figure="imported-created"]')).to_have_text("2")
    expect(page.get_by_role("link", name="Download the 1 rejected row with their reasons (CSV)")).to_be_visible()

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Runs and months").click()
    page.get_by_role("button", name="Calculate FY2026-M03").click()
    expect(page.get_by_text("FY2026-M03 is being calculated: its progress is below.")).to_be_visible()
    progress = page.locator(".run-progress")
    expect(progress.locator("[data-run-step]")).to_contain_text("Calculating", timeout=30000)  # polled while it works (a busy CI machine starts it late)
    expect(progress.locator("progress")).not_to_have_attribute("value", "0", timeout=30000)  # a step done
    shot(page, "workspace-run-progress.png", tmp_path)
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=90000)
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    progress.get_by_role("link", name="See the results").click()

    page.get_by_role("heading", name="Results, FY2026-M03").wait_for()
    expect(page.locator('[data-figure="total-USD"]')).to_have_text("2,500.00")  # Ada's March: 25,000 − 22,500
    expect(page.locator("table.results tbody tr")).to_have_count(1)
    shot(page, "workspace-results.png", tmp_path)
    page.get_by_role("link", name="Why").first.click()
    page.get_by_role("heading", name="E2 Commission, FY2026-M03").wait_for()  # the line's explanation and lineage
    expect(page.locator('[data-figure="line-amount"]')).to_have_text("2,500.00")
    ThreadRunner.wait()
