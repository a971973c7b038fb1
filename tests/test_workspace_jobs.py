"""A calculation started as the web app starts it (ATTAIN_JOB_RUNNER=process): a real background process, polled
to completion; and one whose process is killed before it finishes, shown failed with the reason.

The processes share a SQLite database file of their own (as tests/test_killed_run.py): the test's script
starts the runs and polls them; the runs work in the processes `calc.jobs` starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

SETUP = """
import json, os, signal, time
from attain.cli.django_setup import migrate, setup_django
setup_django()
migrate()
from datetime import date
from decimal import Decimal
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_payments_service import FLAT
f.seated("FLAT", FLAT, 48000)
Transaction.objects.create(external_id="T-1", booked_date=date(2026, 1, 10), account=f.account(),
                           amount=Decimal(15000), currency_id="USD", owner_position=f.position("AE-1"))
from attain.apps.calc import jobs
from attain.apps.calc.models import CalculationRun
admin = f.user("compadmin", "Comp admin")
"""
SCRIPT = SETUP + """
killed = jobs.start_calculation("FY2026-M01", user=admin)  # killed while its process starts
os.kill(int(killed.worker.rsplit(":", 1)[1]), signal.SIGKILL)
for _ in range(100):
    if jobs.settle(CalculationRun.objects.get(pk=killed.pk)).status != "running":
        break
    time.sleep(0.1)
killed.refresh_from_db()

began = time.monotonic()
run = jobs.start_calculation("FY2026-M01", user=admin)
answered = time.monotonic() - began
seen = [(run.status, run.step)]
while run.status != "failed" and run.step != "Done" and time.monotonic() - began < 240:  # lineage written last
    time.sleep(0.05)
    run = jobs.settle(CalculationRun.objects.get(pk=run.pk))
    if (run.status, run.step) != seen[-1]:
        seen.append((run.status, run.step))
print(json.dumps({"killed": [killed.status, killed.error], "answered": answered, "seen": seen,
                  "run": [run.status, run.error, run.steps_done, run.steps_total, run.worker],
                  "mine": os.getpid(), "earnings": [str(e.amount_rounded) for e in run.earnings.all()]}))
"""


def run_script(script: str, tmp_path: Path, settings: dict[str, str]) -> dict:
    """Run the script in a process of its own, on a SQLite file of its own; what it printed last, read as JSON."""
    env = {**os.environ, "ATTAIN_DATABASE_URL": f"sqlite:///{tmp_path / 'attain.sqlite3'}",
           "ATTAIN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
           "DJANGO_SETTINGS_MODULE": "attain.site.settings", "ATTAIN_JOB_RUNNER": "process", **settings}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(os.environ.get("ATTAIN_DATABASE_URL", "").startswith("postgres"),
                    reason="runs once, in the SQLite suite: the processes use a database file of their own")
def test_a_run_started_in_the_background_is_polled_to_success_and_a_killed_one_shows_failed(tmp_path):
    found = run_script(SCRIPT, tmp_path, {})
    assert found["killed"][0] == "failed"
    assert found["killed"][1].startswith("the calculation process ended before it finished (killed, or out of memory)")
    assert found["answered"] < 3  # the start returns at once: the run works in its own process
    assert found["seen"][0] == ["running", "Waiting to start"] and found["seen"][-1] == ["succeeded", "Done"]
    # FLAT, saving, keeping the credits: 3 steps; the polling saw at least one of them while the run worked
    assert {"Calculating FLAT v1 for FY2026-M01", "Saving the results",
            "Keeping the credits behind the earnings"} & {step for _, step in found["seen"]}
    status, error, steps_done, steps_total, worker = found["run"]
    assert (status, error, steps_done, steps_total) == ("succeeded", "", 3, 3)
    assert int(worker.rsplit(":", 1)[1]) != found["mine"]  # another process did the work
    assert found["earnings"] == ["1500.0000"]  # 15,000 at 10%
    assert (tmp_path / "var" / "jobs").is_dir()


SPARK_SCRIPT = SETUP + """
run = jobs.start_calculation("FY2026-M01", user=admin)
recorded, began, seen = run.engine, time.monotonic(), [run.step]
while run.status != "failed" and run.step != "Done" and time.monotonic() - began < 240:
    time.sleep(0.05)
    run = jobs.settle(CalculationRun.objects.get(pk=run.pk))
    if run.step != seen[-1]:
        seen.append(run.step)
print(json.dumps({"recorded": recorded, "seen": seen, "engine": run.engine,
                  "run": [run.status, run.error, run.steps_done, run.steps_total],
                  "earnings": [str(e.amount_rounded) for e in run.earnings.all()]}))
"""


@pytest.mark.spark
def test_a_run_handed_to_spark_shows_its_engine_and_progress_and_earns_the_same(tmp_path, spark):
    found = run_script(SPARK_SCRIPT, tmp_path, {"ATTAIN_ENGINE": "spark", "ATTAIN_SPARK_MASTER": "local[1]"})
    assert found["recorded"] == found["engine"] == "spark (local[1])"
    assert found["seen"][0] == "Waiting to start" and found["seen"][-1] == "Done"
    assert "Starting spark (local[1])" in found["seen"]  # the engine's start is a step of its own
    assert found["run"] == ["succeeded", "", 4, 4]  # starting Spark, FLAT, saving, keeping the credits
    assert found["earnings"] == ["1500.0000"]  # 15,000 at 10%, as on DuckDB
