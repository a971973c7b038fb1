"""Clawbacks on per-transaction components (`clawback: {window_days, method}`, DOMAIN E5).

E5 worked by hand is examples/plans/terms/clawback.test.yaml; here: the plan problems, and a property
over booking days, cancellation days, contract terms and partial credit notes, on both paths.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.calculate import CalcInputs, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.periods import add_months, whole_months_between
from attain.engine.plans import load_plan
from tests.test_calculate import holders
from tests.test_fast_path import seen
from tests.test_plan_terms import problems_of

D = Decimal
MONTHS = fiscal_months(2026)

PLAN = """
plan: CLAW
name: Clawback
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - name: Commission
    measure: bookings
    scope: per_transaction
    rate_table: {method: flat, rate: 0.10}
    clawback: CLAWBACK
  - name: Monthly
    measure: bookings
    scope: period
    rate_table: {method: flat, rate: 0.01}
"""


def plan_text(clawback: str = "{window_days: 180, method: METHOD}", method: str = "full") -> str:
    return PLAN.replace("CLAWBACK", clawback).replace("METHOD", method)


def test_a_clawback_belongs_to_per_transaction_components_and_names_its_window_and_method():
    elsewhere = plan_text().replace("    rate_table: {method: flat, rate: 0.01}\n",
                                    "    rate_table: {method: flat, rate: 0.01}\n    clawback: {window_days: 90, "
                                    "method: full}\n")
    assert problems_of(elsewhere) == [
        "Plan CLAW: component 'Monthly', clawback: a clawback is a term of per-transaction components (scope: "
        "per_transaction); a period component re-rates its value when a credit note lowers it, so it takes back "
        "what is due by itself: remove clawback"]
    assert problems_of(plan_text("{window_days: -1, method: partly, days: 3}")) == [
        "Plan CLAW: component 'Commission', clawback: clawback has no field 'days'; use method, window_days",
        "Plan CLAW: component 'Commission', clawback: clawback window_days is -1; give the days after booking within "
        "which a cancellation takes the commission back, a whole number 0 or more (e.g. window_days: 180)",
        "Plan CLAW: component 'Commission', clawback: clawback method is 'partly'; use full (all the commission) or "
        "pro_rata (the part for the contract months not served)"]
    assert problems_of(plan_text("{window_days: 180}")) == [
        "Plan CLAW: component 'Commission', clawback: clawback method is None; use full (all the commission) or "
        "pro_rata (the part for the contract months not served)"]


def _run(text: str, lines: list[dict], fast: bool = True):
    plan, problems = load_plan(text)
    assert problems == []
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": date(2025, 1, 1)}])
    return calculate(plan, CalcInputs(CreditingInputs.from_rows(transactions=lines), people, MONTHS, {}), fast=fast)


def _line(id, amount, day, **more) -> dict:
    return {"id": id, "external_id": f"T-{id}", "booked_date": day, "account": "A", "amount": D(amount),
            "quantity": D(1), "owner_position": "AE-1", "deal_type": "new", **more}


@settings(max_examples=15, deadline=None)
@given(st.dates(date(2026, 1, 1), date(2026, 6, 30)), st.integers(0, 180), st.integers(1, 36),
       st.sampled_from(["full", "pro_rata"]), st.sampled_from([D(1), D("0.5"), D("0.25")]), st.booleans(),
       st.integers(0, 120))
def test_a_credit_note_takes_back_its_part_of_the_commission_inside_the_window(booked, after, term, method, part,
                                                                               dated, window):
    cancelled = min(booked + timedelta(days=after), date(2026, 12, 31))
    start, end = booked, add_months(booked, term) - timedelta(days=1)
    contract = {"contract_start": start, "contract_end": end} if dated else {}
    lines = [_line(1, 60000, booked, **contract),
             _line(2, -60000 * part, cancelled, original_id=1, owner_position=None, kind="credit_note")]
    text = plan_text(f"{{window_days: {window}, method: {method}}}")
    result = _run(text, lines)
    assert seen(result) == seen(_run(text, lines, fast=False))
    earned = sum((e.amount for e in result.earnings if e.component == "Commission"), D(0))
    commission = D(6000) * part  # the credit note's mirror: 10% of its part of the deal
    if (cancelled - booked).days > window:
        factor = D(0)  # outside the window: the commission stays earned
    elif method == "full" or not dated:
        factor = D(1)
    else:
        served = min(whole_months_between(start, cancelled), term)
        factor = D(term - served) / term
    assert earned == D(6000) - commission * factor
    # the period component re-rates the month's value as before: the credit note's −1% of its part
    assert sum((e.amount for e in result.earnings if e.component == "Monthly"), D(0)) == 600 - 600 * part
    month = next(m.period for m in MONTHS if m.start_date <= cancelled <= m.end_date)
    [note] = [e for e in result.earnings if e.component == "Commission" and e.period == month]
    assert "clawback: T-2 cancelled " in note.explanation
