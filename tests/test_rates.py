"""Golden tests for rate tables: DOMAIN E1 and E2 worked by hand, boundaries, negative bases."""

from decimal import Decimal

import pytest

from attain.engine.money import round_money
from attain.engine.rates import PlanError, RateError, RateTable, true_up, true_up_table

D = Decimal

E1_TIERS = [{"from": 0, "to": 0.5, "rate": 0.02}, {"from": 0.5, "to": 1.0, "rate": 0.04}, {"from": 1.0, "rate": 0.07}]
E1_POINTS = [{"at": 0, "payout": 0}, {"at": 0.5, "payout": 2000}, {"at": 1, "payout": 6000}, {"at": 1.5, "payout": 12000}]


def table(method, tiers=E1_TIERS, basis="attainment", **extra):
    return RateTable.load({"method": method, "basis": basis, "tiers": tiers, **extra})


def curve(beyond="flat", points=E1_POINTS, basis="attainment"):
    return RateTable.load({"method": "interpolated", "basis": basis, "beyond": beyond, "points": points})


def test_e1_marginal_splits_the_base_in_amount_terms():
    payout = table("marginal").apply(260000, quota=200000)
    assert payout.amount == D("10200")
    assert [(line.portion, line.rate, line.amount) for line in payout.lines] == [
        (D("100000"), D("0.02"), D("2000")), (D("100000"), D("0.04"), D("4000")), (D("60000"), D("0.07"), D("4200"))]
    assert [(line.lower, line.upper, line.lower_amount, line.upper_amount) for line in payout.lines] == [
        (D("0"), D("0.5"), D("0"), D("100000")), (D("0.5"), D("1.0"), D("100000"), D("200000")), (D("1.0"), None, D("200000"), None)]
    assert payout.describe() == ("100,000.00 at 2% (0–50% of quota) + 100,000.00 at 4% (50–100%)"
                                 " + 60,000.00 at 7% (above 100%) = 10,200.00")


def test_e1_whole_amount_pays_the_reached_rate_on_everything():
    payout = table("whole_amount").apply(260000, quota=200000)
    assert payout.amount == D("18200")
    assert payout.describe() == "260,000.00 at 7% (whole amount, tier reached: above 100% of quota) = 18,200.00"


def test_e1_interpolated_at_130_percent():
    payout = curve().apply(260000, quota=200000)
    assert payout.amount == D("9600")
    assert payout.describe() == ("6,000.00 + (130% − 100%) / (150% − 100%) × 6,000.00"
                                 " (curve between 100% and 150% of quota) = 9,600.00")


def test_curve_beyond_the_last_point_is_flat_or_extrapolated_as_named():
    assert curve("flat").apply(400000, quota=200000).amount == D("12000")  # 200%
    assert curve("extrapolate").apply(400000, quota=200000).amount == D("18000")  # slope 6,000 per 50%


@pytest.mark.parametrize(("bookings", "marginal", "whole"), [
    (99999, D("1999.98"), D("1999.98")),
    (100000, D("2000"), D("4000")),  # exactly 50%: the higher tier
    (200000, D("6000"), D("14000")),  # exactly 100%: the higher tier
    (0, D("0"), D("0")),
])
def test_a_value_exactly_at_a_boundary_belongs_to_the_higher_tier(bookings, marginal, whole):
    assert table("marginal").apply(bookings, quota=200000).amount == marginal
    assert table("whole_amount").apply(bookings, quota=200000).amount == whole


def test_amount_basis_describes_bounds_as_amounts():
    tiers = [{"from": 0, "to": "100000", "rate": "0.05"}, {"from": "100000", "rate": "0.08"}]
    payout = table("marginal", tiers, basis="amount").apply(D("150000"))
    assert payout.amount == D("9000")
    assert payout.describe() == "100,000.00 at 5% (0.00–100,000.00) + 50,000.00 at 8% (above 100,000.00) = 9,000.00"


def test_decelerator_is_just_a_lower_rate_in_a_higher_tier():
    tiers = [{"from": 0, "to": 1.5, "rate": 0.1}, {"from": 1.5, "rate": 0.05}]
    assert table("marginal", tiers).apply(400, quota=200).amount == D("35")  # 300 × 10% + 100 × 5%


def test_fixed_amounts_per_tier_are_milestone_bonuses():
    tiers = [{"from": 0, "to": 1, "amount": 0}, {"from": 1, "to": 1.5, "amount": 5000}, {"from": 1.5, "amount": 10000}]
    assert table("marginal", tiers).apply(200000, quota=200000).amount == D("5000")  # exactly 100%: reached
    assert table("marginal", tiers).apply(300000, quota=200000).amount == D("15000")  # both milestones
    assert table("whole_amount", tiers).apply(300000, quota=200000).amount == D("10000")  # the tier reached
    assert table("whole_amount", tiers).apply(199999, quota=200000).amount == D("0")
    assert "5,000.00 fixed (100–150% reached)" in table("marginal", tiers).apply(200000, quota=200000).describe()


def test_amounts_are_precise_and_rounded_only_later():
    payout = table("marginal", [{"from": 0, "rate": "0.03335"}], basis="amount").apply(1000)
    assert payout.amount == D("33.35000")
    assert round_money(payout.amount) == D("33.35")


def test_floats_from_yaml_are_read_through_their_text():
    payout = table("marginal", [{"from": 0.0, "rate": 0.07}], basis="amount").apply(D("0.1"))
    assert payout.amount == D("0.007")  # not 0.0070000000000000007


@pytest.mark.parametrize(("quota", "code", "message"), [
    (None, "missing_quota", "this table's tiers are on attainment; give the participant's quota for the period"),
    (0, "quota_not_positive", "quota is 0; attainment needs a quota above 0 (set the quota, or use an amount-basis table)"),
    ("-5", "quota_not_positive", "quota is -5; attainment needs a quota above 0 (set the quota, or use an amount-basis table)"),
])
def test_attainment_without_a_positive_quota_is_an_error_value(quota, code, message):
    for t in (table("marginal"), table("whole_amount"), curve()):
        assert t.apply(1000, quota=quota) == RateError(code, message)


def test_negative_base_mirrors_so_a_reversal_cancels_exactly():
    for t in (table("marginal"), table("whole_amount"), curve()):
        original, reversal = t.apply(260000, quota=200000), t.apply(-260000, quota=200000)
        assert original.amount + reversal.amount == 0
    reversal = table("marginal").apply(-260000, quota=200000)
    assert reversal.describe().startswith("negative base -260,000.00 rated as the reversal of 260,000.00: "
                                          "−[100,000.00 at 2% (0–50% of quota)] − [100,000.00 at 4% (50–100%)] − ")
    assert reversal.describe().endswith("= -10,200.00")


def test_negative_base_can_be_rejected():
    t = table("marginal", negative="reject")
    assert t.apply(-1, quota=10).code == "negative_base"
    assert t.apply(0, quota=10).amount == 0


def test_a_table_from_minus_infinity_rates_negative_bases_itself():
    tiers = [{"from": "-inf", "to": 0, "rate": 0.1}, {"from": 0, "to": 1000, "rate": 0.02}, {"from": 1000, "rate": 0.04}]
    t = table("marginal", tiers, basis="amount")
    assert t.apply(-500).amount == D("-50")  # 500 below 0 at 10%
    assert t.apply(1500).amount == D("40")
    assert t.apply(-500).describe() == "-500.00 at 10% (below 0.00) = -50.00"
    assert table("whole_amount", tiers, basis="amount").apply(-500).amount == D("-50")


def test_e2_year_to_date_true_up():
    annual = [{"from": 0, "to": 1, "rate": 0.05}, {"from": 1, "rate": 0.10}]
    lines = true_up_table(table("marginal", annual), [250000, 400000, -100000], quota=600000)
    assert [(x.earned_to_date, x.payment) for x in lines] == [
        (D("12500"), D("12500")), (D("35000"), D("22500")), (D("27500"), D("-7500"))]
    assert lines[2].describe() == "earned to date 27,500.00 − earned before 35,000.00 = pay -7,500.00"
    assert [x.payment for x in true_up([12500, 35000, 27500])] == [D("12500"), D("22500"), D("-7500")]


def test_true_up_passes_on_a_missing_quota_as_an_error_value():
    assert true_up_table(table("marginal"), [1], quota=None).code == "missing_quota"


def test_load_raises_plan_error_with_every_error():
    with pytest.raises(PlanError) as caught:
        RateTable.load({"basis": "attainment", "tiers": [{"from": 0, "to": 1, "rate": 0.1}, {"from": 2, "rate": 0.2}]})
    assert [e.code for e in caught.value.errors] == ["missing_method", "gap"]
