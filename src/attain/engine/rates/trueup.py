"""Year-to-date (or quarter-to-date) true-up: pay = earned to date − earned before (DOMAIN §3.3, E2).

Tiers are applied to the cumulative measure each period, so a credit note re-rates naturally; a
negative payment is reported as such (turning it into a recoverable balance is the payments step's job).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.rates.errors import RateError
from attain.engine.rates.explain import Payout
from attain.engine.rates.numbers import show_amount, to_number
from attain.engine.rates.table import RateTable


@dataclass(frozen=True)
class TrueUpLine:
    period: int  # 0-based position in the sequence
    earned_to_date: Decimal
    earned_before: Decimal
    payment: Decimal
    detail: Payout | None = None

    def describe(self) -> str:
        return f"earned to date {show_amount(self.earned_to_date)} − earned before {show_amount(self.earned_before)} = pay {show_amount(self.payment)}"


def true_up(earned_to_date: Sequence[object]) -> list[TrueUpLine]:
    """Payment per period from cumulative earnings per period."""
    lines, before = [], Decimal(0)
    for i, value in enumerate(earned_to_date):
        earned = to_number(value)
        lines.append(TrueUpLine(i, earned, before, earned - before))
        before = earned
    return lines


def true_up_table(table: RateTable, period_measures: Sequence[object], quota: object = None) -> list[TrueUpLine] | RateError:
    """Apply a table to the running total of per-period measures; pay the difference each period.

    `quota` is the quota of the whole to-date scope (e.g. the annual quota for year-to-date tiers).
    """
    lines, before, to_date = [], Decimal(0), Decimal(0)
    for i, measure in enumerate(period_measures):
        to_date += to_number(measure)
        payout = table.apply(to_date, quota)
        if isinstance(payout, RateError):
            return payout
        lines.append(TrueUpLine(i, payout.amount, before, payout.amount - before, payout))
        before = payout.amount
    return lines
