"""A position moved from one plan to another mid-month: each plan has the credits dated while the
position was on it, and prorates its quota, target incentive and guarantee by its own days
(DOMAIN §3.8 and §3.10: the plan in force on the crediting date)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import calculate_period
from attain.apps.core.models import Period
from attain.apps.plans.models import Plan, PlanAssignment, PlanVersion
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f

pytestmark = pytest.mark.django_db
D, N = date, Decimal

HEADER = """currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
"""
JUNIOR = "plan: JUNIOR\nname: Junior AE\n" + HEADER + """guarantee: {percent_of_target: 1, valid_from: 2026-01-01, valid_to: 2026-12-31}
components:
  - name: Commission
    measure: bookings
    scope: period
    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, rate: 0.05}]}
"""
SENIOR = "plan: SENIOR\nname: Senior AE\n" + HEADER + """components:
  - name: Commission
    measure: bookings
    scope: period
    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, rate: 0.08}]}
  - name: Bonus
    measure: bookings
    scope: year_to_date
    quota: year
    payout: percent_of_target
    rate_table: {method: whole_amount, basis: attainment, tiers: [{from: 0, to: 1, amount: 0}, {from: 1, amount: 1}]}
"""


@pytest.fixture
def promoted():
    """E-1 holds AE-1 all year; AE-1 is on JUNIOR (target 12,000) to 15 April and on SENIOR (24,000) from 16 April."""
    f.seated("JUNIOR", JUNIOR, 12000)
    seat, usd = f.position("AE-1"), f.usd()
    PlanAssignment.objects.filter(plan__code="JUNIOR").update(valid_to=D(2026, 4, 15))
    senior = Plan.objects.create(code="SENIOR", name="Senior AE", currency=usd)
    PlanVersion.objects.create(plan=senior, version=1, status="published", document=SENIOR, valid_from=D(2026, 1, 1))
    PlanAssignment.objects.create(plan=senior, position=seat, target_incentive=N(24000), currency=usd,
                                  valid_from=D(2026, 4, 16))
    Quota.objects.create(position=seat, period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=N(200000), currency=usd)
    for external_id, day, amount in (("T-1", D(2026, 1, 20), 50000), ("T-2", D(2026, 4, 10), 4000),
                                     ("T-3", D(2026, 4, 20), 150000)):
        Transaction.objects.create(external_id=external_id, booked_date=day, account=f.account(external_id),
                                   amount=N(amount), currency=usd, owner_position=seat)


def lines(period: str) -> dict[tuple[str, str], Earning]:
    found = Earning.objects.filter(period__name=period).select_related("plan_version__plan")
    return {(e.plan_version.plan.code, e.component): e for e in found}


def test_each_plan_has_the_credits_dated_while_the_position_was_on_it(promoted):
    calculate_period("FY2026-M01")
    assert {k: e.amount_rounded for k, e in lines("FY2026-M01").items()} == {("JUNIOR", "Commission"): N("2500.00")}
    calculate_period("FY2026-M04")
    april = lines("FY2026-M04")
    assert set(april) == {("JUNIOR", "Commission"), ("JUNIOR", "Guarantee"), ("SENIOR", "Commission"),
                          ("SENIOR", "Bonus")}
    # T-2 (10 April) is JUNIOR's: 4,000 × 5% = 200; T-3 (20 April) is SENIOR's: 150,000 × 8% = 12,000
    assert (april["JUNIOR", "Commission"].base, april["JUNIOR", "Commission"].amount_rounded) == (4000, N("200.00"))
    assert (april["SENIOR", "Commission"].base, april["SENIOR", "Commission"].amount_rounded) == (150000, N("12000.00"))
    assert CalculationRun.objects.get(period__name="FY2026-M04").exceptions == []  # nothing reported vacant


def test_the_quota_target_and_guarantee_are_prorated_by_the_days_on_each_plan(promoted):
    calculate_period("FY2026-M04")
    april = lines("FY2026-M04")
    # SENIOR from 16 April: 260 of 365 days. Quota 200,000 × 260/365 = 142,465.75; the year-to-date bookings on
    # SENIOR are T-3's 150,000 only (T-1 and T-2 were JUNIOR's): attainment 105.3% → 100% of the target
    # 24,000 × 260/365 = 17,095.89
    bonus = april["SENIOR", "Bonus"]
    assert bonus.base == 150000 and round(bonus.quota, 2) == N("142465.75")
    assert bonus.amount == N(24000) * 260 / 365 and bonus.amount_rounded == N("17095.89")
    assert "quota 200,000.00 × 260/365 days held = 142,465.75" in bonus.explanation
    assert "target 24,000.00 × 260/365 days held = 17,095.89" in bonus.explanation
    # JUNIOR to 15 April guarantees 12,000 ÷ 12 = 1,000 a month: 1,000 × 15/30 = 500 in April, earned 200 → 300
    guarantee = april["JUNIOR", "Guarantee"]
    assert guarantee.amount_rounded == N("300.00")
    print(guarantee.explanation)


def test_the_move_pays_through_with_the_draw_that_changes_on_the_same_day(promoted):
    """The draw changes with the plan: 2,000 (recoverable) to 15 April, 4,000 from 16 April."""
    from attain.apps.org.models import Participant
    from attain.apps.payments.models import DrawAgreement, Payment

    person = Participant.objects.get(employee_id="E-1")
    DrawAgreement.objects.create(participant=person, amount=N(2000), currency_id="USD", recoverable=True,
                                 valid_from=D(2026, 1, 1), valid_to=D(2026, 4, 15))
    DrawAgreement.objects.create(participant=person, amount=N(4000), currency_id="USD", recoverable=True,
                                 valid_from=D(2026, 4, 16))
    for month in range(1, 5):
        f.calculate_and_pay(f"FY2026-M{month:02d}")
    paid = {p.period.name: p for p in Payment.objects.select_related("period")}
    # January: 2,500 earned, above the 2,000 draw. February and March: JUNIOR's guarantee 1,000 each, topped up to
    # the draw: 1,000 owed each month. April: 200 + 300 + 12,000 + 17,095.89 = 29,595.89 earned; the draw
    # 2,000 × 15/30 + 4,000 × 15/30 = 3,000 is exceeded, and the 2,000 owed is recovered: 27,595.89
    assert [(m, paid[m].paid, paid[m].draw_owed) for m in sorted(paid)] == [
        ("FY2026-M01", N("2500.00"), 0), ("FY2026-M02", N("2000.00"), 1000), ("FY2026-M03", N("2000.00"), 2000),
        ("FY2026-M04", N("27595.89"), 0)]
    assert paid["FY2026-M04"].explanation == "earned 29,595.89; recovers 2,000.00 of the draw (left 0.00); pay 27,595.89"
