"""A component's payout curve: what its rate table pays at attainments from 0% to, say, 200% of quota.

Each point is the component's own arithmetic (`earnings.rate_on`: the table valid on the day, through
its gate; then its cap when the cap limits each earning) on base = attainment × quota, in exact
Decimal, with the effective rate payout ÷ base. The sampled attainments include every tier boundary
and curve point of the table in the range, so a kink of the curve is a point of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from attain.engine.earnings import rate_on
from attain.engine.plans.loading import Component
from attain.engine.rates import RateError

ZERO = Decimal(0)
STEP, TOP = Decimal("0.1"), Decimal(2)  # every 10% from 0% to 200% of quota


@dataclass(frozen=True)
class CurvePoint:
    attainment: Decimal  # a fraction of quota (1 = 100%)
    base: Decimal  # attainment × quota
    payout: Decimal  # precise, unrounded
    rate: Decimal | None  # payout ÷ base (None at a base of 0)


def sampled_attainments(component: Component, day: date, step: Decimal = STEP, top: Decimal = TOP) -> list[Decimal]:
    """0, step, 2 × step… up to `top`, with the table's own boundaries in the range (attainment tables)."""
    found = set()
    at = ZERO
    while at <= top:
        found.add(at)
        at += step
    table = component.table_on(day)
    if table is not None and table[1].basis == "attainment":
        bounds = [t.lower for t in table[1].tiers] + [t.upper for t in table[1].tiers] + [p.at for p in table[1].points]
        found |= {b for b in bounds if b is not None and ZERO <= b <= top}
    return sorted(found)


def payout_curve(component: Component, day: date, quota: Decimal, attainments: list[Decimal] | None = None,
                 target: Decimal | None = None) -> list[CurvePoint] | RateError:
    """The component's payout at each attainment (default: `sampled_attainments`) against `quota` (> 0); a
    component paying a percentage of target, or capped at one, needs the annual `target` incentive."""
    if quota is None or quota <= 0:
        return RateError("missing_quota", "a payout curve is drawn against a quota above 0")
    points = []
    for at in attainments if attainments is not None else sampled_attainments(component, day):
        base = at * quota
        amount = _payout(component, day, base, quota, target)
        if isinstance(amount, RateError):
            return amount
        points.append(CurvePoint(at, base, amount, amount / base if base else None))
    return points


def _payout(component: Component, day: date, base: Decimal, quota: Decimal, target: Decimal | None):
    """The table's payout (× target for a percentage of target), then a cap on each earning: an amount or an error."""
    earned = rate_on(component, day, base, quota)
    if isinstance(earned, RateError):
        return earned
    amount = earned.amount
    if component.payout == "percent_of_target":
        if target is None:
            return RateError("missing_target", "this component pays a percentage of target incentive; give the target")
        amount *= target
    if component.cap is not None and not component.cap_window:
        capped = component.cap.apply(amount, target)
        if isinstance(capped, RateError):
            return capped
        amount = capped.amount
    return amount
