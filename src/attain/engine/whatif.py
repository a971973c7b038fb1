"""What-if: a draft plan beside the live one on the same data (a copy, never an edit of the live plan)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.calculate import CalcInputs, CalcResult, calculate
from attain.engine.plans.loading import Plan

ZERO = Decimal(0)


@dataclass(frozen=True)
class PlanCost:
    total: Decimal
    payees: int
    distribution: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # min, p25, median, p75, max per payee

    def cost_of_sales(self, revenue: Decimal) -> Decimal | None:
        return self.total / revenue if revenue else None


@dataclass(frozen=True)
class Comparison:
    revenue: Decimal  # the lines' amounts in the span, in the plan currency: the cost-of-sales base
    live: PlanCost
    draft: PlanCost
    differences: tuple[tuple[str, Decimal, Decimal], ...]  # participant, live, draft; largest change first


def payee_totals(result: CalcResult) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for earning in result.earnings:
        totals[earning.participant] += earning.amount
    return dict(totals)


def _quantile(sorted_values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (like numpy's default), exact in Decimal."""
    position = (len(sorted_values) - 1) * q
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (position - lower)


def plan_cost(totals: dict[str, Decimal]) -> PlanCost:
    values = sorted(totals.values())
    if not values:
        return PlanCost(ZERO, 0, (ZERO,) * 5)
    quartiles = tuple(_quantile(values, Decimal(q) / 4) for q in range(5))
    return PlanCost(sum(values, ZERO), len(values), quartiles)


def compare_plans(live: Plan, draft: Plan, inputs: CalcInputs, revenue: Decimal,
                  positions: set[str] | None = None) -> Comparison:
    """Both plans' earnings over the inputs' months for the same positions, and where they differ."""
    before = payee_totals(calculate(live, inputs, positions=positions))
    after = payee_totals(calculate(draft, inputs, positions=positions))
    people = sorted(set(before) | set(after))
    changes = [(p, before.get(p, ZERO), after.get(p, ZERO)) for p in people]
    changes.sort(key=lambda row: (-abs(row[2] - row[1]), row[0]))
    return Comparison(revenue, plan_cost(before), plan_cost(after), tuple(changes))
