"""A small company for the workspace's plan pages: plan E2 (year-to-date true-up on an annual quota of 600,000:
5% to 100%, 10% above) published from 1 January 2026, two reps on it, and the users of each role.

  Ada (E-1, AE-1): A-1 250,000 on 20 January, A-2 400,000 on 15 February → YTD 650,000 by March:
                   600,000 × 5% + 50,000 × 10% = 35,000.00 live (and 37,500.00 with a 15% accelerator).
  Bo  (E-2, AE-2): B-1 100,000 on 1 March → 100,000 × 5% = 5,000.00 on either plan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.org.models import PositionHolder
from attain.apps.plans.models import Plan, PlanAssignment
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN

D = date
PASSWORD = "a-long-test-passphrase"

# Ada's first two months on E2, worked by hand: January YTD 250,000 × 5% = 12,500; February YTD 650,000 →
# 600,000 × 5% + 50,000 × 10% = 35,000, less the 12,500 earned before = 22,500.
SCENARIO = """\
scenario: Ada crosses quota in February
plan: e2.yaml
given:
  fiscal_year: 2026
  months: [FY2026-M01, FY2026-M02]
  holders: [{participant: E-1, position: AE-1}]
  quotas: [{position: AE-1, period: FY2026, measure: bookings, amount: 600000}]
  transactions:
    - {external_id: T-1, booked_date: 2026-01-20, amount: 250000, owner_position: AE-1}
    - {external_id: T-2, booked_date: 2026-02-15, amount: 400000, owner_position: AE-1}
expect:
  earnings:
    - {participant: E-1, component: Commission, period: FY2026-M01, amount: 12500}
    - {participant: E-1, component: Commission, period: FY2026-M02, amount: 22500}
"""
WRONG_SCENARIO = SCENARIO.replace("Ada crosses quota in February", "Expects too little").replace(
    "amount: 22500", "amount: 22000")


def build() -> dict:
    ada = f.seated("E2", E2_PLAN, 60000, employee_id="E-1", seat="AE-1")
    bo = f.participant("E-2")
    PositionHolder.objects.create(participant=bo, position=f.position("AE-2"), valid_from=D(2025, 1, 1))
    plan = Plan.objects.get(code="E2")
    PlanAssignment.objects.create(plan=plan, position=f.position("AE-2"), target_incentive=Decimal(60000),
                                  currency=f.usd(), valid_from=D(2026, 1, 1))
    year = Period.objects.get(name="FY2026")
    for seat in ("AE-1", "AE-2"):
        Quota.objects.create(position=f.position(seat), period=year, measure="bookings", amount=Decimal(600000),
                             currency=f.usd())
    account = f.account()
    for external_id, amount, day, seat in (("A-1", 250000, D(2026, 1, 20), "AE-1"),
                                           ("A-2", 400000, D(2026, 2, 15), "AE-1"),
                                           ("B-1", 100000, D(2026, 3, 1), "AE-2")):
        Transaction.objects.create(external_id=external_id, booked_date=day, account=account, amount=Decimal(amount),
                                   currency=f.usd(), owner_position=f.position(seat))
    users = {name: f.user(name, role) for name, role in (("carla", roles.COMP_ADMIN), ("fin", roles.FINANCE),
                                                          ("rep", roles.REP), ("mgr", roles.MANAGER),
                                                          ("checker", roles.COMP_ADMIN))}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    return {"ada": ada, "bo": bo, "plan": plan, "users": users}
