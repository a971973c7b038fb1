"""A plan version's scenario tests in the browser: a passing and a failing scenario with the differences to the cent,
kept with the plan and run again against a new draft, and the example scenarios that name a plan."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attain.apps.audit.models import AuditEntry
from attain.apps.plans.models import PlanScenario
from attain.apps.plans.services import new_draft_from, save_draft
from tests import plans_ws_world
from tests.plans_ws_world import SCENARIO, WRONG_SCENARIO
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
TESTS = "/workspace/plans/E2/v1/tests/"


@pytest.fixture
def admin(client):
    world = plans_ws_world.build()
    client.force_login(world["users"]["carla"])
    return client


def test_a_passing_and_a_failing_scenario_with_the_difference_to_the_cent(admin):
    html = admin.post(TESTS, {"action": "run", "name": "two", "text": SCENARIO + "---\n" + WRONG_SCENARIO}
                      ).content.decode()
    assert "Results: 1 of 2 passed" in html
    assert ('Ada crosses quota in February <span class="status status-passed" data-status="passed">passed</span>'
            in html)
    assert 'Expects too little <span class="status status-failed" data-status="failed">failed</span>' in html
    # expected 22,000 in February; got 22,500 (35,000 to date − 12,500 before): 500.00 more than expected
    assert ("<tr><td>E-1</td><td>Commission</td><td>FY2026-M02</td><td class=\"num\">22,000.00</td>"
            "<td class=\"num\">22,500.00</td><td class=\"num\">500.00</td><td></td></tr>") in html


def test_an_uploaded_file_that_is_no_scenario_says_what_to_fix(admin):
    upload = SimpleUploadedFile("bad.test.yaml", b"scenario: nothing\nplan: e2.yaml\n")
    html = admin.post(TESTS, {"action": "run", "file": upload}).content.decode()
    assert "Results: 0 of 1 passed" in html
    assert ("bad.test.yaml, scenario &#x27;nothing&#x27;: given: this field is required: add it; expect: this field "
            "is required: add it") in html


def test_kept_scenarios_run_again_against_a_new_draft(admin, django_assert_max_num_queries):
    response = admin.post(TESTS, {"action": "keep", "name": "February", "text": SCENARIO})
    assert response.status_code == 302
    kept = PlanScenario.objects.get()
    assert (kept.plan.code, kept.name, kept.text) == ("E2", "February", SCENARIO)
    assert AuditEntry.objects.filter(object_type="plans.PlanScenario", action="created").count() == 1

    new_draft_from("E2", 1, valid_from=plans_ws_world.D(2027, 1, 1))
    save_draft("E2", 2, E2_PLAN.replace("rate: 0.10", "rate: 0.15"), valid_from=plans_ws_world.D(2027, 1, 1))
    with django_assert_max_num_queries(10):
        html = admin.post("/workspace/plans/E2/v2/tests/", {"action": "run-kept"}).content.decode()
    # on the draft February pays 600,000 × 5% + 50,000 × 15% − 12,500 = 25,000: 2,500.00 more than expected
    assert "Results: 0 of 1 passed" in html
    assert ("<td class=\"num\">22,500.00</td><td class=\"num\">25,000.00</td><td class=\"num\">2,500.00</td>"
            in html)
    assert "Ran the scenarios kept with the plan against v2." in html


def test_a_scenario_file_that_does_not_read_is_not_kept(admin):
    response = admin.post(TESTS, {"action": "keep", "name": "broken", "text": "scenario: [unclosed"})
    assert response.status_code == 422
    assert "not valid YAML" in response.content.decode()
    assert not PlanScenario.objects.exists()


def test_the_examples_that_name_a_plan_run_against_it(client):
    from datetime import date
    from pathlib import Path

    from attain.apps.plans.services import import_plan_version

    world = plans_ws_world.build()
    client.force_login(world["users"]["carla"])
    text = (Path(__file__).parents[1] / "examples" / "plans" / "ae.yaml").read_text(encoding="utf-8")
    import_plan_version(text, valid_from=date(2026, 1, 1), publish=True)
    page = client.get("/workspace/plans/AE-2026/v1/tests/").content.decode()
    assert "ae.test.yaml. <button" in page
    html = client.post("/workspace/plans/AE-2026/v1/tests/", {"action": "run-examples"}).content.decode()
    assert "Results: 1 of 1 passed" in html and "AE year with splits, a credit note and accelerators" in html


def test_a_kept_file_is_forgotten_with_an_audit_entry(admin):
    admin.post(TESTS, {"action": "keep", "name": "February", "text": SCENARIO})
    response = admin.post(TESTS, {"action": "forget", "name": "February"}, follow=True)
    assert "“February” is no longer kept with E2." in response.content.decode()
    assert not PlanScenario.objects.exists()
    entry = AuditEntry.objects.filter(object_type="plans.PlanScenario", action="deleted").get()
    assert (entry.username, entry.before["name"], entry.before["text"]) == ("carla", "February", SCENARIO)
