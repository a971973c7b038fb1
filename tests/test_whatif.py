from datetime import date
from decimal import Decimal

from attain.engine.calculate import CalcInputs
from attain.engine.crediting import CreditingInputs
from attain.engine.plans import load_plan
from attain.engine.whatif import compare_plans, plan_cost
from tests.test_calculate import E2_PLAN, MONTHS, holders, line

D = date


def test_a_draft_with_a_higher_accelerator_costs_what_the_hand_says():
    live, _ = load_plan(E2_PLAN)
    draft, _ = load_plan(E2_PLAN.replace("rate: 0.10", "rate: 0.15"))
    lines = [line(1, "250000", D(2026, 1, 20)), line(2, "400000", D(2026, 2, 15)),
             line(3, "100000", D(2026, 3, 1), owner_position="AE-2")]
    inputs = CalcInputs(CreditingInputs.from_rows(transactions=lines),
                        holders([{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)},
                                 {"participant": "E-2", "position": "AE-2", "valid_from": D(2025, 1, 1)}]),
                        MONTHS, {("AE-1", "FY2026", "bookings"): Decimal(600000),
                                 ("AE-2", "FY2026", "bookings"): Decimal(600000)})
    result = compare_plans(live, draft, inputs, revenue=Decimal(750000))
    # E-1: 600,000 × 5% + 50,000 × 10% = 35,000 live; + 50,000 × 15% = 37,500 draft. E-2: 100,000 × 5% = 5,000 both
    assert result.differences == (("E-1", Decimal(35000), Decimal(37500)), ("E-2", Decimal(5000), Decimal(5000)))
    assert (result.live.total, result.draft.total) == (Decimal(40000), Decimal(42500))
    assert result.draft.cost_of_sales(result.revenue) == Decimal("0.05666666666666666666666666667")


def test_distribution_quartiles_are_exact():
    cost = plan_cost({"a": Decimal(0), "b": Decimal(10), "c": Decimal(20), "d": Decimal(40)})
    assert cost.distribution == (0, Decimal("7.5"), 15, Decimal(25), 40)
    assert plan_cost({}).payees == 0
