"""A small company for the portal tests: two reps, their manager, finance; January and February paid, March calculated.

Ada (E-1, AE-1) is on DOMAIN E2 (year-to-date true-up, annual quota 600,000: 5% to 100%, 10% above):
  January  A-1 250,000 → YTD 250,000 → 12,500.00 (paid)
  February A-2 200,000 → YTD 450,000 → 22,500 − 12,500 = 10,000.00 (paid)
  March    A-3  50,000 → YTD 500,000 → 25,000 − 22,500 =  2,500.00 (calculated, not paid); attainment
           500,000 / 600,000 = 83.3%, 100,000.00 more to reach the 10% tier.
Bo (E-2, AE-2) is on a flat 10%: January B-1 15,000 → 1,500.00, February B-2 30,000 → 3,000.00.
Mia (M-1) manages MGR-1: AE-1 reports to it throughout, AE-2 only in January 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.org.models import Participant, PositionHolder, ReportingLine
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN
from tests.test_payments_service import FLAT

PASSWORD = "a-long-test-passphrase"
D = date


@dataclass
class PortalWorld:
    ada: Participant
    bo: Participant
    mia: Participant
    users: dict
    var_dir: Path  # the runs' lineage files


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per test module in a transaction rolled back at the module's end."""
    from django.db import transaction

    var_dir = tmp_path_factory.mktemp("portal") / "var"
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(VAR_DIR=var_dir):
        yield build(var_dir)
        transaction.set_rollback(True)


@pytest.fixture
def lineage(world, settings):
    """The test reads the world's lineage files (each test otherwise has its own empty var folder)."""
    settings.VAR_DIR = world.var_dir


def build(var_dir: Path) -> PortalWorld:
    ada = f.seated("E2", E2_PLAN, 60000, employee_id="E-1", seat="AE-1")
    bo, mia = f.participant("E-2"), f.participant("M-1")
    PositionHolder.objects.create(participant=bo, position=f.position("AE-2"), valid_from=D(2025, 1, 1))
    PositionHolder.objects.create(participant=mia, position=f.position("MGR-1", "manager"), valid_from=D(2025, 1, 1))
    f.published_plan("FLAT", FLAT, f.position("AE-2"), 48000)
    ReportingLine.objects.create(position=f.position("AE-1"), manager_position=f.position("MGR-1"),
                                 valid_from=D(2025, 1, 1))
    ReportingLine.objects.create(position=f.position("AE-2"), manager_position=f.position("MGR-1"),
                                 valid_from=D(2025, 1, 1), valid_to=D(2026, 1, 31))
    Quota.objects.create(position=f.position("AE-1"), period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=Decimal(600000), currency=f.usd())
    account = f.account()
    for external_id, amount, day, seat in (("A-1", 250000, D(2026, 1, 20), "AE-1"), ("A-2", 200000, D(2026, 2, 15), "AE-1"),
                                           ("A-3", 50000, D(2026, 3, 10), "AE-1"), ("B-1", 15000, D(2026, 1, 10), "AE-2"),
                                           ("B-2", 30000, D(2026, 2, 10), "AE-2")):
        Transaction.objects.create(external_id=external_id, booked_date=day, account=account, amount=Decimal(amount),
                                   currency=f.usd(), owner_position=f.position(seat))
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    from attain.apps.calc.services import calculate_period

    calculate_period("FY2026-M03")
    users = {"ada": _login("ada", roles.REP, ada), "bo": _login("bo", roles.REP, bo),
             "mia": _login("mia", roles.MANAGER, mia), "fin": _login("fin", roles.FINANCE, None)}
    return PortalWorld(ada, bo, mia, users, var_dir)


def _login(username: str, role: str, person: Participant | None):
    user = f.user(username, role)
    user.set_password(PASSWORD)
    user.save()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user
