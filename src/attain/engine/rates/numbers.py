"""Numbers from plan documents, and how amounts, rates and bounds are shown in explanations.

Plan documents come from YAML or JSON: numbers may arrive as int, str, Decimal or float. Floats are
converted through their shortest text (`Decimal(str(0.07))` is exactly 0.07), which is what the
author wrote in the document; everything else goes through `attain.engine.money.to_decimal`.
Display helpers round for reading only; computed amounts are never rounded here.
"""

from __future__ import annotations

from decimal import Decimal

from attain.engine.money import MoneyError, plain, show_amount, show_percent, to_decimal

UNBOUNDED = {"inf", "+inf", "infinity", "-inf", "-infinity"}


def to_number(value: object) -> Decimal:
    """An exact Decimal from a plan document value; raises MoneyError with a reason."""
    if isinstance(value, float) and not isinstance(value, bool):
        value = str(value)
    return to_decimal(value)


def read_number(value: object, what: str) -> tuple[Decimal | None, str | None]:
    """(number, None) or (None, message) — for parsers that collect errors instead of raising."""
    try:
        return to_number(value), None
    except MoneyError:
        return None, f"{what} {value!r} is not a number (write it like 0.04 or 1250)"


def show_bound(value: Decimal, basis: str) -> str:
    """A bound in its basis' terms: a percentage of quota, an amount, or a plain number (counts)."""
    if basis == "attainment":
        return show_percent(value)
    return show_amount(value) if basis == "amount" else plain(value)
