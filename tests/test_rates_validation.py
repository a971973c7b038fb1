"""Save-time validation of rate tables: errors are values with a code, a place and an exact message."""

from decimal import Decimal

import pytest

from attain.engine.rates import Point, RateError, RateTable, Tier

D = Decimal


def errors_of(d):
    table, errors = RateTable.from_dict(d)
    assert table is None
    return errors


def tiers_errors(tiers, method="marginal"):
    return errors_of({"method": method, "basis": "amount", "tiers": tiers})


def test_a_valid_table_has_no_errors():
    table, errors = RateTable.from_dict({"method": "marginal", "basis": "amount", "tiers": [{"from": 0, "rate": 0.1}]})
    assert errors == [] and table.tiers == (Tier(D(0), None, {"rate": D("0.1")}),)
    assert table.validate() == []


def test_missing_method_is_an_error_not_a_default():
    assert errors_of({"basis": "amount", "tiers": [{"from": 0, "rate": 0.1}]}) == [RateError(
        "missing_method", "rate table has no 'method'; name one of marginal, whole_amount, interpolated (there is no default tier method)")]


def test_unknown_method_basis_and_field():
    assert errors_of({"method": "step", "basis": "revenue", "tiers": [{"from": 0, "rate": 1}], "tier": 1}) == [
        RateError("unknown_field", "rate table has unknown field 'tier'; use basis, beyond, method, negative, points, tiers"),
        RateError("unknown_method", "unknown method 'step'; use one of marginal, whole_amount, interpolated"),
        RateError("unknown_basis", "unknown basis 'revenue'; use one of amount, attainment"),
    ]


def test_gap():
    assert tiers_errors([{"from": 0, "to": 0.5, "rate": 0.02}, {"from": 0.6, "rate": 0.04}]) == [RateError(
        "gap", "tier 2 starts at 0.6 but tier 1 ends at 0.5: values in [0.5, 0.6) match no tier; make tier 2 start at 0.5", 1)]


def test_overlap():
    assert tiers_errors([{"from": 0, "to": 0.5, "rate": 0.02}, {"from": 0.4, "rate": 0.04}]) == [RateError(
        "overlap", "tier 2 starts at 0.4 but tier 1 ends at 0.5: they overlap on [0.4, 0.5); make tier 2 start at 0.5", 1)]


def test_open_ended_in_the_middle():
    errors = tiers_errors([{"from": 0, "rate": 0.02}, {"from": 0.5, "to": 1, "rate": 0.04}])
    assert errors == [
        RateError("open_ended_not_last", "tier 1 has no 'to' (open-ended) but is not the last tier; give it a 'to' or move it last", 0),
        RateError("last_closed", "the last tier (tier 2) ends at 1; leave its 'to' empty so values from 1 up are covered", 1),
    ]


def test_last_tier_must_be_open_ended_so_nothing_silently_earns_zero():
    assert [e.code for e in tiers_errors([{"from": 0, "to": 1, "rate": 0.02}])] == ["last_closed"]


def test_must_start_at_zero_or_minus_infinity():
    assert tiers_errors([{"from": 10, "rate": 0.02}]) == [RateError(
        "bad_start", "tier 1 starts at 10; the first tier must start at 0 (or at -inf to rate negative values itself)", 0)]
    assert [e.code for e in tiers_errors([{"from": 0, "to": 1, "rate": 0}, {"from": "-inf", "rate": 0}])] == ["minus_infinity_not_first"]


def test_unsorted_tiers_are_flagged_not_sorted():
    assert tiers_errors([{"from": 0.5, "rate": 0.04}, {"from": 0, "to": 0.5, "rate": 0.02}]) == [RateError(
        "unsorted", "tier 2 starts at 0, below tier 1 (from 0.5); list tiers from lowest to highest", 1)]
    assert tiers_errors([{"from": 0, "to": 1, "rate": 0}, {"from": 2, "to": 3, "rate": 0}, {"from": 1, "rate": 0}]) == [RateError(
        "unsorted", "tier 3 starts at 1, below tier 2 (from 2); list tiers from lowest to highest", 2)]


def test_empty_range():
    assert tiers_errors([{"from": 0, "to": 0, "rate": 0}, {"from": 0, "rate": 0}])[0] == RateError(
        "empty_range", "tier 1 runs from 0 to 0; 'to' must be greater than 'from'", 0)


def test_rates_must_be_numbers_and_exactly_one_payout_form():
    assert tiers_errors([{"from": 0, "rate": "seven"}]) == [RateError(
        "not_a_number", "tier 1 'rate' 'seven' is not a number (write it like 0.04 or 1250)", 0)]
    assert tiers_errors([{"from": 0, "rate": 1, "amount": 5}]) == [RateError(
        "payout_form", "tier 1 has both 'rate' and 'amount'; give exactly one of 'rate' or 'amount'", 0)]
    assert tiers_errors([{"from": 0}]) == [RateError(
        "payout_form", "tier 1 has no 'rate' or 'amount'; give exactly one of 'rate' or 'amount'", 0)]
    assert tiers_errors([{"from": 0, "rate": True}])[0].code == "not_a_number"


def test_tier_fields_are_checked_for_typos():
    assert tiers_errors([{"from": 0, "rate": 0.1, "too": 5}]) == [RateError(
        "unknown_field", "tier 1 has unknown field 'too'; use amount, from, rate, to", 0)]


def curve_errors(points, beyond="flat"):
    return errors_of({"method": "interpolated", "basis": "attainment", "beyond": beyond, "points": points})


def test_unsorted_points():
    assert curve_errors([{"at": 0, "payout": 0}, {"at": 1, "payout": 5}, {"at": 0.5, "payout": 2}]) == [RateError(
        "unsorted_points", "point 3 (at 0.5) is not after point 2 (at 1); list points with strictly increasing 'at'", 2)]
    assert curve_errors([{"at": 0, "payout": 0}, {"at": 0, "payout": 5}])[0].code == "unsorted_points"


def test_curve_needs_a_start_at_zero_two_points_and_a_named_beyond():
    assert curve_errors([{"at": 0.5, "payout": 0}, {"at": 1, "payout": 5}]) == [RateError(
        "bad_start", "point 1 is at 0.5; the first point must be at 0", 0)]
    assert curve_errors([{"at": 0, "payout": 0}]) == [RateError(
        "too_few_points", "an interpolated table needs at least 2 points, got 1")]
    assert curve_errors([{"at": 0, "payout": 0}, {"at": 1, "payout": 5}], beyond=None) == [RateError(
        "missing_beyond", "rate table has no 'beyond'; name one of flat, extrapolate (what happens past the last point)")]
    assert curve_errors([{"at": 0, "payout": "x"}, {"at": 1, "payout": 5}]) == [RateError(
        "not_a_number", "point 1 'payout' 'x' is not a number (write it like 0.04 or 1250)", 0)]


def test_tiers_and_points_do_not_mix():
    assert [e.code for e in errors_of({"method": "interpolated", "basis": "amount", "beyond": "flat", "tiers": [],
                                       "points": [{"at": 0, "payout": 0}, {"at": 1, "payout": 1}]})] == ["tiers_on_curve"]
    assert [e.code for e in errors_of({"method": "marginal", "basis": "amount", "beyond": "flat",
                                       "tiers": [{"from": 0, "rate": 1}]})] == ["beyond_on_tiers"]


def test_validate_checks_tables_built_in_code():
    table = RateTable("interpolated", "amount", points=(Point(D(0), D(0)), Point(D(1), D(1))))
    assert table.validate() == [RateError("missing_beyond", "an interpolated table needs 'beyond': one of flat, extrapolate")]
    assert [e.code for e in RateTable("marginal", "amount", tiers=(Tier(D(1), None, {"rate": D(1)}),)).validate()] == ["bad_start"]


@pytest.mark.parametrize("bad", [None, [], "tiers"])
def test_tiers_must_be_a_non_empty_list(bad):
    assert [e.code for e in tiers_errors(bad)] == ["no_tiers"]
