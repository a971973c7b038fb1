"""Sharing a month's earning among the deals credited in it: exact, pro rata, adding up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.attribution import attribute

D = Decimal


def test_shares_are_pro_rata_to_the_credits_and_add_up():
    # 1,000 over credits 1 : 1 : 1 → 333.3333333333 each, the last 0.0000000001 to the largest (the first)
    assert attribute(D(1000), [("A", D(5)), ("B", D(5)), ("C", D(5))]) == [
        ("A", D("333.3333333334")), ("B", D("333.3333333333")), ("C", D("333.3333333333"))]
    # a credit note in the month takes its share back: 900 over 300,000 and −100,000 → 1,350 and −450
    assert attribute(D(900), [("T-1", D(300000)), ("CN-1", D(-100000))]) == [("T-1", D(1350)), ("CN-1", D(-450))]


def test_without_credits_or_with_credits_adding_to_zero_nothing_is_attributed():
    assert attribute(D(500), []) == []
    assert attribute(D(500), [("T-1", D(100)), ("CN-1", D(-100))]) == []


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4),
       st.lists(st.decimals(min_value=-10**7, max_value=10**7, places=2), min_size=1, max_size=30))
def test_the_shares_always_add_up_to_the_amount_exactly(amount, values):
    credits = [(f"T-{i}", v) for i, v in enumerate(values)]
    shares = attribute(amount, credits)
    if sum(values) == 0:
        assert shares == []
    else:
        assert sum(share for _, share in shares) == amount
        assert [deal for deal, _ in shares] == [deal for deal, _ in credits]
