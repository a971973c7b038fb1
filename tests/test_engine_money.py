from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.money import Money, MoneyError, allocate_rounding, round_money, show_percent, to_decimal

D = Decimal


def test_e7_round_once_not_per_line():
    lines = [D("33.335")] * 3
    assert round_money(sum(lines)) == D("100.01")
    assert sum(round_money(x) for x in lines) == D("100.02")  # what rounding per line would pay
    assert allocate_rounding(lines) == [D("33.34"), D("33.34"), D("33.33")]


def test_rounding_modes_and_minor_units():
    assert round_money(D("2.5"), 0, "half_up") == D("3")
    assert round_money(D("2.5"), 0, "half_even") == D("2")
    assert round_money(D("1.0005"), 3) == D("1.001")
    with pytest.raises(MoneyError, match="unknown rounding mode 'banker'"):
        round_money(D("1"), 2, "banker")


def test_negative_lines_allocate_to_the_rounded_total():
    lines = [D("-33.335")] * 3
    assert round_money(sum(lines)) == D("-100.01")
    assert sum(allocate_rounding(lines)) == D("-100.01")


@given(st.lists(st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False), min_size=1, max_size=30))
def test_displayed_lines_always_add_up_to_the_rounded_total(lines):
    shown = allocate_rounding(lines)
    assert sum(shown) == round_money(sum(lines))
    assert all(abs(s - p) < 1 for s, p in zip(shown, lines, strict=True))


def test_floats_are_refused_with_a_reason():
    with pytest.raises(MoneyError, match="binary float"):
        to_decimal(0.1)
    assert to_decimal("1,234.50") == D("1234.50")
    with pytest.raises(MoneyError, match="not a number"):
        to_decimal("12abc")


def test_money_refuses_mixed_currencies():
    assert Money("10.50", "USD") + Money("0.25", "USD") == Money(D("10.75"), "USD")
    with pytest.raises(MoneyError, match="cannot add EUR to USD"):
        Money("1", "USD") + Money("1", "EUR")
    with pytest.raises(MoneyError, match="ISO 4217"):
        Money("1", "usd")


def test_percentages_are_shown_exactly():
    assert [show_percent(D(x)) for x in ("0.9", "1.1", "0.125", "0.90000000", "1")] == [
        "90%", "110%", "12.5%", "90%", "100%"]
