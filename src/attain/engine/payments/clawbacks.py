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
             term_months: int | None = None, started: date | None = None) -> Clawback | None:
    """What a cancellation takes back of `commission`, or None outside the window.

    `started` is the day the contract's service began (default: `booked`): pro rata counts the whole
    months served from it to the cancellation. Pro rata without a term takes back all of it, and says so.
    """
    days = (cancelled - booked).days
    if days > policy.window_days:
        return None
    inside = f"cancelled {days} days after booking, inside the {policy.window_days}-day window"
    if policy.method == "full":
        return Clawback(-commission, f"{inside}: the commission {show_amount(commission)} is taken back")
    if not term_months:
        return Clawback(-commission, f"{inside}: the commission {show_amount(commission)} is taken back in full "
                                     "(pro rata needs the contract's start and end dates, and there are none)")
    served = min(whole_months_between(started or booked, cancelled), term_months)
    amount = -commission * (term_months - served) / term_months
    return Clawback(amount, f"cancelled after {served} of {term_months} months, inside the {policy.window_days}-day "
                            f"window: {show_amount(commission)} × {term_months - served}/{term_months} = "
                            f"{show_amount(-amount)} taken back")


def outside_window(policy: ClawbackPolicy, booked: date, cancelled: date) -> str:
    """Why a cancellation takes nothing back: it came after the window."""
    return (f"cancelled {(cancelled - booked).days} days after booking, outside the {policy.window_days}-day "
            "window: nothing taken back")
