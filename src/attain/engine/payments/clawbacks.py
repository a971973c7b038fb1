"""Clawbacks: a cancelled or refunded deal takes back the commission paid on it (DOMAIN E5).

Inside the plan's window (days from booking to cancellation), `full` takes back all of it and
`pro_rata` the part for the contract months not yet served: commission × unserved months ÷ term.
The clawback is posted in the period the cancellation is recorded; a result below zero becomes a
balance (see `ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from attain.engine.money import show_amount
from attain.engine.payments.draws import PaymentTermsError
from attain.engine.periods import whole_months_between

METHODS = ("full", "pro_rata")


@dataclass(frozen=True)
class ClawbackPolicy:
    window_days: int  # a cancellation more than this many days after booking is not clawed back
    method: str  # full | pro_rata

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise PaymentTermsError(f"clawback method {self.method!r}: use one of {', '.join(METHODS)}")
        if self.window_days < 0:
            raise PaymentTermsError("a clawback window is a number of days, 0 or more")


@dataclass(frozen=True)
class Clawback:
    amount: Decimal  # negative: what is taken back
    text: str


def clawback(policy: ClawbackPolicy, commission: Decimal, booked: date, cancelled: date,
             term_months: int | None = None) -> Clawback | None:
    """What a cancellation takes back of `commission`, or None outside the window."""
    days = (cancelled - booked).days
    if days > policy.window_days:
        return None
    if policy.method == "full" or not term_months:
        return Clawback(-commission, f"cancelled {days} days after booking, inside the {policy.window_days}-day "
                                     f"window: the commission {show_amount(commission)} is taken back")
    served = min(whole_months_between(booked, cancelled), term_months)
    amount = -commission * (term_months - served) / term_months
    return Clawback(amount, f"cancelled after {served} of {term_months} months, inside the {policy.window_days}-day "
                            f"window: {show_amount(commission)} × {term_months - served}/{term_months} = "
                            f"{show_amount(-amount)} taken back")
