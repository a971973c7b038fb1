"""Properties of whole calculations: input row order does not matter; a deal and its reversal change nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.calculate import CalcInputs, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.plans import load_plan
from tests.test_calculate import holders

MONTHS = fiscal_months(2026)[:4]
PLAN = """
plan: PROPS
name: Properties
currency: USD
timing: booked
credit_rules:
  - {name: direct, kind: direct}
measures:
  - {name: bookings}
  - {name: new_bookings, filter: deal_type == "new"}
components:
  - name: Commission
    measure: bookings
    scope: year_to_date
    quota: year
    rate_table:
      method: marginal
      basis: attainment
      tiers: [{from: 0, to: 0.5, rate: 0.03}, {from: 0.5, to: 1, rate: 0.05}, {from: 1, rate: 0.09}]
  - name: Deal bonus
    measure: new_bookings
    scope: per_transaction
    rate_table: {method: whole_amount, basis: amount, tiers: [{from: 0, to: 50000, amount: 0}, {from: 50000, amount: 500}]}
cap: {amount: 40000, per: quarter}
"""
SEATS = ("AE-1", "AE-2")
QUOTAS = {(seat, "FY2026", "bookings"): Decimal(400000) for seat in SEATS}
PEOPLE = holders([{"participant": f"E-{i}", "position": seat, "valid_from": date(2026, 1, 1)}
                  for i, seat in enumerate(SEATS, 1)])

deals = st.lists(st.tuples(st.sampled_from(SEATS), st.integers(1, 4), st.integers(1, 28),
                           st.decimals(min_value=1, max_value=300000, places=2), st.sampled_from(["new", "renewal"])),
                 min_size=1, max_size=8)


def lines(raw) -> list[dict]:
    return [{"id": i, "external_id": f"T-{i}", "booked_date": date(2026, month, day), "account": "A",
             "amount": amount, "quantity": Decimal(1), "owner_position": seat, "deal_type": kind}
            for i, (seat, month, day, amount, kind) in enumerate(raw, 1)]


def earnings(rows: list[dict]) -> dict[tuple, Decimal]:
    plan, problems = load_plan(PLAN)
    assert problems == []
    result = calculate(plan, CalcInputs(CreditingInputs.from_rows(transactions=rows), PEOPLE, MONTHS, QUOTAS))
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for e in result.earnings:
        totals[(e.participant, e.component, e.period)] += e.amount
    return {key: amount for key, amount in totals.items() if amount}


@settings(max_examples=10, deadline=None)
@given(deals, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_row_order(raw, random):
    rows = lines(raw)
    shuffled = rows[:]
    random.shuffle(shuffled)
    assert earnings(shuffled) == earnings(rows)


@settings(max_examples=10, deadline=None)
@given(deals, st.sampled_from(SEATS), st.integers(1, 4), st.decimals(min_value=1, max_value=300000, places=2))
def test_a_deal_and_its_reversal_in_the_same_month_change_no_earnings(raw, seat, month, amount):
    rows = lines(raw)
    deal = {"id": 100, "external_id": "X", "booked_date": date(2026, month, 10), "account": "A", "amount": amount,
            "quantity": Decimal(1), "owner_position": seat, "deal_type": "new"}
    reversal = {"id": 101, "external_id": "X-CN", "booked_date": date(2026, month, 20), "account": "A",
                "amount": -amount, "quantity": Decimal(1), "kind": "credit_note", "original_id": 100}
    assert earnings([*rows, deal, reversal]) == earnings(rows)
