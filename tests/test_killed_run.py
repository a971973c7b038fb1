"""A calculation killed midway (SIGKILL, in its own process) leaves no results, and the next run succeeds.

The processes share a SQLite database file of their own: the first is killed just after writing its
earnings, before its transaction commits; the second finds nothing kept, the killed run still marked
running, takes the lock the dead process held, marks that run interrupted and calculates the month.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

SETUP = """
import os, sys
from attain.cli.django_setup import migrate, setup_django
setup_django()
migrate()
from datetime import date
from decimal import Decimal
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_payments_service import FLAT
if not Transaction.objects.exists():
    f.seated("FLAT", FLAT, 48000)
    Transaction.objects.create(external_id="T-1", booked_date=date(2026, 1, 10), account=f.account(),
                               amount=Decimal(15000), currency_id="USD", owner_position=f.position("AE-1"))
"""

KILLED = SETUP + """
import os, signal
from attain.apps.calc.models import Earning
from attain.apps.calc.services import calculate_period
write = Earning.objects.bulk_create
def write_then_die(rows, **options):
    write(rows, **options)  # the lines are in the open transaction, not committed
    os.kill(os.getpid(), signal.SIGKILL)
Earning.objects.bulk_create = write_then_die
calculate_period("FY2026-M01")
"""

NEXT = SETUP + """
import json
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import calculate_period
before = {"earnings": Earning.objects.count(), "runs": list(CalculationRun.objects.values_list("status", flat=True))}
run = calculate_period("FY2026-M01")
killed = CalculationRun.objects.exclude(pk=run.pk).get()
print(json.dumps({"before": before, "run": run.status, "earnings": [str(e.amount_rounded) for e in run.earnings.all()],
                  "killed": [killed.status, killed.error]}))
"""


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ATTAIN_DATABASE_URL": f"sqlite:///{tmp_path / 'attain.sqlite3'}",
           "ATTAIN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
           "DJANGO_SETTINGS_MODULE": "attain.site.settings"}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.skipif(os.environ.get("ATTAIN_DATABASE_URL", "").startswith("postgres"),
                    reason="runs once, in the SQLite suite: the processes use a database file of their own")
def test_a_run_killed_midway_keeps_nothing_and_the_next_run_succeeds(tmp_path):
    killed = run_python(KILLED, tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = run_python(NEXT, tmp_path)
    assert after.returncode == 0, after.stderr
    found = json.loads(after.stdout.strip().splitlines()[-1])
    assert found["before"] == {"earnings": 0, "runs": ["running"]}  # nothing of the killed run was kept
    assert found["run"] == "succeeded" and [Decimal(x) for x in found["earnings"]] == [Decimal(1500)]
    assert found["killed"][0] == "failed" and found["killed"][1].startswith("interrupted")
