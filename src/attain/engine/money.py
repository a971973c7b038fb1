"""Exact money: Decimal amounts, rounded once to a currency's minor unit.

Amounts are computed with full Decimal precision. Rounding happens in one place, `round_money`,
at the boundary where a precise amount becomes a payable or displayed amount; callers keep the
precise value beside the rounded one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


class MoneyError(ValueError):
    """A value that cannot be an exact amount of money."""


def to_decimal(value: object) -> Decimal:
    """Convert text, int or Decimal to Decimal; refuse binary floats, which are not exact."""
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is a boolean, not an amount")
    if isinstance(value, float):
        raise MoneyError(f"{value!r} is a binary float; pass the amount as text or Decimal to keep it exact")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "")) if value.strip() else Decimal("NaN")
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not a number (write it like 1234.56)") from None
    else:
        raise MoneyError(f"{value!r} ({type(value).__name__}) is not an amount")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite number")
    return result


def round_money(amount: Decimal, minor_units: int = 2, mode: str = "half_up") -> Decimal:
    """Round a precise amount to the currency's minor unit (the one documented rounding boundary)."""
    try:
        rounding = ROUNDING_MODES[mode]
    except KeyError:
        raise MoneyError(f"unknown rounding mode {mode!r}; use one of {', '.join(ROUNDING_MODES)}") from None
    return amount.quantize(Decimal(1).scaleb(-minor_units), rounding=rounding)


def allocate_rounding(precise: list[Decimal], minor_units: int = 2, mode: str = "half_up") -> list[Decimal]:
    """Round each line so that the displayed lines add up to the rounded total (largest remainder).

    The total is rounded once; each line is first truncated to the minor unit, and the missing
    units go one by one to the lines with the largest remainders (earliest line first on ties).
    """
    total = round_money(sum(precise, Decimal(0)), minor_units, mode)
    unit = Decimal(1).scaleb(-minor_units)
    floors = [(p / unit).to_integral_value(rounding="ROUND_FLOOR") * unit for p in precise]
    missing = int((total - sum(floors, Decimal(0))) / unit)
    order = sorted(range(len(precise)), key=lambda i: (-(precise[i] - floors[i]), i))
    result = list(floors)
    step = unit if missing >= 0 else -unit
    for i in (order if missing >= 0 else reversed(order))[: abs(missing)]:
        result[i] += step
    return result


@dataclass(frozen=True)
class Money:
    """An exact amount in a currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise MoneyError(f"{self.currency!r} is not an ISO 4217 currency code such as USD or EUR")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise MoneyError(f"cannot add {other.currency} to {self.currency}; convert first")
        return Money(self.amount + other.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


def plain(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 0.50 → '0.5', 1E+2 → '100'."""
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def show_amount(amount: Decimal, minor_units: int = 2) -> str:
    """An amount for reading: rounded half-up to the minor unit (2 places), with thousands separators."""
    return f"{round_money(amount, minor_units):,}"


def show_percent(fraction: Decimal) -> str:
    """A fraction as a percentage, exactly: 0.02 → '2%', 0.075 → '7.5%', 1.3 → '130%'."""
    return f"{plain(fraction * 100)}%"
