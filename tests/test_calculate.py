"""A plan document through the whole engine: crediting → measures → earnings (E1, E2), explained."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from attain.engine.calculate import CalcInputs, calculate, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.money import round_money
from attain.engine.plans import load_plan

D = date
MONTHS = fiscal_months(2026)

E2_PLAN = """
plan: E2
name: Year-to-date true-up
currency: USD
timing: booked
credit_rules:
  - {name: direct, kind: direct}
measures:
  - {name: bookings}
components:
  - name: Commission
    measure: bookings
    scope: year_to_date
    quota: year
    rate_table:
      method: marginal
      basis: attainment
      tiers:
        - {from: 0, to: 1, rate: 0.05}
        - {from: 1, rate: 0.10}
"""


def holders(rows):
    schema = pa.schema([("participant", pa.string()), ("position", pa.string()), ("valid_from", pa.date32()),
                        ("valid_to", pa.date32())])
    return ibis.memtable(pa.Table.from_pylist(rows, schema=schema))


def line(id, amount, booked, account="A", **more):
    return {"id": id, "external_id": f"T-{id}", "booked_date": booked, "account": account, "amount": Decimal(amount),
            "quantity": Decimal(1), "owner_position": "AE-1", "deal_type": "new", **more}


def run(plan_text, lines, quotas):
    plan, problems = load_plan(plan_text)
    assert problems == []
    inputs = CalcInputs(CreditingInputs.from_rows(transactions=lines),
                        holders([{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}]),
                        MONTHS, quotas)
    return calculate(plan, inputs)


def test_e2_year_to_date_true_up_month_by_month():
    lines = [line(1, "250000", D(2026, 1, 20)), line(2, "400000", D(2026, 2, 15)),
             line(3, "-100000", D(2026, 3, 5), original_id=2, owner_position=None)]
    result = run(E2_PLAN, lines, {("AE-1", "FY2026", "bookings"): Decimal(600_000)})
    got = [(e.period, e.base, e.earned_to_date, e.amount) for e in result.earnings]
    assert got == [("FY2026-M01", 250000, 12500, 12500), ("FY2026-M02", 650000, 35000, 22500),
                   ("FY2026-M03", 550000, 27500, -7500)]
    assert result.earnings[1].explanation == (
        "Commission, year to date (quota 600,000.00, attainment 108.3%): 600,000.00 at 5% (0–100% of quota) + "
        "50,000.00 at 10% (above 100%) = 35,000.00; "
        "earned before 12,500.00, so this period 22,500.00")
    assert result.exceptions == []


@pytest.mark.parametrize("method, expected", [("marginal", "10200"), ("whole_amount", "18200")])
def test_e1_tier_methods_per_period(method, expected):
    plan = E2_PLAN.replace("year_to_date", "period").replace("quota: year", "quota: period").replace(
        "method: marginal", f"method: {method}").replace(
        "- {from: 0, to: 1, rate: 0.05}\n        - {from: 1, rate: 0.10}",
        "- {from: 0, to: 0.5, rate: 0.02}\n        - {from: 0.5, to: 1.0, rate: 0.04}\n        - {from: 1.0, rate: 0.07}")
    result = run(plan, [line(1, "200000", D(2026, 4, 3)), line(2, "60000", D(2026, 4, 29))],
                 {("AE-1", "FY2026-M04", "bookings"): Decimal(200_000)})
    assert [(e.period, e.amount, e.rounded) for e in result.earnings] == [
        ("FY2026-M04", Decimal(expected), Decimal(expected).quantize(Decimal("0.01")))]


def test_a_missing_quota_is_an_exception_not_a_crash():
    result = run(E2_PLAN, [line(1, "1000", D(2026, 1, 2))], {})
    assert result.earnings == []
    assert result.exceptions == [
        "E-1 (AE-1), Commission, not paid for " + ", ".join(m.period for m in MONTHS) + ": this table's tiers are on "
        "attainment; give the participant's quota for the period"]


def test_plan_problems_name_the_part_field_and_fix():
    bad = E2_PLAN.replace("measure: bookings", "measure: booking").replace("{name: bookings}",
                                                                         "{name: bookings, filter: 'dealtype == \"new\"'}")
    plan, problems = load_plan(bad)
    assert plan is None
    assert [str(p).splitlines()[0] for p in problems] == [
        "Plan E2: measure 'bookings', filter: Unknown field 'dealtype' at column 0; did you mean 'deal_type'?",
        "Plan E2: component 'Commission', measure: 'booking' is not a measure of this plan; choose from ['bookings']",
    ]


def test_schema_errors_are_explained():
    plan, problems = load_plan(E2_PLAN.replace("timing: booked", "timing: shipped").replace("    scope: year_to_date\n", ""))
    assert plan is None
    assert [(p.part, p.field) for p in problems] == [("", "timing"), ("component 'Commission'", "scope")]
    assert problems[1].message == "this field is required: add it"


E2_LINES = [line(1, "250000", D(2026, 1, 20)), line(2, "400000", D(2026, 2, 15))]
E2_QUOTA = {("AE-1", "FY2026", "bookings"): Decimal(600_000)}


def with_blocks(blocks: str) -> str:
    return E2_PLAN.replace("    rate_table:\n", f"{blocks}    rate_table:\n")


def test_a_plan_year_cap_on_a_year_to_date_component():
    result = run(with_blocks("    cap: {amount: 30000}\n"), E2_LINES, E2_QUOTA)
    assert [(e.period, e.earned_to_date, e.amount) for e in result.earnings] == [
        ("FY2026-M01", 12500, 12500), ("FY2026-M02", 30000, 17500)]
    assert "= 35,000.00; 35,000.00 capped at 30,000.00; 5,000.00 above the cap" in result.earnings[1].explanation


def test_a_gate_pays_from_the_first_dollar_once_reached():
    result = run(with_blocks("    gate: {threshold: 0.5, kind: from_first_dollar}\n"), E2_LINES, E2_QUOTA)
    assert [(e.period, e.earned_to_date, e.amount) for e in result.earnings] == [
        ("FY2026-M01", 0, 0), ("FY2026-M02", 35000, 35000)]
    assert "250,000.00 is below the threshold 300,000.00 (50% of quota): nothing earned" in (
        result.earnings[0].explanation)


def test_a_cap_on_the_target_incentive_needs_the_target():
    plan, _ = load_plan(with_blocks("    cap: {percent_of_target: 1.5}\n"))
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}])
    inputs = CalcInputs(CreditingInputs.from_rows(transactions=E2_LINES), people, MONTHS, E2_QUOTA)
    assert calculate(plan, inputs).exceptions == [
        "E-1 (AE-1), Commission, not paid for " + ", ".join(m.period for m in MONTHS) + ": this cap is a "
        "percentage of target incentive; give the target incentive"]
    funded = CalcInputs(inputs.crediting, people, MONTHS, E2_QUOTA, targets={"AE-1": Decimal(20000)})
    assert [e.amount for e in calculate(plan, funded).earnings] == [12500, 17500]


def test_bad_gates_and_caps_are_plan_problems():
    _plan, problems = load_plan(with_blocks("    gate: {threshold: 0.5, kind: sometimes}\n    cap: {}\n"))
    assert [str(p) for p in problems] == [
        "Plan E2: component 'Commission', gate: gate kind is 'sometimes'; name one of from_first_dollar, "
        "above_threshold_only",
        "Plan E2: component 'Commission', cap: cap needs exactly one of amount (e.g. amount: 5000) or "
        "percent_of_target (e.g. percent_of_target: 1.5 = 150% of target incentive); it has neither"]


SPIFF_PLAN = """
plan: SPIFF
name: June new-logo SPIFF
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures:
  - name: june_new_deals
    filter: 'deal_type == "new" and attribution_date >= date("2026-06-01") and attribution_date <= date("2026-06-30")'
components:
  - name: SPIFF
    type: bonus
    measure: june_new_deals
    scope: per_transaction
    rate_table:
      method: whole_amount
      basis: amount
      tiers:
        - {from: 0, to: 50000, rate: 0}
        - {from: 50000, amount: 500}
"""


def test_a_spiff_pays_per_qualifying_deal_in_its_window_and_takes_it_back_on_a_credit_note():
    lines = [line(1, "60000", D(2026, 6, 10)), line(2, "40000", D(2026, 6, 12)), line(3, "75000", D(2026, 6, 20)),
             line(4, "80000", D(2026, 7, 1)), line(5, "90000", D(2026, 6, 25), deal_type="renewal"),
             line(6, "-60000", D(2026, 7, 15), original_id=1, owner_position=None)]
    result = run(SPIFF_PLAN, lines, {})
    # June: T-1 and T-3 reach 50,000 (500 each), T-2 does not, T-5 is a renewal; July: T-4 is outside the window,
    # the credit note of T-1 takes its 500 back
    assert [(e.period, e.base, e.amount) for e in result.earnings] == [
        ("FY2026-M06", Decimal(175000), Decimal(1000)), ("FY2026-M07", Decimal(-60000), Decimal(-500))]
    assert result.earnings[0].explanation == (
        "SPIFF, per transaction: 3 lines (T-1 60,000.00 → 500.00; T-3 75,000.00 → 500.00; "
        "T-2 40,000.00 → 0.00) = 1,000.00")


def test_per_transaction_components_rate_amounts_not_attainment():
    _plan, problems = load_plan(E2_PLAN.replace("scope: year_to_date", "scope: per_transaction"))
    assert [str(p) for p in problems] == [
        "Plan E2: component 'Commission', scope: a per-transaction component rates each line on its amount: "
        "use basis: amount and no quota"]


DATED = E2_PLAN.replace("scope: year_to_date", "scope: period").replace("quota: year", "quota: period").replace(
    """    rate_table:
      method: marginal
      basis: attainment
      tiers:
        - {from: 0, to: 1, rate: 0.05}
        - {from: 1, rate: 0.10}""", """    rate_tables:
      - valid_from: 2026-01-01
        valid_to: 2026-06-30
        method: marginal
        basis: amount
        tiers: [{from: 0, rate: 0.05}]
      - valid_from: 2026-07-01
        method: marginal
        basis: amount
        tiers: [{from: 0, rate: 0.06}]""")


def test_rates_are_effective_dated_values_in_the_plan():
    result = run(DATED, [line(1, "100000", D(2026, 6, 30)), line(2, "100000", D(2026, 7, 1))], {})
    assert [(e.period, e.amount) for e in result.earnings] == [("FY2026-M06", 5000), ("FY2026-M07", 6000)]
    assert result.earnings[1].explanation == (
        "Commission: rates valid 2026-07-01 – open: 100,000.00 at 6% (above 0.00) = 6,000.00")


def test_dated_tables_need_readable_dates_in_order():
    wrong = DATED.replace("valid_to: 2026-06-30", "valid_to: 2026-13-01").replace(
        "      - valid_from: 2026-07-01\n", "      - valid_to: 2026-06-30\n")
    assert [str(p) for p in load_plan(wrong)[1]] == [
        "Plan E2: component 'Commission', rate_tables[1]: valid_to of this table is '2026-13-01'; write a date as "
        "YYYY-MM-DD",
        "Plan E2: component 'Commission', rate_tables[2]: give valid_from, the day this table starts to apply"]
    backwards = DATED.replace("valid_to: 2026-06-30", "valid_to: 2025-12-31")
    assert [str(p) for p in load_plan(backwards)[1]] == [
        "Plan E2: component 'Commission', rate_tables[1]: this table ends (2025-12-31) before it starts (2026-01-01): "
        "swap or correct the dates"]


def test_overlapping_or_mixed_dated_tables_are_refused():
    overlapping = DATED.replace("valid_from: 2026-07-01", "valid_from: 2026-06-01")
    assert [str(p) for p in load_plan(overlapping)[1]] == [
        "Plan E2: component 'Commission', rate_tables: the tables valid 2026-01-01 – 2026-06-30 and 2026-06-01 – "
        "open overlap: end the first the day before the second starts"]
    both = DATED.replace("    rate_tables:", "    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, rate: 0.01}]}\n"
                         "    rate_tables:")
    assert [p.message for p in load_plan(both)[1]] == [
        "give one rate_table, dated rate_tables (tables with valid_from and valid_to) or a matrix"]


E8_PLAN = """
plan: E8
name: Payout curve with accelerator and cap
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - name: Bonus
    type: bonus
    measure: bookings
    scope: year_to_date
    quota: year
    payout: percent_of_target
    cap: {percent_of_target: 2}
    rate_table:
      method: interpolated
      basis: attainment
      beyond: extrapolate
      points: [{at: 0, payout: 0}, {at: 1, payout: 1}, {at: 2, payout: 3}]
"""


@pytest.mark.parametrize("booked, expected", [("1300000", "80000"), ("1600000", "100000")])
def test_e8_payout_as_a_percentage_of_target_with_an_accelerator_and_a_cap(booked, expected):
    plan, problems = load_plan(E8_PLAN)
    assert problems == []
    people = holders([{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}])
    inputs = CalcInputs(CreditingInputs.from_rows(transactions=[line(1, booked, D(2026, 12, 15))]), people, MONTHS,
                        {("AE-1", "FY2026", "bookings"): Decimal(1_000_000)}, targets={"AE-1": Decimal(50_000)})
    (earning,) = calculate(plan, inputs).earnings
    assert earning.amount == Decimal(expected)


def test_an_average_deal_size_bonus():
    plan = DATED.replace("- {name: bookings}", "- {name: bookings, aggregate: average}")
    # June: two lines 100,000 and 50,000 → average 75,000 × 5% = 3,750; a credit note takes its line out
    lines = [line(1, "100000", D(2026, 6, 3)), line(2, "50000", D(2026, 6, 9)), line(3, "30000", D(2026, 5, 9)),
             line(4, "-30000", D(2026, 5, 20), original_id=3, owner_position=None)]
    result = run(plan, lines, {})
    assert [(e.period, e.base, e.amount) for e in result.earnings] == [
        ("FY2026-M05", Decimal(0), Decimal(0)), ("FY2026-M06", Decimal(75000), Decimal(3750))]


def test_a_kicker_from_new_logos_multiplies_the_commission():
    plan = DATED.replace("- {name: bookings}", "- {name: bookings}\n  - {name: logos, aggregate: distinct_count, "
                                                 "distinct: account}").replace(
        "    rate_tables:", "    kicker: {measure: logos, bands: [{from: 0, to: 3, multiplier: 1}, "
                           "{from: 3, multiplier: 1.1}]}\n    rate_tables:")
    june = [line(i, "10000", D(2026, 6, 2 + i), account=f"A{i}") for i in range(1, 4)]  # 3 new logos
    may = [line(9, "10000", D(2026, 5, 5), account="A1"), line(10, "10000", D(2026, 5, 6), account="A1")]
    result = run(plan, june + may, {})
    # May: 1 logo → × 1: 20,000 × 5% = 1,000; June: 3 logos → 30,000 × 5% = 1,500 × 1.1 = 1,650
    assert [(e.period, e.amount) for e in result.earnings] == [("FY2026-M05", 1000), ("FY2026-M06", Decimal("1650.0"))]
    assert "× 1.1" in result.earnings[1].explanation


def test_e6_quotas_are_prorated_by_the_days_held():
    plan, _ = load_plan(E2_PLAN)
    monthly, _ = load_plan(E2_PLAN.replace("scope: year_to_date", "scope: period").replace("quota: year", "quota: period"))
    hired = holders([{"participant": "E-1", "position": "AE-1", "valid_from": D(2026, 4, 16)}])
    quotas = {("AE-1", "FY2026", "bookings"): Decimal(720_000), ("AE-1", "FY2026-M04", "bookings"): Decimal(60_000)}
    inputs = CalcInputs(CreditingInputs.from_rows(transactions=[line(1, "30000", D(2026, 4, 20))]), hired, MONTHS,
                        quotas)
    (yearly,) = calculate(plan, inputs).earnings
    assert yearly.quota == Decimal(720_000) * 260 / 365 and round_money(yearly.quota) == Decimal("512876.71")
    assert "(quota 720,000.00 × 260/365 days held = 512,876.71, attainment 5.8%)" in yearly.explanation
    (april,) = calculate(monthly, inputs).earnings
    assert april.quota == Decimal(30_000)  # 60,000 × 15/30: 16–30 April
    assert "(quota 60,000.00 × 15/30 days held = 30,000.00, attainment 100%)" in april.explanation
    unprorated, _ = load_plan(E2_PLAN.replace("    quota: year\n", "    quota: year\n    prorate_quota: false\n"))
    assert calculate(unprorated, inputs).earnings[0].quota == Decimal(720_000)


def test_an_earning_is_rounded_once_in_its_currencys_way():
    from attain.engine.calculate import Earning

    def earning(amount, rounding):
        return Earning("E-1", "AE-1", "C", "FY2026-M01", Decimal(0), None, Decimal(amount), Decimal(0),
                       Decimal(amount), lambda: "", rounding)

    assert earning("100.005", (2, "half_up")).rounded == Decimal("100.01")  # DOMAIN E7
    assert earning("2.5", (0, "half_even")).rounded == Decimal("2")  # e.g. a yen plan with banker's rounding


def test_a_run_pauses_the_cyclic_garbage_collector_and_leaves_it_as_it_was(monkeypatch):
    from attain.engine import calculate as calc

    during = []
    real = calc._calculate
    monkeypatch.setattr(calc, "_calculate", lambda *a: during.append(gc.isenabled()) or real(*a))
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            result = run(E2_PLAN, [line(1, "250000", D(2026, 1, 20))], {("AE-1", "FY2026", "bookings"): Decimal(600_000)})
            assert gc.isenabled() is enabled and len(result.earnings) == 1
        assert during == [False, False]
    finally:
        (gc.enable if was else gc.disable)()
