"""Caps that carry their excess forward within the plan year (`cap: {..., carry_forward: true}`).

The hand-worked cases are in examples/plans/terms/cap_carry_forward.test.yaml; here: the plan problems,
and properties over whole years: paid + still carried + forfeited = earned uncapped, no window pays
above the cap, and the fast and the Decimal path agree.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine import fast
from attain.engine.calculate import CalcInputs, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.money import show_amount
from attain.engine.plans import load_plan
from attain.engine.plans.terms import CarriedCap
from tests.test_calculate import holders
from tests.test_fast_path import seen
from tests.test_plan_terms import problems_of

D = Decimal
YEAR = fiscal_months(2026)
TWO_YEARS = YEAR + fiscal_months(2027)

PLAN = """
plan: CARRY
name: Carry forward
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - name: Commission
    measure: bookings
    scope: SCOPE
    cap: CAP
    rate_table: {method: flat, rate: 0.10}
"""


def plan_text(scope: str = "period", cap: str = "{amount: 5000, carry_forward: true}") -> str:
    return PLAN.replace("SCOPE", scope).replace("CAP", cap)


def test_carry_forward_is_a_yes_or_no_on_a_component_cap_shorter_than_the_year():
    yearly = [
        "Plan CARRY: component 'Commission', cap: cap is per year and carries forward: excess is carried within "
        "the plan year only, so a yearly cap (per: year, or a year_to_date component's cap) has nowhere to carry "
        "it; cap per period or quarter, or remove carry_forward"]
    assert problems_of(plan_text(cap="{amount: 5000, per: year, carry_forward: true}")) == yearly
    assert problems_of(plan_text(scope="year_to_date")) == yearly
    assert problems_of(plan_text(cap="{amount: 5000, carry_forward: 'yes'}")) == [
        "Plan CARRY: component 'Commission', cap: cap carry_forward is 'yes'; write carry_forward: true (or false)"]
    assert problems_of(plan_text(cap="{amount: 5000}") + "cap: {amount: 9000, carry_forward: true}\n") == [
        "Plan CARRY: cap: cap: carry_forward is a term of a component's cap; the plan's cap does not carry its "
        "excess forward: remove it, or put the cap with carry_forward on the component"]


def test_a_carrying_cap_stays_on_the_decimal_path():
    plan, problems = load_plan(plan_text())
    assert problems == []
    [component] = plan.components
    assert component.cap_carry and component.cap_window
    chosen = fast.FastPath(plan, _inputs([(1, 10, D(1000))], YEAR))
    assert "bookings" in chosen.measures and chosen.rated == {}
    plain, _ = load_plan(plan_text(cap="{amount: 5000}"))
    assert set(fast.FastPath(plain, _inputs([(1, 10, D(1000))], YEAR)).rated) == {"Commission"}


# ---------------------------------------------------------------------------------- the cap on its own

earnings = st.lists(st.integers(-6000, 12000).map(D), min_size=24, max_size=24)


@given(earnings, st.integers(0, 9000).map(D), st.sampled_from(["period", "quarter"]))
def test_what_is_paid_carried_and_forfeited_adds_up_to_what_was_earned(amounts, limit, per):
    cap = CarriedCap(limit, show_amount(limit), per)
    paid_in: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for month, amount in zip(TWO_YEARS, amounts, strict=True):
        forfeited = cap.forfeited
        paid, before, _ = cap.pay(month, amount, lambda: "")
        assert paid <= limit  # no window pays above the cap
        paid_in[month.name_of(per)] += paid - before
        by_year[month.fiscal_year] += amount - (paid - before)
        if month.start_date == month.year_span[0]:
            assert cap.carried_in == 0  # a plan year starts with nothing carried
        if month.end_date != month.year_span[1]:
            assert cap.forfeited == forfeited
        else:  # the year's end forfeits what is still carried: each year, paid + forfeited = earned
            assert cap.carried == 0
            assert cap.forfeited - forfeited == by_year[month.fiscal_year]
    assert sum(amounts) == sum(paid_in.values()) + cap.forfeited
    assert all(total <= limit for total in paid_in.values())


def test_each_later_month_pays_the_smaller_of_the_room_left_and_what_is_carried():
    cap = CarriedCap(D(5000), "5,000.00", "period")
    got = [cap.pay(m, D(a), lambda: "x")[0] for m, a in zip(YEAR[8:], (6200, 4200, 0, 8000), strict=True)]
    assert got == [5000, 5000, 400, 5000] and cap.forfeited == 3000


# --------------------------------------------------------------------------- whole years, both paths

deals = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28), st.integers(-40000, 120000).map(D)),
                 min_size=1, max_size=14)


def _inputs(raw, months) -> CalcInputs:
    lines = [{"id": i, "external_id": f"T-{i:02}", "booked_date": date(2026, month, day), "account": "A",
              "amount": amount, "quantity": D(1), "owner_position": "AE-1", "deal_type": "new"}
             for i, (month, day, amount) in enumerate(raw, 1)]
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1)}])
    return CalcInputs(CreditingInputs.from_rows(transactions=lines), people, months, {})


def _by_window(result, per: str) -> dict[str, Decimal]:
    names = {m.period: m.name_of(per) for m in YEAR}
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for e in result.earnings:
        paid[names[e.period]] += e.amount
    return paid


@settings(max_examples=12, deadline=None)
@given(deals, st.sampled_from([("period", "period"), ("per_transaction", "period"), ("period", "quarter"),
                               ("quarter_to_date", "quarter")]))
def test_over_a_year_paid_and_forfeited_add_up_to_the_uncapped_earnings_on_both_paths(raw, how):
    scope, per = how
    capped, _ = load_plan(plan_text(scope, f"{{amount: 5000, per: {per}, carry_forward: true}}"))
    uncapped, _ = load_plan(plan_text(scope, "{amount: 1000000000}"))
    inputs = _inputs(raw, YEAR)
    result = calculate(capped, inputs)
    assert seen(result) == seen(calculate(capped, inputs, fast=False))
    earned = sum((e.amount for e in calculate(uncapped, inputs).earnings), D(0))
    paid = sum((e.amount for e in result.earnings), D(0))
    assert all(total <= 5000 for total in _by_window(result, per).values())  # no window pays above the cap
    forfeited = earned - paid  # over a whole year nothing is still carried at its end
    assert forfeited >= 0
    december = [e.explanation for e in result.earnings if e.period == "FY2026-M12"]
    if forfeited:
        assert december and december[-1].endswith(
            f"; {show_amount(forfeited)} still carried at the end of FY2026 is forfeited (excess is carried within "
            "the plan year only)")
    else:
        assert not any("forfeited" in text for text in december)


@pytest.mark.parametrize("scope", ["period", "per_transaction"])
def test_what_is_still_carried_when_the_participant_leaves_the_position_is_forfeited(scope):
    """E-1 holds AE-1 from 1 January to 15 March. A 200,000 deal in January earns 20,000 at 10%, capped at 5,000 a
    month: 5,000 paid in January, February and March (E-1 held AE-1 in March until the 15th); the 5,000 still
    carried in April is forfeited, not paid to someone who left."""
    inputs = _inputs([(1, 10, D(200000))], YEAR)
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2026, 1, 1),
                       "valid_to": date(2026, 3, 15)}])
    result = calculate(load_plan(plan_text(scope))[0], dataclasses.replace(inputs, holders=people))
    assert [(e.period, e.amount) for e in result.earnings] == [
        ("FY2026-M01", 5000), ("FY2026-M02", 5000), ("FY2026-M03", 5000), ("FY2026-M04", 0)]
    assert result.earnings[-1].explanation.endswith(
        "5,000.00 still carried is forfeited: the participant no longer holds the position on this plan")
