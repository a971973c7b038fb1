"""Plan terms beside rate tables: caps over a window, plan cap, guarantee, MBO, matrix, eligibility.

The golden cases with hand-worked numbers are scenario files in examples/plans/terms/ (run by
test_scenarios.py); here: the problems a bad plan reports, eligibility of assigned positions, the
window cap's invariant, and the add-months rule of a guarantee.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.calculate import CalcInputs, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.periods import add_months
from attain.engine.plans import load_plan
from attain.engine.plans.terms import CumulativeCap
from tests.test_calculate import E2_PLAN, holders, line

MONTHS = fiscal_months(2026)


def problems_of(text: str) -> list[str]:
    plan, problems = load_plan(text)
    assert plan is None
    return [str(p) for p in problems]


def test_a_cap_shorter_than_its_scope_or_with_unknown_fields_is_refused():
    text = E2_PLAN.replace("    rate_table:\n", "    cap: {amount: 1000, per: quarter, carry: true}\n    rate_table:\n")
    assert problems_of(text) == [
        "Plan E2: component 'Commission', cap: cap has no field 'carry'; use amount, carry_forward, per, "
        "percent_of_target",
        "Plan E2: component 'Commission', cap: cap per is 'quarter', shorter than what the component measures "
        "(year): use per: year or longer"]


def test_plan_level_terms_report_their_problems():
    text = E2_PLAN + ("cap: {amount: 5000, percent_of_target: 2}\nguarantee: {amount: 3000}\n"
                      "eligibility: {position_kinds: ae, valid_from: 2026-03-01, valid_to: 2026-02-01}\n")
    assert problems_of(text) == [
        "Plan E2: cap: cap needs exactly one of amount (e.g. amount: 5000) or percent_of_target (e.g. "
        "percent_of_target: 1.5 = 150% of target incentive); it has both",
        "Plan E2: guarantee: a guarantee runs either for the participant's first_months on the position or from "
        "valid_from (to valid_to): give one of them",
        "Plan E2: eligibility: eligibility position_kinds is a list of position kinds, e.g. [ae, sdr]",
        "Plan E2: eligibility: eligibility ends (2026-02-01) before it starts (2026-03-01): swap or correct the dates"]


def test_mbo_and_matrix_components_report_their_problems():
    text = E2_PLAN + """  - name: Objectives
    type: mbo
    objectives: {period: month, amount: 100}
  - name: Matrix
    measure: bookings
    scope: period
    matrix:
      rows: {measure: attainment, bands: [{from: 0}]}
      columns: {measure: logos, bands: [{from: 0}]}
      rates: [[0.01]]
  - name: Guarantee
    type: mbo
    objectives: {period: year, amount: 100}
"""
    assert problems_of(text) == [
        "Plan E2: component 'Objectives', objectives: objectives period is 'month'; use one of period, quarter, "
        "year (the period the objectives are set and scored for)",
        "Plan E2: component 'Matrix', matrix: 'logos' is not a measure of this plan; an axis reads a measure "
        "(bookings) or attainment",
        "Plan E2: component 'Matrix', quota: a matrix on attainment needs a quota: add quota: period, quarter or year",
        "Plan E2: component 'Guarantee', name: 'Guarantee' names the line the plan's guarantee adds: give the "
        "component another name"]


def test_an_mbo_component_takes_no_measure():
    text = E2_PLAN + "  - {name: Objectives, type: mbo, measure: bookings, objectives: {period: year, amount: 1}}\n"
    assert problems_of(text) == [
        "Plan E2: component 'Objectives', measure: this field is not part of a plan document: remove it or check "
        "its spelling"]


ELIGIBLE = E2_PLAN.replace("timing: booked\n", "timing: booked\neligibility: {position_kinds: [ae]}\n")


def test_an_assigned_position_of_another_kind_is_reported_not_paid():
    plan, problems = load_plan(ELIGIBLE)
    assert problems == []
    crediting = CreditingInputs.from_rows(
        transactions=[line(1, 100000, date(2026, 1, 10)), line(2, 100000, date(2026, 1, 10), owner_position="SE-1")],
        positions=[{"position": "AE-1", "kind": "ae"}, {"position": "SE-1", "kind": "se"}])
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1)},
                      {"participant": "E-2", "position": "SE-1", "valid_from": date(2026, 1, 1)}])
    quotas = {(p, "FY2026", "bookings"): Decimal(600000) for p in ("AE-1", "SE-1")}
    result = calculate(plan, CalcInputs(crediting, people, MONTHS[:1], quotas), positions={"AE-1", "SE-1"})
    assert [(e.participant, e.amount) for e in result.earnings] == [("E-1", 5000)]  # 100,000 × 5%
    assert result.exceptions == [
        "SE-1 is assigned to plan E2 but is of kind se; the plan pays positions of kind ae: not paid"]


def test_a_plan_cap_on_target_without_a_target_is_an_exception():
    plan, _ = load_plan(E2_PLAN + "cap: {percent_of_target: 2, per: year}\n")
    crediting = CreditingInputs.from_rows(transactions=[line(1, 100000, date(2026, 1, 10))])
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1)}])
    result = calculate(plan, CalcInputs(crediting, people, MONTHS[:1], {("AE-1", "FY2026", "bookings"): 600000}))
    assert result.exceptions == ["E-1 (AE-1), plan cap not applied: this cap is a percentage of target incentive; "
                                 "give the target incentive"]


@given(st.lists(st.integers(-5000, 9000).map(Decimal), min_size=1, max_size=14), st.integers(0, 20000).map(Decimal))
def test_a_window_cap_pays_the_smaller_of_earned_and_limit_to_date(amounts, limit):
    cap, paid_total = CumulativeCap(limit, "limit"), Decimal(0)
    for i, amount in enumerate(amounts):
        paid, before, _ = cap.pay("FY2026", amount, lambda: "", "year")
        assert before == paid_total
        paid_total += paid - before
        assert paid_total == min(sum(amounts[: i + 1]), limit)


def test_months_are_added_to_the_same_day_or_the_month_end():
    assert add_months(date(2026, 1, 16), 2) == date(2026, 3, 16)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 1), 1) == date(2028, 1, 1)


def test_formula_problems_name_the_field_and_the_fix():
    text = E2_PLAN.replace("    rate_table:\n", "    formula: payout * bokings\n    rate_table:\n")
    assert problems_of(text) == [
        "Plan E2: component 'Commission', formula: Unknown field 'bokings' at column 9; did you mean 'bookings'?\n"
        "  payout * bokings\n"
        "           ^"]
    condition = E2_PLAN.replace("    rate_table:\n", "    formula: payout > 0\n    rate_table:\n")
    assert problems_of(condition) == [
        "Plan E2: component 'Commission', formula: a formula gives an amount, but this gives a true/false: write an "
        "amount, e.g. if(deal_type == \"new\", payout, 0)"]
    clash = E2_PLAN.replace("  - {name: bookings}", "  - {name: bookings}\n  - {name: quota}").replace(
        "    rate_table:\n", "    formula: payout\n    rate_table:\n")
    assert problems_of(clash) == [
        "Plan E2: component 'Commission', formula: the measure 'quota' has the name of a formula field; rename the "
        "measure to use it in a formula"]


def test_a_formula_without_a_value_is_an_exception_not_a_zero():
    plan, problems = load_plan(E2_PLAN.replace("    rate_table:\n", "    formula: payout * 100 / value\n"
                                                                    "    rate_table:\n"))
    assert problems == []
    crediting = CreditingInputs.from_rows(transactions=[line(1, 100000, date(2026, 1, 10)),
                                                        line(2, -100000, date(2026, 2, 10))])
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1)}])
    result = calculate(plan, CalcInputs(crediting, people, MONTHS[:2], {("AE-1", "FY2026", "bookings"): 600000}))
    # Jan: 5,000 × 100 ÷ 100,000 = 5; Feb: the year to date is 0, a division by zero
    assert [(e.period, e.amount) for e in result.earnings] == [("FY2026-M01", 5)]
    assert result.exceptions == [
        "E-1 (AE-1), Commission, not paid for FY2026-M02: the formula payout * 100 / value has no value here (an "
        "unknown field, a missing quota or a division by zero)"]


def test_a_flat_rate_table_is_one_rate_on_the_whole_amount():
    flat = E2_PLAN.replace("""    quota: year
    rate_table:
      method: marginal
      basis: attainment
      tiers:
        - {from: 0, to: 1, rate: 0.05}
        - {from: 1, rate: 0.10}""", "    rate_table: {method: flat, rate: 0.04}")
    plan, problems = load_plan(flat)
    assert problems == []
    crediting = CreditingInputs.from_rows(transactions=[line(1, 250000, date(2026, 1, 10))])
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1)}])
    [earning] = calculate(plan, CalcInputs(crediting, people, MONTHS[:1], {})).earnings
    assert earning.amount == 10000  # 250,000 × 4%
    assert problems_of(flat.replace("rate: 0.04}", "rate: 0.04, tiers: []}")) == [
        "Plan E2: component 'Commission', rate_table: a flat table is one rate on the amount, e.g. {method: flat, "
        "rate: 0.05}; remove tiers"]


def test_a_guarantee_on_target_is_a_twelfth_of_the_annual_target_prorated_by_days():
    plan, problems = load_plan(E2_PLAN + "guarantee: {percent_of_target: 1, first_months: 3}\n")
    assert problems == []
    crediting = CreditingInputs.from_rows(transactions=[line(1, 10000, date(2026, 1, 20))])
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 16)}])
    inputs = CalcInputs(crediting, people, MONTHS[:1], {("AE-1", "FY2026", "bookings"): Decimal(600000)},
                        {"AE-1": Decimal(62400)})
    [commission, guarantee] = calculate(plan, inputs).earnings
    # 62,400 ÷ 12 = 5,200 a month; 16–31 January = 16 of 31 days: 5,200 × 16/31 = 2,683.870967741935483870967742;
    # commission 10,000 × 5% = 500, so the guarantee adds 2,183.870967741935483870967742
    assert guarantee.amount == Decimal(5200) * 16 / 31 - 500
    assert guarantee.explanation == (
        "Guarantee: 5,200.00 a month (100% of the target incentive 62,400.00 ÷ 12) from 2026-01-16 to 2026-04-15 "
        "× 16/31 days = 2,683.87; earned 500.00, so the guarantee adds 2,183.87")
