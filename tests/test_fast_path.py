"""The fast path (SQL sums and rates) gives exactly what the Decimal path gives, or leaves it to Python."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from attain.engine import fast
from attain.engine.calculate import CalcInputs, _payout, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.effective import Span
from attain.engine.plans import load_plan
from attain.engine.plans.loading import Component
from attain.engine.rates import Cap, Gate, RateError, RateTable
from attain.engine.rates.to_ibis import parameters, payout_expr, unsupported

D = Decimal
DAY = date(2026, 12, 31)
MONTHS = fiscal_months(2026)

# ------------------------------------------------------------------- one payout, SQL against Decimal

places = st.integers(min_value=0, max_value=6)


def decimals(low, high, scale=places):
    return st.builds(lambda v, p: Decimal(v).quantize(Decimal(1).scaleb(-p)),
                     st.decimals(min_value=low, max_value=high, allow_nan=False, allow_infinity=False), scale)


@st.composite
def components(draw):
    basis = draw(st.sampled_from(["amount", "attainment"]))
    scale = D("0.25") if basis == "attainment" else D(10_000)
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=12), max_size=4)))
    starts, ends = [0, *cuts], [*cuts, None]
    tiers = []
    for lo, hi in zip(starts, ends, strict=True):
        tier = {"from": lo * scale, "to": None if hi is None else hi * scale}
        if draw(st.integers(0, 5)) == 0:
            tier["amount"] = draw(decimals(0, 5000, st.integers(0, 2)))
        else:
            tier["rate"] = draw(decimals(0, 2, st.integers(0, 4)))
        tiers.append(tier)
    method = draw(st.sampled_from(["marginal", "whole_amount"]))
    table = RateTable.load({"method": method, "basis": basis, "tiers": tiers,
                            "negative": draw(st.sampled_from(["mirror", "reject"]))})
    gate = draw(st.none() | st.builds(Gate, st.integers(0, 6).map(lambda k: k * scale / 2),
                                      st.sampled_from(["from_first_dollar", "above_threshold_only"])))
    cap = draw(st.none() | st.builds(Cap, st.just("amount"), decimals(0, 10**6, st.integers(0, 2)))
               | st.builds(Cap, st.just("percent_of_target"), decimals(0, 3, st.integers(0, 2))))
    payout = draw(st.sampled_from(["amount", "percent_of_target"]))
    if payout == "percent_of_target" and method == "marginal":
        table = dataclasses.replace(table, tiers=tuple(dataclasses.replace(
            t, values={k: v / 100_000 for k, v in t.values.items()}) for t in table.tiers))
    return Component("C", "commission", "bookings", "year_to_date", "year" if basis == "attainment" else None,
                     ((Span(None, date.min, None), table),), gate, cap, payout)


bases = decimals(-3 * 10**6, 3 * 10**6, st.integers(0, 12))


def sql_payouts(component, base_values, quota, target):
    """The SQL payouts of the bases (None where the expression leaves them to Python)."""
    values = parameters(component, quota, target)
    column = pa.array([b.quantize(D("1E-12")) for b in base_values], pa.decimal128(38, 12))
    t = ibis.memtable(pa.table({"i": pa.array(range(len(base_values))), "base": column}))
    if values is None:
        return [None] * len(base_values)
    expr = t.select("i", paid=payout_expr(component, t.base, lambda k: fast._literal(values[k]))).order_by("i")
    return expr.to_pyarrow()["paid"].to_pylist()


@settings(max_examples=120, deadline=None)
@given(components(), st.lists(bases, min_size=1, max_size=8),
       st.none() | decimals(-1000, 2 * 10**6, st.integers(0, 4)), st.none() | decimals(0, 10**5, st.integers(0, 2)))
def test_sql_payouts_equal_the_decimal_payouts_exactly(component, base_values, quota, target):
    assert unsupported(component) is None
    paid = sql_payouts(component, base_values, quota, target)
    for base, sql in zip(base_values, paid, strict=True):
        base = base.quantize(D("1E-12"))  # a measure value as the Decimal path reads it
        python = _payout(component, DAY, base, quota, target, {})
        if isinstance(python, RateError):
            assert sql is None, (base, python.message)
        elif sql is not None:
            assert sql == python.amount, (base, sql, python.amount)


@settings(max_examples=40, deadline=None)
@given(components(), st.lists(decimals(0, 10**6, st.integers(0, 4)), min_size=1, max_size=5))
def test_ordinary_rows_are_rated_in_sql(component, base_values):
    """With a quota (and a target) given, every base of ordinary size pays an amount in SQL, not in Python."""
    assume(component.payout == "amount")  # fractions of target: many more places, rightly often left to Python
    paid = sql_payouts(component, base_values, D(500_000), D(20_000))
    assert all(p is not None for p in paid)


def test_bases_beyond_28_digits_are_left_to_python():
    component = Component("C", "commission", "bookings", "year_to_date", None, ((Span(None, date.min, None),
                          RateTable.load({"method": "marginal", "basis": "amount",
                                          "tiers": [{"from": 0, "rate": D("0.0123456789")}]})),))
    huge, ordinary = D("1234567890123456.123456789012"), D("1234.5")
    # 1,234.5 × 0.0123456789 = 12.3456789 + 2.89506170205 (234.5 × 0.0123456789) = 15.24074060205
    assert sql_payouts(component, [huge, ordinary], None, None) == [None, D("15.24074060205")]


# ------------------------------------------------------------ whole plans: fast path against Decimal path

PLAN = """
plan: FAST
name: Fast path against the Decimal path
currency: USD
timing: booked
credit_rules:
  - {name: territory, kind: territory}
  - {name: managers, kind: rollup, source: [territory], depth: 2}
measures:
  - {name: bookings}
  - {name: new_bookings, filter: 'deal_type == "new"'}
  - {name: deals, aggregate: count}
  - {name: big, filter: 'value > 1000'}
components:
  - name: Commission
    measure: bookings
    scope: year_to_date
    quota: year
    gate: {threshold: 0.25, kind: above_threshold_only}
    cap: {amount: 3000}
    rate_table:
      method: marginal
      basis: attainment
      tiers: [{from: 0, to: 0.5, rate: 0.02}, {from: 0.5, to: 1, rate: 0.05}, {from: 1, rate: 0.1}]
  - name: New business
    measure: new_bookings
    scope: quarter_to_date
    quota: quarter
    payout: percent_of_target
    cap: {percent_of_target: 0.5}
    rate_table:
      method: whole_amount
      basis: attainment
      tiers: [{from: 0, to: 1, rate: 0.1}, {from: 1, amount: 0.2}]
  - name: Monthly
    measure: bookings
    scope: period
    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, to: 5000, rate: 0.01}, {from: 5000, rate: 0.015}]}
  - name: Per deal
    measure: deals
    scope: period
    rate_table: {method: whole_amount, basis: amount, tiers: [{from: 0, rate: 10}]}
  - name: Big deals
    measure: big
    scope: year_to_date
    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, rate: 0.003}]}
  - name: Kicked
    measure: bookings
    scope: year_to_date
    quota: period
    rate_table: {method: marginal, basis: attainment, tiers: [{from: 0, rate: 0.01}]}
"""


def world(seed: int):
    rng = random.Random(seed)
    reps = [f"R{i}" for i in range(6)]
    lines = []
    for i in range(300):
        original = i > 20 and rng.random() < 0.08
        source = lines[rng.randrange(len(lines))] if original else None
        amount = -source["amount"] if original else D(rng.randrange(-50_000, 900_000)) / 100
        lines.append({"id": i, "external_id": f"T-{i:04d}", "booked_date": date(2026, rng.randrange(1, 13), rng.randrange(1, 29)),
                      "account": source["account"] if original else f"A{rng.randrange(12)}", "amount": amount,
                      "quantity": D(1), "deal_type": rng.choice(["new", "renewal"]),
                      "original_id": source["id"] if original else None})
    accounts = [{"account": f"A{a}", "territory": f"T{a % 6}", "valid_from": date(2020, 1, 1),
                 "valid_to": date(2026, 6, 30) if a == 3 else None} for a in range(12)]
    accounts.append({"account": "A3", "territory": "T5", "valid_from": date(2026, 7, 1), "valid_to": None})
    cover = [{"territory": f"T{t}", "position": reps[t], "role": "primary", "valid_from": date(2020, 1, 1)}
             for t in range(6)]
    lines_up = [{"position": r, "manager": "M1" if k < 3 else "M2", "valid_from": date(2020, 1, 1)}
                for k, r in enumerate(reps)] + [{"position": m, "manager": "D1", "valid_from": date(2020, 1, 1)}
                                                for m in ("M1", "M2")]
    crediting = CreditingInputs.from_rows(transactions=lines, account_territories=accounts,
                                          territory_positions=cover, reporting_lines=lines_up)
    holders = [{"participant": f"E-{p}", "position": p, "valid_from": date(2020, 1, 1), "valid_to": None}
               for p in [*reps[:4], "M1", "M2", "D1"]]
    holders.append({"participant": "E-R4", "position": "R4", "valid_from": date(2026, 3, 10), "valid_to": None})
    # R5 has no holder (vacant): its credits are reported, not paid
    schema = pa.schema([("participant", pa.string()), ("position", pa.string()), ("valid_from", pa.date32()),
                        ("valid_to", pa.date32())])
    quotas = {}
    for p in [*reps, "M1", "M2", "D1"]:
        if p == "R2":
            continue  # no quota: an exception, not a crash
        quotas[(p, "FY2026", "bookings")] = D(rng.randrange(200, 3000) * 1000)
        for q in range(1, 5):
            quotas[(p, f"FY2026-Q{q}", "new_bookings")] = D(rng.randrange(50, 900) * 1000) / 10
        for m in MONTHS:
            quotas[(p, m.period, "bookings")] = D(rng.randrange(10, 300) * 1000)
    targets = {p: D(rng.randrange(10, 90) * 1000) for p in [*reps, "M1", "M2", "D1"] if p != "R1"}
    return CalcInputs(crediting, ibis.memtable(pa.Table.from_pylist(holders, schema=schema)), MONTHS, quotas, targets)


def seen(result):
    return ([(e.participant, e.position, e.component, e.period, e.base, e.quota, e.earned_to_date, e.earned_before,
              e.amount, e.rounded, e.explanation) for e in result.earnings], result.exceptions)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_plan_on_the_fast_path_earns_exactly_what_the_decimal_path_earns(seed):
    plan, problems = load_plan(PLAN)
    assert problems == []
    inputs = world(seed)
    chosen = fast.FastPath(plan, inputs)
    assert set(chosen.measures) == {"bookings", "new_bookings"}  # count and a filter on value: Decimal path
    assert set(chosen.rated) == {"Commission", "New business", "Monthly"}  # quota: period on YTD: Decimal path
    quick = calculate(plan, inputs)
    assert not fast.FastPath(plan, inputs, enabled=False).measures
    slow = calculate(plan, inputs, fast=False)  # everything on the Decimal path
    assert seen(quick) == seen(slow)
    assert len(quick.earnings) > 100 and quick.exceptions  # vacancy, missing quota and target reported alike
    def key(row):
        return tuple(map(str, row.values()))

    assert sorted(quick.measures, key=key) == sorted(slow.measures, key=key)  # the measures, fetched when read


def test_months_that_are_not_calendar_months_are_joined_by_date_range():
    plan, _ = load_plan(PLAN)
    inputs = world(1)
    shifted = tuple(dataclasses.replace(m, start_date=m.start_date.replace(day=15),
                                        end_date=(n.start_date.replace(day=14) if n else date(2027, 1, 14)))
                    for m, n in zip(MONTHS, [*MONTHS[1:], None], strict=True))
    assert fast._calendar(MONTHS) and not fast._calendar(shifted)
    inputs = dataclasses.replace(inputs, months=shifted)
    assert seen(calculate(plan, inputs)) == seen(calculate(plan, inputs, fast=False))


def test_a_component_with_a_field_the_fast_path_does_not_know_stays_on_the_decimal_path():
    @dataclasses.dataclass(frozen=True)
    class Newer(Component):
        guarantee: Decimal | None = None

    plan, _ = load_plan(PLAN)
    newer = [Newer(**{f.name: getattr(c, f.name) for f in dataclasses.fields(c)}, guarantee=D(100))
             for c in plan.components]
    chosen = fast.FastPath(dataclasses.replace(plan, components=tuple(newer)), world(1))
    assert chosen.rated == {}
