"""Golden tests for the building blocks: E8 target payout, gates, caps, kicker, matrix, MBO, fixed amounts."""

from decimal import Decimal

import pytest

from attain.engine.rates import (
    Cap,
    FixedAmount,
    Gate,
    Kicker,
    MatrixTable,
    Objective,
    PlanError,
    RateError,
    RateTable,
    TargetPayout,
    mbo_payout,
)

D = Decimal

E8 = {"target_incentive": 50000, "cap_percent": 2, "curve": {
    "method": "interpolated", "basis": "attainment", "beyond": "extrapolate",
    "points": [{"at": 0, "payout": 0}, {"at": 1, "payout": 1}, {"at": 2, "payout": 3}]}}


def test_e8_payout_percent_of_target_at_130_percent():
    step = TargetPayout.load(E8).apply(260000, quota=200000)
    assert (step.amount, step.excess) == (D("80000"), D("0"))
    assert step.describe() == "130% attainment → payout 160% of target 50,000.00 = 80,000.00"


def test_e8_capped_at_200_percent_with_the_excess_reported():
    step = TargetPayout.load(E8).apply(320000, quota=200000)
    assert (step.before, step.amount, step.excess) == (D("110000"), D("100000"), D("10000"))
    assert step.describe() == ("160% attainment → payout 220% of target 50,000.00, capped at 200%"
                               " = 100,000.00 (10,000.00 above the cap)")


MARGINAL = RateTable.load({"method": "marginal", "basis": "attainment",
                           "tiers": [{"from": 0, "to": 1, "rate": 0.05}, {"from": 1, "rate": 0.10}]})


@pytest.mark.parametrize(("bookings", "first_dollar", "above_only"), [
    (49999, D("0"), D("0")),  # below 50%: nothing
    (50000, D("2500"), D("0")),  # exactly at the threshold: reached
    (80000, D("4000"), D("1500")),  # 30,000 above the threshold at 5%
    (120000, D("7000"), D("4500")),  # 50,000 × 5% + 20,000 × 10% above the threshold
])
def test_gates_from_the_first_dollar_or_only_above_the_threshold(bookings, first_dollar, above_only):
    assert Gate(D("0.5"), "from_first_dollar").apply(MARGINAL, bookings, 100000).amount == first_dollar
    assert Gate(D("0.5"), "above_threshold_only").apply(MARGINAL, bookings, 100000).amount == above_only


def test_gate_explains_itself():
    assert Gate.load({"threshold": 0.5, "kind": "from_first_dollar"}).apply(MARGINAL, 40000, 100000).describe() == (
        "40,000.00 is below the threshold 50,000.00 (50% of quota): nothing earned")
    assert Gate(D("0.5"), "above_threshold_only").apply(MARGINAL, 80000, 100000).describe() == (
        "threshold 50,000.00 (50% of quota) reached, only the part above it earns: 30,000.00 at 5% (0–100% of quota) = 1,500.00")
    with pytest.raises(PlanError, match="gate kind is 'sometimes'; name one of from_first_dollar, above_threshold_only"):
        Gate.load({"threshold": 0.5, "kind": "sometimes"})


def test_gate_above_threshold_on_whole_amount_and_curve():
    whole = RateTable.load({"method": "whole_amount", "basis": "amount", "tiers": [{"from": 0, "to": 100, "rate": 0.1}, {"from": 100, "rate": 0.2}]})
    assert Gate(D(50), "above_threshold_only").apply(whole, 150).amount == D("20")  # (150 − 50) × 20%
    curve = RateTable.load({"method": "interpolated", "basis": "amount", "beyond": "flat",
                            "points": [{"at": 0, "payout": 0}, {"at": 100, "payout": 1000}]})
    step = Gate(D(50), "above_threshold_only").apply(curve, 80)
    assert step.amount == D("300")  # 800 − 500
    assert step.describe() == (
        "threshold 50.00 reached, only the part above it earns: 0.00 + (80.00 − 0.00) / (100.00 − 0.00) × 1,000.00"
        " (curve between 0.00 and 100.00) − [0.00 + (50.00 − 0.00) / (100.00 − 0.00) × 1,000.00"
        " (curve between 0.00 and 100.00), below the threshold] = 300.00")


def test_caps_absolute_and_percent_of_target_report_the_excess():
    step = Cap.load({"amount": 10000}).apply(D("12500"))
    assert (step.amount, step.excess, step.describe()) == (D("10000"), D("2500"), "12,500.00 capped at 10,000.00; 2,500.00 above the cap")
    step = Cap.load({"percent_of_target": 2}).apply(D("90000"), target=50000)
    assert (step.amount, step.excess) == (D("90000"), D("0"))
    assert step.describe() == "90,000.00 is within the cap 100,000.00 (200% of target 50,000.00)"
    assert Cap(kind="percent_of_target", value=D(2)).apply(D(1)) == RateError(
        "missing_target", "this cap is a percentage of target incentive; give the target incentive")
    assert Cap(kind="amount", value=D(100)).apply(D("-500")).amount == D("-500")  # reversals are not capped


KICKER = {"measure": "new_logos", "bands": [{"from": 0, "to": 3, "multiplier": 1}, {"from": 3, "multiplier": 1.1}]}


def test_kicker_multiplies_from_the_second_measure():
    kicker = Kicker.load(KICKER)
    assert kicker.apply(D("10200"), 2).amount == D("10200")
    step = kicker.apply(D("10200"), 3)  # exactly 3: the higher band
    assert step.amount == D("11220.0")
    assert step.describe() == "10,200.00 × 1.1 (new_logos 3, band above 3) = 11,220.00"
    assert kicker.apply(D(1), -1).code == "below_bands"
    assert [e.code for e in Kicker.from_dict({"measure": "x", "bands": [{"from": 0, "to": 3, "multiplier": 1}, {"from": 4, "multiplier": 2}]})[1]] == ["gap"]


MATRIX = {"rows": {"measure": "attainment", "bands": [{"from": 0, "to": 1}, {"from": 1}]},
          "columns": {"measure": "margin", "bands": [{"from": 0, "to": 0.3}, {"from": 0.3}]},
          "rates": [[0.03, 0.04], [0.05, 0.07]]}


def test_matrix_rate_by_two_bands():
    matrix = MatrixTable.load(MATRIX)
    assert matrix.apply(D("0.99"), D("0.3"), 100000).amount == D("4000")
    step = matrix.apply(1, D("0.25"), 100000)  # exactly 100%: the higher row
    assert step.amount == D("5000")
    assert step.describe() == "100,000.00 at 5% (attainment above 1 × margin 0–0.3) = 5,000.00"


def test_matrix_validation():
    bad = {**MATRIX, "rates": [[0.03, 0.04]]}
    assert MatrixTable.from_dict(bad)[1] == [RateError(
        "matrix_shape", "matrix 'rates' must be 2 rows of 2 rates (one row per row band, one rate per column band)")]
    overlap = {**MATRIX, "columns": {"measure": "margin", "bands": [{"from": 0, "to": 0.3}, {"from": 0.2}]}}
    assert MatrixTable.from_dict(overlap)[1] == [RateError(
        "overlap", "column band 2 starts at 0.2 but column band 1 ends at 0.3: they overlap on [0.2, 0.3); make column band 2 start at 0.3", 1)]


def test_mbo_weighted_scores_times_target():
    step = mbo_payout([Objective("pipeline hygiene", D("0.6"), D("0.8")), Objective("certification", D("0.4"), D(1))], 10000)
    assert step.amount == D("8800")
    assert step.describe() == ("(pipeline hygiene 60% × 80% + certification 40% × 100%) = 88% of target 10,000.00 = 8,800.00")
    assert mbo_payout([Objective("a", D("0.5"), D("1.2"))], 100) == [
        RateError("score_out_of_range", "objective 1 (a) is scored 1.2; scores run from 0 to 1", 0)]
    assert mbo_payout([Objective("a", D("0.5"), D(1))], 100) == [
        RateError("weights_not_one", "objective weights add up to 0.5; they must add up to 1 (100%)")]


def test_fixed_amounts_per_unit_and_per_deal():
    step = FixedAmount.load({"amount": 50, "per": "unit"}).apply(12)
    assert (step.amount, step.describe()) == (D("600"), "12 units × 50.00 = 600.00")
    assert FixedAmount.load({"amount": "250.00", "per": "deal"}).apply(-1).amount == D("-250.00")  # a cancelled deal
    with pytest.raises(PlanError, match="fixed amount per is 'month'"):
        FixedAmount.load({"amount": 50, "per": "month"})


def test_blocks_built_in_code_refuse_unknown_kinds():
    with pytest.raises(PlanError, match="gate kind is 'above'; name one of from_first_dollar, above_threshold_only"):
        Gate(D(1), "above")
    with pytest.raises(PlanError, match="cap kind is 'pct'"):
        Cap("pct", D(2))
    with pytest.raises(PlanError, match="fixed amount has no 'amount'; give it as a number"):
        FixedAmount.load({"per": "unit"})
    with pytest.raises(PlanError, match="a cap needs exactly one of amount, percent_of_target"):
        Cap.load({"amount": 1, "percent_of_target": 2})


def test_target_payout_validation_collects_curve_and_target_errors():
    table, errors = TargetPayout.from_dict({"curve": {"basis": "attainment"}, "cap_percent": "two"})
    assert table is None
    assert [e.code for e in errors] == ["missing_method", "missing_target", "not_a_number"]
    assert TargetPayout.load(E8).apply(1, quota=0).code == "quota_not_positive"
