"""A small sales organisation for the manager portal's tests, with every number worked out by hand.

Everyone is on plan E2 (year to date against the year's quota: 5% up to 100%, 10% above; targets from
1 January 2026). January and February are paid, March calculated (not paid), April open.

DIR-1 (Dee, D-1) ← MGR-1 (Mia, M-1) ← AE-1 Ada E-1, AE-3 Cy E-3, AE-4 Di E-4, AE-5 Ed E-5, all year.
MGR-2 (Noa, N-1) ← AE-6 Flo E-6: another team.

| rep | quota   | target | bookings                     | YTD Mar | attainment | Jan    | Feb    | Mar    | YTD    |
| Ada | 600,000 | 60,000 | Jan 250k, Feb 200k, Mar 50k  | 500,000 | 83.3%      | 12,500 | 10,000 |  2,500 | 25,000 |
| Cy  | 400,000 | 40,000 | Jan 300k, Mar 150k           | 450,000 | 112.5%     | 15,000 |      0 | 10,000 | 25,000 |
| Di  | 500,000 | 50,000 | Feb 100k                     | 100,000 | 20.0%      |      0 |  5,000 |      0 |  5,000 |
| Ed  | 200,000 | 20,000 | Mar 200k                     | 200,000 | 100.0%     |      0 |      0 | 10,000 | 10,000 |
Cy in March: 400,000 × 5% + 50,000 × 10% = 25,000 to date, 15,000 before → 10,000.

Mia's team in March: leaderboard Cy 112.5%, Ed 100.0%, Ada 83.3%, Di 20.0%; at or above 100%: 2 of 4 (50.0%),
at or above 50%: 3 of 4 (75.0%); bins 20–30% Di, 80–90% Ada, 100–110% Ed, 110–120% Cy.
Team earnings: Jan 27,500, Feb 15,000, Mar 22,500 → 65,000 to date. Budget: 170,000 a year; to date
170,000 × 90/365 = 41,917.81 (Jan 14,438.36, Feb 13,041.10, Mar 14,438.36); 65,000 ÷ 41,917.808… = 155.1% used.

Pipeline on 31 March, window to 31 December 2026 (E2's measure has no filter: every deal type):
- Ada: O-1 150,000 (open, closes 30 Jun) + O-4 50,000 (won on 10 May: open on 31 March) = 200,000; left out:
  O-2 (expected 15 Mar, before the day), O-3 (created 5 Apr), O-5 (lost 20 Mar), O-6 (expected 2027).
  Remaining 600,000 − 500,000 = 100,000 → coverage 2.0×.
- Di: O-7 100,000 EUR × 1.1 = 110,000 USD; remaining 400,000 → 0.275 → 0.3×, at risk (below quota).
- Cy: O-8 10,000; quota reached. Ed: quota reached, no deals. Flo's O-9 is another team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from attain.apps.core.models import Currency, FxRate, Period
from attain.apps.org import roles
from attain.apps.org.models import Participant, PositionHolder, ReportingLine
from attain.apps.plans.models import PlanAssignment
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Opportunity, Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN

PASSWORD = "a-long-test-passphrase"
D = date
REPS = {  # employee id → (first name, seat, quota, target, bookings)
    "E-1": ("Ada", "AE-1", 600000, 60000, [(250000, D(2026, 1, 20)), (200000, D(2026, 2, 15)), (50000, D(2026, 3, 10))]),
    "E-3": ("Cy", "AE-3", 400000, 40000, [(300000, D(2026, 1, 12)), (150000, D(2026, 3, 5))]),
    "E-4": ("Di", "AE-4", 500000, 50000, [(100000, D(2026, 2, 3))]),
    "E-5": ("Ed", "AE-5", 200000, 20000, [(200000, D(2026, 3, 25))]),
    "E-6": ("Flo", "AE-6", 300000, 30000, [(90000, D(2026, 2, 20))]),
}


@dataclass
class TeamWorld:
    people: dict[str, Participant]
    users: dict
    var_dir: Path


@pytest.fixture(scope="module")
def team(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per test module in a transaction rolled back at the module's end."""
    from django.db import transaction

    var_dir = tmp_path_factory.mktemp("team") / "var"
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(VAR_DIR=var_dir):
        yield build(var_dir)
        transaction.set_rollback(True)


def build(var_dir: Path) -> TeamWorld:
    from attain.apps.calc.services import calculate_period
    from attain.apps.core.services import default_calendar, generate_periods

    usd = f.usd()
    eur = Currency.objects.get_or_create(code="EUR", defaults={"name": "Euro"})[0]
    FxRate.objects.create(from_currency=eur, to_currency=usd, rate_date=D(2026, 3, 1), rate=Decimal("1.1"))
    generate_periods(default_calendar(), 2026)
    year = Period.objects.get(name="FY2026")
    people: dict[str, Participant] = {}
    for seat, kind, employee_id, first in (("DIR-1", "director", "D-1", "Dee"), ("MGR-1", "manager", "M-1", "Mia"),
                                           ("MGR-2", "manager", "N-1", "Noa")):
        people[employee_id] = _seated(employee_id, first, f.position(seat, kind))
    ReportingLine.objects.create(position=f.position("MGR-1"), manager_position=f.position("DIR-1"),
                                 valid_from=D(2025, 1, 1))
    plan = None
    account = f.account()
    for employee_id, (first, seat, quota, target, bookings) in REPS.items():
        position = f.position(seat)
        people[employee_id] = _seated(employee_id, first, position)
        ReportingLine.objects.create(position=position, valid_from=D(2025, 1, 1),
                                     manager_position=f.position("MGR-2" if seat == "AE-6" else "MGR-1"))
        if plan is None:
            plan = f.published_plan("E2", E2_PLAN, position, target)
        else:
            PlanAssignment.objects.create(plan=plan, position=position, target_incentive=Decimal(target), currency=usd,
                                          valid_from=D(2026, 1, 1))
        Quota.objects.create(position=position, period=year, measure="bookings", amount=Decimal(quota), currency=usd)
        for n, (amount, day) in enumerate(bookings, start=1):
            Transaction.objects.create(external_id=f"{employee_id}-{n}", booked_date=day, account=account,
                                       amount=Decimal(amount), currency=usd, owner_position=position)
    _opportunities(account, usd, eur)
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    calculate_period("FY2026-M03")
    users = {"mia": _login("mia", roles.MANAGER, people["M-1"]), "noa": _login("noa", roles.MANAGER, people["N-1"]),
             "dee": _login("dee", roles.MANAGER, people["D-1"]), "ada": _login("ada", roles.REP, people["E-1"]),
             "exec": _login("exec", roles.EXECUTIVE, None), "fin": _login("fin", roles.FINANCE, None),
             "maker": _login("maker", roles.COMP_ADMIN, None)}
    return TeamWorld(people, users, var_dir)


def _seated(employee_id: str, first: str, position) -> Participant:
    person = f.participant(employee_id)
    person.first_name, person.last_name = first, employee_id
    person.save(update_fields=["first_name", "last_name"])
    PositionHolder.objects.create(participant=person, position=position, valid_from=D(2025, 1, 1))
    return person


def _opportunities(account, usd, eur) -> None:
    rows = [  # id, seat, amount, currency, created, expected close, closed, outcome
        ("O-1", "AE-1", 150000, usd, D(2026, 2, 1), D(2026, 6, 30), None, "open"),
        ("O-2", "AE-1", 120000, usd, D(2026, 1, 5), D(2026, 3, 15), None, "open"),
        ("O-3", "AE-1", 80000, usd, D(2026, 4, 5), D(2026, 8, 1), None, "open"),
        ("O-4", "AE-1", 50000, usd, D(2026, 1, 10), D(2026, 5, 10), D(2026, 5, 10), "won"),
        ("O-5", "AE-1", 70000, usd, D(2026, 1, 10), D(2026, 4, 30), D(2026, 3, 20), "lost"),
        ("O-6", "AE-1", 90000, usd, D(2026, 3, 1), D(2027, 1, 15), None, "open"),
        ("O-7", "AE-4", 100000, eur, D(2026, 3, 1), D(2026, 9, 30), None, "open"),
        ("O-8", "AE-3", 10000, usd, D(2026, 3, 1), D(2026, 4, 30), None, "open"),
        ("O-9", "AE-6", 500000, usd, D(2026, 3, 1), D(2026, 7, 31), None, "open"),
    ]
    for external_id, seat, amount, currency, created, expected, closed, outcome in rows:
        Opportunity.objects.create(external_id=external_id, name=external_id, account=account,
                                   owner_position=f.position(seat), amount=Decimal(amount), currency=currency,
                                   stage="closed_won" if outcome == "won" else "closed_lost" if outcome == "lost"
                                   else "proposal", created_date=created, expected_close_date=expected,
                                   closed_date=closed, outcome=outcome)


def _login(username: str, role: str, person: Participant | None):
    user = f.user(username, role)
    user.set_password(PASSWORD)
    user.save()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user
