"""An earning, and the rate table of a component applied on a day: shared by period and per-line components."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from attain.engine.money import round_money
from attain.engine.plans.loading import Component
from attain.engine.rates import RateError, Step

ZERO = Decimal(0)


@dataclass(frozen=True)
class Earning:
    participant: str
    position: str
    component: str
    period: str
    base: Decimal  # the measure value the rate table was applied to
    quota: Decimal | None
    earned_to_date: Decimal
    earned_before: Decimal
    amount: Decimal  # precise: earned_to_date − earned_before
    explain: Callable[[], str] = field(compare=False, repr=False)
    rounding: tuple[int, str] = (2, "half_up")  # the currency's minor units and rounding mode

    @property
    def explanation(self) -> str:
        """In plain language (composed when read: a run keeps only its own month's earnings)."""
        return self.explain()

    @property
    def rounded(self) -> Decimal:
        """The one rounding: the precise amount to the currency's minor unit."""
        return round_money(self.amount, *self.rounding)


def rate_on(component: Component, day: date, base: Decimal, quota: Decimal | None = None):
    """The table valid on `day`, through the gate when there is one: a Payout or Step, or a RateError."""
    found = component.table_on(day)
    if found is None:
        return RateError("no_table", f"no rate table is valid on {day}: add one to rate_tables")
    span, table = found
    earned = component.gate.apply(table, base, quota) if component.gate else table.apply(base, quota)
    if isinstance(earned, RateError) or not component.dated:
        return earned
    return then("dated", earned, earned.amount, f"rates valid {span.describe()}: {earned.describe()}")


def then(name: str, earned, amount: Decimal, text: str, excess: Decimal = ZERO) -> Step:
    """A step applied after `earned` (a Payout or Step), keeping the table's payout behind it as detail."""
    return Step(name, earned.amount, amount, text, excess, getattr(earned, "detail", None) or earned)
