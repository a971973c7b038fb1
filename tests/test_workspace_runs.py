"""The workspace's runs and months: calculating a month (run in the test's process: ATTAIN_JOB_RUNNER=inline), its
progress polled step by step, a failing run and a dead process shown failed with the reason, and the steps a comp
admin takes on a month (submit, close) with the services' refusals as messages.

On tests/portal_world.py's company: January and February paid, March calculated, April open; two published
plans (E2 and FLAT), so a run of April has 4 steps: E2, FLAT, saving the results, keeping the credits.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from attain.apps.calc import jobs
from attain.apps.calc.models import Approval, CalculationRun
from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.plans.models import PlanVersion
from tests import factories as f
from tests import portal_world

pytestmark = pytest.mark.django_db
world = portal_world.world
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(world, client):
    user = f.user("compadmin", roles.COMP_ADMIN)
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_calculating_a_month_reports_each_step_and_ends_succeeded(admin, client, monkeypatch):
    seen = []
    write = jobs.Reporter._write
    monkeypatch.setattr(jobs.Reporter, "_write", lambda self: (seen.append(
        (self.run.step, self.run.steps_done, self.run.steps_total)), write(self)))
    done = client.post("/workspace/months/FY2026-M04/calculate/", follow=True)
    assert messages_of(done) == ["FY2026-M04 is being calculated: its progress is below."]
    assert seen == [("Calculating E2 v1 for FY2026-M04", 0, 4), ("Calculating FLAT v1 for FY2026-M04", 1, 4),
                    ("Saving the results", 2, 4), ("Keeping the credits behind the earnings", 3, 4), ("Done", 4, 4)]
    run = CalculationRun.objects.get(period__name="FY2026-M04")
    assert (run.status, run.created_by, run.step, run.steps_done) == ("succeeded", admin, "Done", 4)
    polled = client.get(f"/workspace/runs/{run.pk}/progress/", **HTMX)
    html = polled.content.decode()
    assert 'data-status="succeeded"' in html and "hx-trigger" not in html  # ended: the polling stops
    assert "on <span data-run-engine>duckdb</span>" in html
    assert 'value="100"' in html and "See the results" in html
    assert Period.objects.get(name="FY2026-M04").state == "calculated"


def test_a_run_still_working_is_polled_every_second_with_its_step(admin, client):
    step = "Calculating FLAT v1 for FY2026-M04 (Spark stage 7: 3 of 8 tasks)"
    run = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M04"), created_by=admin,
                                        step=step, steps_done=1, steps_total=4, engine="spark (spark://cluster:7077)")
    fragment = client.get(f"/workspace/runs/{run.pk}/progress/", **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'data-status="running"' in fragment
    assert f"Now: <span data-run-step>{step}</span> (step 2 of 4)" in fragment
    assert "on <span data-run-engine>spark (spark://cluster:7077)</span>" in fragment
    assert 'value="25"' in fragment  # 1 step of 4 done
    page = client.get("/workspace/months/FY2026-M04/").content.decode()
    assert f'id="run-{run.pk}-progress"' in page and "Calculating" in page
    without_js = client.get(f"/workspace/runs/{run.pk}/progress/")
    assert without_js["Location"] == "/workspace/months/FY2026-M04/"


def test_a_second_calculation_of_a_month_being_calculated_is_refused(admin, client):
    waiting = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M04"), created_by=admin,
                                            step=jobs.WAITING, steps_total=4)
    refused = client.post("/workspace/months/FY2026-M04/calculate/", follow=True)
    assert messages_of(refused)[0].startswith(f"Not calculated: FY2026-M04 is being calculated already (run "
                                              f"{waiting.pk}, started by compadmin at ")
    assert CalculationRun.objects.filter(period__name="FY2026-M04").count() == 1


def test_a_failing_run_is_shown_failed_with_its_error(admin, client):
    PlanVersion.objects.update(status="draft")
    client.post("/workspace/months/FY2026-M04/calculate/")
    run = CalculationRun.objects.get(period__name="FY2026-M04")
    assert run.status == "failed" and run.error == ("no published plan version is valid on 2026-04-30: publish one "
                                                    "first")
    page = client.get("/workspace/months/FY2026-M04/").content.decode()
    assert "The run failed: no published plan version is valid on 2026-04-30: publish one first" in page


def test_a_run_whose_process_died_is_shown_failed_with_the_reason(admin, client, settings):
    run = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M04"), created_by=admin,
                                        step="Calculating E2 v1 for FY2026-M04", steps_total=4,
                                        worker=f"{socket.gethostname()}:{2 ** 22 + 7}")  # no such process
    jobs.log_path(run).parent.mkdir(parents=True)
    jobs.log_path(run).write_text("Traceback (most recent call last):\nMemoryError: out of memory\n")
    page = client.get("/workspace/months/FY2026-M04/").content.decode()
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith("the calculation process ended before it finished")
    assert "It said: MemoryError: out of memory. Calculate the month again." in run.error
    assert "The run failed: the calculation process ended before it finished" in page
    stale = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M04"), step=jobs.WAITING)
    CalculationRun.objects.filter(pk=stale.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    assert jobs.settle(CalculationRun.objects.get(pk=stale.pk)).status == "failed"  # never started


def test_submit_and_close_with_the_services_refusals_as_messages(admin, client):
    march = CalculationRun.objects.get(period__name="FY2026-M03").pk
    steps = [("FY2026-M04", "submit", "Not submitted: FY2026-M04 is open and cannot be submitted: calculate it first "
                                      "(attain calc FY2026-M04)"),
             ("FY2026-M02", "close", "Not closed: close the earlier months of FY2026 first: FY2026-M01"),
             ("FY2026-M01", "calculate", "Not calculated: FY2026-M01 is paid: its results never change; a correction "
                                         "is paid as a prior-period adjustment when the first open month is calculated"),
             ("FY2026-M03", "submit", "FY2026-M03 is submitted for approval: finance approves it in their workspace."),
             ("FY2026-M03", "submit", f"Not submitted: run {march} of FY2026-M03 is already submitted: it waits "
                                      "for an approver"),
             ("FY2026-M01", "close", "FY2026-M01 is closed: nothing in it changes again.")]
    for month, step, said in steps:
        answer = client.post(f"/workspace/months/{month}/{step}/", {"note": "March as agreed"}, follow=True)
        assert messages_of(answer) == [said]
    assert Approval.objects.filter(period__name="FY2026-M03", state="submitted").get().note == "March as agreed"
    assert Period.objects.get(name="FY2026-M01").state == "closed"
    assert client.post("/workspace/months/FY2026-M03/dance/").status_code == 404
    assert client.post("/workspace/months/FY2031-M13/submit/").status_code == 404


@pytest.mark.parametrize("role, reads, acts", [(roles.REP, 403, 403), (roles.MANAGER, 403, 403),
                                               (roles.FINANCE, 200, 403), (roles.EXECUTIVE, 200, 403)])
def test_who_may_look_and_who_may_act(world, client, role, reads, acts):
    client.force_login(f.user("someone", role))
    march = CalculationRun.objects.get(period__name="FY2026-M03").pk
    for address in ("/workspace/runs/", "/workspace/months/FY2026-M03/", "/workspace/results/",
                    "/workspace/results/earnings.csv", f"/workspace/runs/{march}/progress/"):
        assert client.get(address).status_code in (reads, 302 if reads == 200 else reads), address
    for step in ("calculate", "submit", "close"):
        assert client.post(f"/workspace/months/FY2026-M03/{step}/").status_code == acts
    if reads == 200:
        page = client.get("/workspace/months/FY2026-M03/").content.decode()
        assert "Submit FY2026-M03 for approval" not in page and "You may look at the workspace" in page


def test_the_runs_page_lists_the_months_and_the_latest_runs(admin, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = client.get("/workspace/runs/")
    months, run = page.context["months"], dict(CalculationRun.objects.values_list("period__name", "pk"))
    assert [(m.period.name, m.period.state, m.run.pk if m.run else None) for m in months[:4]] == [
        ("FY2026-M01", "paid", run["FY2026-M01"]), ("FY2026-M02", "paid", run["FY2026-M02"]),
        ("FY2026-M03", "calculated", run["FY2026-M03"]), ("FY2026-M04", "open", None)]
    assert [r.period.name for r in page.context["latest"]] == ["FY2026-M03", "FY2026-M02", "FY2026-M01"]
    html = page.content.decode()
    assert "Calculate FY2026-M04" in html and "Calculate FY2026-M01" not in html
    with django_assert_max_num_queries(12):
        assert client.get("/workspace/months/FY2026-M03/").status_code == 200


class FakeSpark:
    """What `backends.spark_activity` reads of a Spark backend: the active stages of its status tracker."""

    name = "pyspark"

    def __init__(self, stages):
        from types import SimpleNamespace

        infos = {s: SimpleNamespace(stageId=s, numCompletedTasks=done, numTasks=total) for s, done, total in stages}
        tracker = SimpleNamespace(getActiveStageIds=lambda: list(infos), getStageInfo=infos.get)
        self._session = SimpleNamespace(sparkContext=SimpleNamespace(statusTracker=lambda: tracker))


def test_on_spark_the_step_says_what_the_cluster_is_doing_and_the_next_step_replaces_it(world, monkeypatch):
    import time

    written = []
    monkeypatch.setattr(jobs, "SPARK_POLL", 0.02)
    monkeypatch.setattr(jobs.Reporter, "_write", lambda self: written.append((self.run.step, self.run.steps_done)))
    run = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M04"), step=jobs.WAITING,
                                        steps_total=4)
    report = jobs.Reporter(run)
    report("Calculating E2 v1 for FY2026-M04")
    with report.watching(FakeSpark([(7, 3, 8), (9, 0, 4)])):
        for _ in range(200):
            if len(written) > 1:
                break
            time.sleep(0.01)
    report("Saving the results")
    assert written[:2] == [("Calculating E2 v1 for FY2026-M04", 0),
                           ("Calculating E2 v1 for FY2026-M04 (Spark stage 7, 9: 3 of 12 tasks)", 0)]
    assert written[-1] == ("Saving the results", 1)  # the next step replaces the activity
