"""An earning, and the rate table of a component applied on a day: shared by period and per-line components."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from attain.engine.expressions import DIVISION_PLACES
from attain.engine.money import plain, round_money, show_amount, show_percent
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


def attainment(base: Decimal, quota: Decimal | None) -> Decimal | None:
    """base ÷ quota as the expression language divides: half-up to DIVISION_PLACES places; None without a quota."""
    if not quota:
        return None
    return (base / quota).quantize(Decimal(1).scaleb(-DIVISION_PLACES), ROUND_HALF_UP)


def formula_step(component: Component, earned, row: dict):
    """The component's formula on `row` (with `payout`, the table's result, when there is one): a Step or an error."""
    values = {**row, "payout": earned.amount} if earned is not None else row
    amount = component.formula.evaluate(values)
    if amount is None:
        return RateError("formula_unknown", f"the formula {component.formula.text} has no value here (an unknown "
                                            "field, a missing quota or a division by zero)")
    shown = ", ".join(f"{name} {_shown(name, values.get(name))}" for name in sorted(component.formula.fields))
    text = f"{component.formula.text} with {shown} = {show_amount(amount)}"
    if earned is not None:
        return then("formula", earned, amount, f"{earned.describe()}; {text}")
    return Step("formula", amount, amount, text)


def _shown(name: str, value) -> str:
    if value is None:
        return "unknown"
    if name == "attainment":
        return show_percent(value)
    if isinstance(value, Decimal):
        return show_amount(value) if abs(value) >= 1 else plain(value)
    return repr(value) if isinstance(value, str) else str(value)


def then(name: str, earned, amount: Decimal, text: str, excess: Decimal = ZERO) -> Step:
    """A step applied after `earned` (a Payout or Step), keeping the table's payout behind it as detail."""
    return Step(name, earned.amount, amount, text, excess, getattr(earned, "detail", None) or earned)
