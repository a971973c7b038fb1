"""Proration by calendar days, both ends counted (DOMAIN §3.8, E6): hires, terminations, transfers, leave.

Quotas, the target incentive, the guarantee, MBO objectives and draws are prorated by the days that
count: the days the participant held the position, less the days of a leave of absence that prorates.
A leave does not remove the holder: credits during it still go to the position's holder.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.calculate import CalcInputs, assignments_table, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.fast import FastPath
from attain.engine.money import round_money
from attain.engine.payments import Draw, PeriodDue, pay_periods
from attain.engine.periods import active_days, days_held, days_inclusive, overlap, without
from attain.engine.plans import load_plan
from attain.engine.rates import Objective
from attain.engine.tenure import Tenure
from tests.test_calculate import holders, line
from tests.test_fast_path import PLAN as FAST_PLAN
from tests.test_fast_path import seen, world

D = date
N = Decimal
MONTHS = fiscal_months(2026)
YEAR = (D(2026, 1, 1), D(2026, 12, 31))

HEADER = """
plan: PRORATE
name: Proration
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
"""
E6_PLAN = HEADER + """components:
  - name: Commission
    measure: bookings
    scope: year_to_date
    quota: year
    rate_table: {method: marginal, basis: attainment, tiers: [{from: 0, to: 1, rate: 0.05}, {from: 1, rate: 0.1}]}
  - name: Bonus
    measure: bookings
    scope: year_to_date
    quota: year
    payout: percent_of_target
    cap: {percent_of_target: 0.6}
    rate_table:
      method: whole_amount
      basis: attainment
      tiers: [{from: 0, to: 0.5, amount: 0}, {from: 0.5, to: 1, amount: 0.5}, {from: 1, amount: 1}]
"""
MONTHLY_PLAN = HEADER + """components:
  - name: Monthly bonus
    measure: bookings
    scope: period
    quota: period
    payout: percent_of_target
    rate_table: {method: whole_amount, basis: attainment, tiers: [{from: 0, to: 1, amount: 0}, {from: 1, amount: 0.1}]}
"""
QUARTER_PLAN = HEADER + """components:
  - name: Commission
    measure: bookings
    scope: quarter_to_date
    quota: quarter
    rate_table: {method: marginal, basis: attainment, tiers: [{from: 0, rate: 0.05}]}
  - name: Objectives
    type: mbo
    objectives: {period: quarter, amount: 2000}
"""
PERIOD_PLAN = HEADER + """components:
  - name: Commission
    measure: bookings
    scope: period
    quota: period
    rate_table: {method: marginal, basis: attainment, tiers: [{from: 0, rate: 0.05}]}
"""
FLAT_PLAN = HEADER + """components:
  - {name: Commission, measure: bookings, scope: period, rate_table: {method: flat, rate: 0.05}}
"""


def plan_of(text: str):
    plan, problems = load_plan(text)
    assert problems == [], problems
    return plan


def inputs_of(lines, held, quotas, targets=None, leaves=None, objectives=None) -> CalcInputs:
    return CalcInputs(CreditingInputs.from_rows(transactions=lines), holders(held), MONTHS, quotas,
                      targets or {}, objectives or {}, leaves or {})


HIRED_16_APRIL = [{"participant": "E-1", "position": "AE-1", "valid_from": D(2026, 4, 16)}]


# ------------------------------------------------------------------------------------------- E6

def test_e6_the_annual_quota_and_target_incentive_of_a_16_april_hire():
    inputs = inputs_of([line(1, "300000", D(2026, 4, 20)), line(2, "300000", D(2026, 7, 10))], HIRED_16_APRIL,
                       {("AE-1", "FY2026", "bookings"): N(720_000)}, {"AE-1": N(60_000)})
    result = calculate(plan_of(E6_PLAN), inputs)
    assert result.exceptions == []
    # 16 April – 31 December = 15 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 260 of 365 days
    quota, target = N(720_000) * 260 / 365, N(60_000) * 260 / 365
    assert (round_money(quota), round_money(target)) == (N("512876.71"), N("42739.73"))  # DOMAIN E6
    got = {(e.component, e.period): e for e in result.earnings}
    assert {e.quota for e in result.earnings} == {quota}
    # Commission, April: 300,000 at 5% (below the prorated quota) = 15,000; July: 600,000 to date =
    # 5% × 512,876.71… + 10% × 87,123.29… = 60,000 − 5% × 512,876.71… = 34,356.16 → 19,356.16 this period
    assert got[("Commission", "FY2026-M04")].amount == 15_000
    assert round_money(got[("Commission", "FY2026-M07")].amount) == N("19356.16")
    # Bonus, April: attainment 300,000 / 512,876.71 = 58.5% → 50% × 42,739.73 = 21,369.86 (within the cap
    # 60% × 42,739.73 = 25,643.84); July: 117% → 100% × 42,739.73, capped at 25,643.84 → 4,273.97 this period
    april, july = got[("Bonus", "FY2026-M04")], got[("Bonus", "FY2026-M07")]
    assert april.earned_to_date == N("0.5") * target and april.rounded == N("21369.86")
    assert july.earned_to_date == N("0.6") * target and july.rounded == N("4273.97")
    assert ("(quota 720,000.00 × 260/365 days held = 512,876.71, attainment 58.5%; "
            "target 60,000.00 × 260/365 days held = 42,739.73)") in april.explanation
    assert "0.50 of target → 50% × 42,739.73 = 21,369.86" in april.explanation
    assert "capped at 25,643.84 (60% of target 42,739.73)" in july.explanation


def test_e6_april_monthly_quota_and_target_are_prorated_to_the_15_days_held():
    inputs = inputs_of([line(1, "30000", D(2026, 4, 20)), line(2, "60000", D(2026, 5, 20))], HIRED_16_APRIL,
                       {("AE-1", "FY2026-M04", "bookings"): N(60_000), ("AE-1", "FY2026-M05", "bookings"): N(60_000)},
                       {"AE-1": N(60_000)})
    april, may = calculate(plan_of(MONTHLY_PLAN), inputs).earnings
    # April: quota 60,000 × 15/30 = 30,000 (DOMAIN E6), reached → 10% of the target 60,000 × 15/30 = 30,000 = 3,000
    assert (april.quota, april.amount) == (N(30_000), N(3000))
    assert ("(quota 60,000.00 × 15/30 days held = 30,000.00, attainment 100%; target 60,000.00 × 15/30 days held "
            "= 30,000.00)") in april.explanation
    # May: held every day, nothing prorated: 10% × 60,000 = 6,000
    assert (may.quota, may.amount) == (N(60_000), N(6000)) and "days held" not in may.explanation


def test_a_plan_may_keep_the_full_target():
    text = E6_PLAN.replace("measures: [{name: bookings}]\n", "measures: [{name: bookings}]\nprorate_target: false\n")
    inputs = inputs_of([line(1, "300000", D(2026, 4, 20))], HIRED_16_APRIL,
                       {("AE-1", "FY2026", "bookings"): N(720_000)}, {"AE-1": N(60_000)})
    bonus = next(e for e in calculate(plan_of(text), inputs).earnings if e.component == "Bonus")
    assert bonus.amount == 30_000 and "target 60,000.00 ×" not in bonus.explanation  # 50% × 60,000


# ---------------------------------------------------------------------------------- leave of absence

AUGUST = (D(2026, 8, 1), D(2026, 8, 31))  # 31 days in the middle of Q3 (1 July – 30 September, 92 days)
ALL_YEAR = [{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}]


def test_a_31_day_leave_in_the_middle_of_a_quarter_prorates_its_quota_and_objectives():
    objectives = {("AE-1", "FY2026-Q3"): (Objective("Pipeline", N(1), N(1)),)}
    inputs = inputs_of([line(1, "45000", D(2026, 8, 15))], ALL_YEAR, {("AE-1", "FY2026-Q3", "bookings"): N(90_000)},
                       leaves={"E-1": (AUGUST,)}, objectives=objectives)
    result = calculate(plan_of(QUARTER_PLAN), inputs)
    commission, objective = result.earnings
    # the deal booked during the leave is credited to the holder, E-1: 45,000 × 5% = 2,250
    assert (commission.participant, commission.period, commission.base, commission.amount) == (
        "E-1", "FY2026-M08", N(45_000), N(2250))
    # quota 90,000 × (92 − 31)/92 = 90,000 × 61/92 = 59,673.91; attainment 45,000 / 59,673.91 = 75.4%
    assert commission.quota == N(90_000) * 61 / 92 and round_money(commission.quota) == N("59673.91")
    assert ("(quota 90,000.00 × 61/92 days held (92 held less 31 on leave) = 59,673.91, attainment 75.4%)"
            in commission.explanation)
    # objectives at full score 2,000 × 61/92 = 1,326.09, paid in September
    assert (objective.period, objective.rounded) == ("FY2026-M09", N("1326.09"))
    assert "× 61/92 days held (92 held less 31 on leave) = 1,326.09" in objective.explanation


def test_a_leave_that_does_not_touch_the_span_changes_nothing():
    inputs = inputs_of([line(1, "45000", D(2026, 8, 15))], ALL_YEAR, {("AE-1", "FY2026-Q3", "bookings"): N(90_000)},
                       leaves={"E-1": ((D(2026, 1, 5), D(2026, 2, 20)),)})
    (commission,) = calculate(plan_of(QUARTER_PLAN), inputs).earnings
    assert commission.quota == N(90_000) and "leave" not in commission.explanation


def test_the_guarantee_is_not_paid_for_days_on_leave():
    text = FLAT_PLAN + "guarantee: {amount: 3000, valid_from: 2026-08-01, valid_to: 2026-09-30}\n"
    inputs = inputs_of([line(1, "1000", D(2026, 9, 15))], ALL_YEAR, {}, leaves={"E-1": ((D(2026, 8, 1), D(2026, 8, 31)),
                                                                                  (D(2026, 9, 21), D(2026, 9, 30)))})
    lines = [e for e in calculate(plan_of(text), inputs).earnings
             if e.component == "Guarantee"]
    # August: on leave every day, nothing guaranteed; September: 3,000 × 20/30 = 2,000, earned 50 → adds 1,950
    assert [(e.period, e.earned_to_date, e.amount) for e in lines] == [("FY2026-M09", N(2000), N(1950))]
    assert "× 20/30 days (30 held less 10 on leave) = 2,000.00" in lines[0].explanation


def test_a_plan_cap_in_percent_of_target_is_prorated_over_its_window():
    text = FLAT_PLAN + "cap: {percent_of_target: 0.5, per: year}\n"
    inputs = inputs_of([line(1, "1000000", D(2026, 5, 5))], HIRED_16_APRIL, {}, {"AE-1": N(60_000)})
    commission, cap = calculate(plan_of(text), inputs).earnings
    # 1,000,000 × 5% = 50,000, capped at 50% × 60,000 × 260/365 = 21,369.86 → the cap line is −28,630.14
    assert commission.amount == 50_000 and cap.amount == N("0.5") * N(60_000) * 260 / 365 - 50_000
    assert cap.rounded == N("-28630.14")
    assert "year cap 21,369.86 (50% of target 60,000.00 × 260/365 days held = 42,739.73)" in cap.explanation


# ------------------------------------------------------------------------------------------ transfer

def test_a_transfer_mid_month_splits_each_seats_quota_by_days():
    held = [{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1), "valid_to": D(2026, 6, 10)},
            {"participant": "E-1", "position": "AE-2", "valid_from": D(2026, 6, 11)},
            {"participant": "E-2", "position": "AE-1", "valid_from": D(2026, 6, 11)}]
    lines = [line(1, "10000", D(2026, 6, 5)), line(2, "20000", D(2026, 6, 20), owner_position="AE-2"),
             line(3, "12000", D(2026, 6, 25))]
    quotas = {("AE-1", "FY2026-M06", "bookings"): N(30_000), ("AE-2", "FY2026-M06", "bookings"): N(40_000)}
    result = calculate(plan_of(PERIOD_PLAN), inputs_of(lines, held, quotas))
    got = {(e.participant, e.position): (e.base, e.quota) for e in result.earnings}
    # June has 30 days. E-1 in AE-1 1–10 June: 30,000 × 10/30 = 10,000; E-1 in AE-2 11–30 June:
    # 40,000 × 20/30 = 26,666.67; E-2 in AE-1 11–30 June: 30,000 × 20/30 = 20,000 (AE-1: 10,000 + 20,000 = 30,000)
    assert got == {("E-1", "AE-1"): (N(10_000), N(10_000)), ("E-1", "AE-2"): (N(20_000), N(40_000) * 20 / 30),
                   ("E-2", "AE-1"): (N(12_000), N(20_000))}


# ------------------------------------------------------------------------------------ fast = Decimal

@pytest.mark.parametrize("quotas", ["prorated", "not prorated"])
def test_the_fast_path_and_the_decimal_path_agree_with_hires_transfers_and_leaves(quotas):
    # with quotas not prorated, only the target incentive is: the fast path must leave those rows to Python too
    text = FAST_PLAN if quotas == "prorated" else FAST_PLAN.replace("    quota: quarter\n",
                                                                    "    quota: quarter\n    prorate_quota: false\n")
    plan = plan_of(text)
    leaves = {"E-R0": ((D(2026, 2, 10), D(2026, 3, 5)),), "E-R4": ((D(2026, 8, 1), D(2026, 8, 31)),),
              "E-M1": ((D(2026, 11, 2), D(2026, 11, 13)),), "E-R1": ((D(2025, 6, 1), D(2025, 6, 30)),)}
    inputs = dataclasses.replace(world(1), leaves=leaves)
    assert FastPath(plan, inputs).rated  # the rated components are rated in SQL, but for those prorated
    quick, slow = calculate(plan, inputs), calculate(plan, inputs, fast=False)
    assert seen(quick) == seen(slow)
    assert any("on leave" in e.explanation for e in quick.earnings if e.participant == "E-R0")
    assert any("target" in e.explanation and "days held" in e.explanation for e in quick.earnings
               if e.participant == "E-R4")
    assert seen(quick) != seen(calculate(plan, world(1)))  # the leaves changed something


# -------------------------------------------------------------------------------------------- draws

def test_a_draw_is_paid_for_the_active_days_of_a_hire_month_and_a_leave_month():
    dues = [PeriodDue("FY2026-M04", N(500), draw_days=(15, 30)), PeriodDue("FY2026-M05", N(1000)),
            PeriodDue("FY2026-M06", N(6000), draw_days=(20, 30))]
    lines = pay_periods(dues, Draw(N(4000), recoverable=True))
    # April (hired on the 16th): 4,000 × 15/30 = 2,000; earned 500 → the draw adds 1,500 (owed)
    assert (lines[0].draw_top_up, lines[0].paid, lines[0].draw_owed) == (1500, 2000, 1500)
    assert lines[0].explain() == "earned 500.00; draw 4,000.00 × 15/30 days = 2,000.00 adds 1,500.00; pay 2,000.00"
    # May: the whole draw, 4,000; earned 1,000 → adds 3,000 (owed 4,500)
    assert (lines[1].paid, lines[1].draw_owed) == (4000, 4500)
    # June (10 days on leave): 4,000 × 20/30 = 2,666.67; earned 6,000 → 3,333.33 above it recovers the draw
    assert lines[2].recovered == N(6000) - N(4000) * 20 / 30 and lines[2].paid == N("2666.67")
    assert round_money(lines[2].draw_owed) == N("1166.67")


def test_a_non_recoverable_draw_is_prorated_too_and_a_month_away_pays_no_draw():
    dues = [PeriodDue("FY2026-M01", N(0), draw_days=(0, 31)), PeriodDue("FY2026-M02", N(100), draw_days=(14, 28))]
    lines = pay_periods(dues, Draw(N(2800), recoverable=False))
    assert [(x.paid, x.draw_top_up) for x in lines] == [(0, 0), (1400, 1300)]  # 2,800 × 14/28 = 1,400


# --------------------------------------------------------------------------------------- properties

days = st.integers(0, 364).map(lambda n: YEAR[0] + timedelta(days=n))


@st.composite
def spans(draw, count: int = 4):
    """Disjoint (first, last) spans inside 2026, in order."""
    cuts = sorted(set(draw(st.lists(st.integers(0, 365), min_size=2, max_size=2 * count))))
    pairs = [(cuts[i], cuts[i + 1] - 1) for i in range(0, len(cuts) - 1, 2) if cuts[i] <= cuts[i + 1] - 1]
    return [(YEAR[0] + timedelta(days=a), YEAR[0] + timedelta(days=b)) for a, b in pairs]


def every_day(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@given(spans(), spans(), days, days)
def test_days_without_leave_are_the_days_held_that_are_not_away(held, away, start, end):
    start, end = min(start, end), max(start, end)
    in_span = every_day(start, end)
    held_days = set().union(*(every_day(*s) for s in held)) & in_span
    away_days = set().union(*(every_day(*s) for s in away))
    assert days_held(start, end, held) == len(held_days)
    assert days_held(start, end, without(held, away)) == len(held_days - away_days)
    assert Tenure(tuple(held), tuple(away)).days(start, end) == len(held_days - away_days)


@given(spans(6), spans(), st.decimals(1, 10**7, places=2))
def test_prorated_amounts_of_disjoint_tenures_add_up_to_at_most_the_annual_amount(tenures, away, amount):
    """A year's seat held in turn by several people (some on leave): their prorated shares ≤ the annual amount."""
    shares = [Tenure((spell,), tuple(away)) for spell in tenures]
    counted = [t.days(*YEAR) for t in shares]
    assert sum(counted) <= 365
    prorated = [t.prorate(amount, YEAR)[0] for t, n in zip(shares, counted, strict=True) if n]  # 0 days: unprorated
    assert sum(prorated) <= amount * (1 + N("1e-25"))  # each share exact to 28 digits
    if len(tenures) == 1 and tenures[0] == YEAR and not away:
        assert prorated == [amount]


@given(st.integers(1, 12), st.decimals(1, 10**5, places=2), st.decimals(0, 10**5, places=2))
def test_the_draw_share_is_one_without_a_hire_termination_or_leave_in_the_month(month, draw, earned):
    start = D(2026, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    total = days_inclusive(start, end)
    assert active_days(start, end, D(2025, 3, 1), None, [(D(2025, 6, 1), D(2025, 6, 30))]) == total
    assert PeriodDue("FY2026-M01", earned, draw_days=(total, total)).draw_share == 1
    plain = pay_periods([PeriodDue("FY2026-M01", earned)], Draw(draw, recoverable=True))
    full = pay_periods([PeriodDue("FY2026-M01", earned, draw_days=(total, total))], Draw(draw, recoverable=True))
    assert plain == full


def test_active_days_of_a_month_count_both_ends():
    april = (D(2026, 4, 1), D(2026, 4, 30))
    assert active_days(*april, D(2026, 4, 16), None) == 15  # hired on the 16th: 16–30 April
    assert active_days(*april, D(2026, 4, 16), None, [(D(2026, 4, 20), D(2026, 4, 24))]) == 10
    assert active_days(*april, D(2025, 1, 1), D(2026, 4, 10)) == 10  # left on the 10th
    assert active_days(*april, D(2025, 1, 1), None, [(D(2026, 3, 1), D(2026, 5, 31))]) == 0
    assert without([(D(2026, 1, 1), None)], [(D(2026, 3, 1), D(2026, 3, 31))]) == [
        (D(2026, 1, 1), D(2026, 2, 28)), (D(2026, 4, 1), None)]


# ------------------------------------------------------------------------------ a move to another plan

def test_overlap_keeps_the_days_in_both_lists_of_spans():
    held = [(D(2025, 6, 1), D(2026, 5, 31)), (D(2026, 9, 1), None)]
    assert overlap(held, [(D(2026, 1, 1), D(2026, 4, 15))]) == [(D(2026, 1, 1), D(2026, 4, 15))]
    assert overlap(held, [(D(2026, 4, 16), None)]) == [(D(2026, 4, 16), D(2026, 5, 31)), (D(2026, 9, 1), None)]
    assert overlap(held, [(D(2026, 6, 1), D(2026, 8, 31))]) == []
    assert overlap([(D(2026, 3, 1), None)], [(D(2026, 1, 1), None)]) == [(D(2026, 3, 1), None)]


@pytest.mark.parametrize("fast", [True, False])
def test_a_plan_has_only_the_credits_and_days_while_the_position_is_on_it(fast):
    """AE-1 held all year, on this plan from 16 April: January's deal is not the plan's, and the quota is
    prorated by the 260 days on the plan (the same on the fast and the Decimal path)."""
    on_plan = assignments_table([("AE-1", D(2026, 4, 16), None)])
    inputs = dataclasses.replace(
        inputs_of([line(1, "100000", D(2026, 1, 20)), line(2, "40000", D(2026, 4, 15)), line(3, "30000", D(2026, 4, 16))],
                  [{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}],
                  {("AE-1", "FY2026-M04", "bookings"): N(60_000)}),
        assignments=on_plan)
    result = calculate(plan_of(PERIOD_PLAN), inputs, fast=fast)
    # April: only the 16 April deal, 30,000; quota 60,000 × 15/30 = 30,000 → 5% marginal = 1,500
    assert [(e.period, e.base, e.quota, e.amount) for e in result.earnings] == [("FY2026-M04", 30000, 30000, 1500)]
    assert "quota 60,000.00 × 15/30 days held = 30,000.00" in result.earnings[0].explanation
    assert result.exceptions == []
