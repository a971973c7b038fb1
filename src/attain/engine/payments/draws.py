"""Draws (advances against future earnings) and the recovery of what a payee owes.

A draw pays at least `amount` each period it is active (DOMAIN §3.7, E4). A recoverable draw's
shortfall (draw − earnings) becomes a balance recovered from later earnings above the draw; a
non-recoverable one is a guarantee: nothing is owed. Recovery may start late, may be limited per
period, and what is left may be forgiven when the draw ends or the payee leaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.money import MoneyError, to_decimal

FIELDS = {"amount", "recoverable", "valid_from", "valid_to", "recovery_from", "max_recovery", "forgive_at_end"}


class PaymentTermsError(ValueError):
    """Payment terms that cannot work; the message says which field and how to fix it."""


@dataclass(frozen=True)
class Draw:
    amount: Decimal  # paid at least this much each active period
    recoverable: bool
    valid_from: str | None = None  # first active period (e.g. FY2026-M01); None: from the first period
    valid_to: str | None = None  # last active period, inclusive; None: open
    recovery_from: str | None = None  # recovery starts in this period (a delayed start); None: at once
    max_recovery: Decimal | None = None  # at most this much of the draw balance recovered per period
    forgive_at_end: bool = False  # the draw balance left after valid_to, or at termination, is forgiven

    @classmethod
    def load(cls, raw: Mapping) -> Draw:
        unknown = sorted(set(raw) - FIELDS)
        if unknown:
            raise PaymentTermsError(f"a draw has no field {unknown[0]!r}; use {', '.join(sorted(FIELDS))}")
        if "amount" not in raw or "recoverable" not in raw:
            raise PaymentTermsError("a draw needs amount (per period) and recoverable (true or false)")
        if not isinstance(raw["recoverable"], bool) or not isinstance(raw.get("forgive_at_end", False), bool):
            raise PaymentTermsError("a draw's recoverable and forgive_at_end are true or false")
        amount, most = _amount(raw["amount"], "amount"), raw.get("max_recovery")
        if amount <= 0 or (most is not None and _amount(most, "max_recovery") <= 0):
            raise PaymentTermsError("a draw's amount and max_recovery are amounts above 0")
        return cls(amount, raw["recoverable"], raw.get("valid_from"), raw.get("valid_to"), raw.get("recovery_from"),
                   None if most is None else _amount(most, "max_recovery"), raw.get("forgive_at_end", False))

    def active(self, period: str, order: Mapping[str, int]) -> bool:
        index = order[period]
        return ((self.valid_from is None or order[self.valid_from] <= index)
                and (self.valid_to is None or index <= order[self.valid_to]))

    def recovering(self, period: str, order: Mapping[str, int]) -> bool:
        return self.recovery_from is None or order[self.recovery_from] <= order[period]

    def check_periods(self, order: Mapping[str, int]) -> None:
        for name in ("valid_from", "valid_to", "recovery_from"):
            value = getattr(self, name)
            if value is not None and value not in order:
                raise PaymentTermsError(f"the draw's {name} {value!r} is not one of the periods paid "
                                        f"({', '.join(order)}); write a period name such as {next(iter(order))}")


def _amount(value: object, name: str) -> Decimal:
    try:
        return to_decimal(value)
    except MoneyError as wrong:
        raise PaymentTermsError(f"the draw's {name}: {wrong}") from None
