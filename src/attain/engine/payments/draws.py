"""Draws (advances against future earnings) and the recovery of what a payee owes.

A draw pays at least `amount` each period it is active (DOMAIN §3.7, E4). A recoverable draw's
shortfall (draw − earnings) becomes a balance recovered from later earnings above the draw; a
non-recoverable one is a guarantee: nothing is owed. Recovery may start late, may be limited per
period, and what is left may be forgiven when the draw ends or the payee leaves.

A payee may have several draws one after another (a transfer from an SDR to an AE plan on 16 April),
never overlapping: a `DrawSchedule`. In a period a draw pays only in part (it starts or ends in it, or
the payee is hired, leaves or is on leave in it) it counts for the days it pays for, both ends counted:
2,000 until 15 April and 4,000 from 16 April pay 2,000 × 15/30 + 4,000 × 15/30 = 3,000 in April. The
payee has one draw balance across the draws:

- a period's shortfall is split between the draws paying in it pro rata to their prorated amounts:
  the recoverable draws' part is owed, the rest is a guarantee;
- recovery follows the terms (`recovery_from`, `max_recovery`) of the draw in force, the latest one
  started by the period: what was owed under a draw is recovered under the next;
- a draw that ends with `forgive_at_end` forgives the balance still owed when it ends (what was carried
  into it included), but not what a later draw advanced in the same period; at termination the draw in
  force decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.money import MoneyError, show_amount, to_decimal

FIELDS = {"amount", "recoverable", "valid_from", "valid_to", "recovery_from", "max_recovery", "forgive_at_end"}
ZERO = Decimal(0)


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
    # the periods the draw pays only in part: (period, days it pays for, days in the period); the days it pays
    # for are those it covers on which the payee is active. A period not listed: every day, or the payee's
    # active days (`PeriodDue.draw_days`)
    days_paid: tuple[tuple[str, int, int], ...] = ()
    name: str = ""  # how messages name the draw (e.g. "agreement 7"); empty: by its amount and first period

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

    @property
    def label(self) -> str:
        return self.name or f"the draw of {show_amount(self.amount)} from {self.valid_from or 'the first period'}"

    def active(self, period: str, order: Mapping[str, int]) -> bool:
        index = order[period]
        return ((self.valid_from is None or order[self.valid_from] <= index)
                and (self.valid_to is None or index <= order[self.valid_to]))

    def recovering(self, period: str, order: Mapping[str, int]) -> bool:
        return self.recovery_from is None or order[self.recovery_from] <= order[period]

    def ends_in(self, period: str, order: Mapping[str, int]) -> bool:
        return self.valid_to is not None and order[self.valid_to] == order[period]

    def days_in(self, period: str) -> tuple[int, int] | None:
        """(days paid for, days in the period) when the draw pays only part of the period; None when not listed."""
        return next(((paid, total) for name, paid, total in self.days_paid if name == period), None)

    def check_periods(self, order: Mapping[str, int]) -> None:
        for name in ("valid_from", "valid_to", "recovery_from"):
            value = getattr(self, name)
            if value is not None and value not in order:
                raise PaymentTermsError(f"the draw's {name} {value!r} is not one of the periods paid "
                                        f"({', '.join(order)}); write a period name such as {next(iter(order))}")
        for period, paid, total in self.days_paid:
            if period not in order or not 0 <= paid <= total or not self.active(period, order):
                raise PaymentTermsError(f"{self.label} pays {paid} of {total} days in {period!r}: list periods it "
                                        "is active in, with 0 to all of their days")


@dataclass(frozen=True)
class DrawFloor:
    """What the draws guarantee in a period: each paying draw with the days it pays for (None: every day)."""

    paying: tuple[tuple[Draw, int | None], ...] = ()
    days: int | None = None  # days in the period, when a draw pays only part of it

    @property
    def amount(self) -> Decimal:
        return self._weight(range(len(self.paying)))

    def advanced(self, top_up: Decimal, after: Draw | None = None) -> Decimal:
        """The part of the top-up owed: the recoverable draws' part, pro rata to their prorated amounts (only the
        draws paying after `after`, if given)."""
        start = 0 if after is None else 1 + next((i for i, (d, _) in enumerate(self.paying) if d is after),
                                                 len(self.paying))
        part = self._weight(i for i in range(start, len(self.paying)) if self.paying[i][0].recoverable)
        whole = self.amount
        if part == whole:
            return top_up
        return top_up * part / whole if part else ZERO

    def text(self) -> str:
        """'4,000.00', or '2,000.00 × 15/30 days + 4,000.00 × 15/30 days = 3,000.00'."""
        shown = [(draw, paid) for draw, paid in self.paying if paid != 0]
        if len(shown) == 1 and shown[0][1] is None:
            return show_amount(shown[0][0].amount)
        terms = [show_amount(draw.amount) if paid is None else f"{show_amount(draw.amount)} × {paid}/{self.days} days"
                 for draw, paid in shown]
        return f"{' + '.join(terms)} = {show_amount(self.amount)}"

    def split_text(self, top_up: Decimal) -> str:
        """How a top-up splits when recoverable and non-recoverable draws share the period; '' otherwise."""
        owed = self.advanced(top_up)
        if not owed or owed == top_up:
            return ""
        return f" ({show_amount(owed)} recoverable, owed; {show_amount(top_up - owed)} not)"

    def _weight(self, chosen) -> Decimal:
        """The prorated amounts of the chosen draws (by index), added before dividing by the days: exact when
        they share the period's days between them."""
        picked = [self.paying[i] for i in chosen]
        if self.days is None:
            return sum((draw.amount for draw, _ in picked), ZERO)
        weighted = sum((draw.amount * (self.days if paid is None else paid) for draw, paid in picked), ZERO)
        return weighted / self.days  # multiplied first: exact to 28 digits


@dataclass(frozen=True)
class DrawSchedule:
    """A payee's draws, one after another (never overlapping), with one draw balance across them."""

    draws: tuple[Draw, ...] = ()

    @classmethod
    def of(cls, draw: Draw | Sequence[Draw] | None, order: Mapping[str, int]) -> DrawSchedule:
        """The draws checked against the periods paid: in order, each ending before the next starts."""
        draws = () if draw is None else (draw,) if isinstance(draw, Draw) else tuple(draw)
        for each in draws:
            each.check_periods(order)
        for first, second in zip(draws, draws[1:], strict=False):
            _check_follows(first, second, order)
        return cls(draws)

    def floor(self, period: str, draw_days: tuple[int, int] | None, order: Mapping[str, int]) -> DrawFloor:
        """The draws paying in the period and the days each pays for (`draw_days`: the payee's active days)."""
        paying, days = [], set()
        for draw in self.draws:
            if not draw.active(period, order):
                continue
            part = draw.days_in(period) or draw_days
            if part is None or part[0] >= part[1]:
                paying.append((draw, None))
                days.add(part[1] if part else None)
            else:
                paying.append((draw, part[0]))
                days.add(part[1])
        known = days - {None}
        if len(known) > 1:
            raise PaymentTermsError(f"the draws count {' and '.join(map(str, sorted(known)))} days in {period}: give "
                                    "every draw the same days in the period")
        whole = all(paid is None for _, paid in paying)
        return DrawFloor(tuple(paying), None if whole else known.pop())

    def terms(self, period: str, order: Mapping[str, int]) -> Draw | None:
        """The draw whose recovery terms apply: the latest one started by the period (it may have ended)."""
        return next((d for d in reversed(self.draws) if d.valid_from is None or order[d.valid_from] <= order[period]),
                    None)

    def forgiven(self, period: str, terminated: bool, floor: DrawFloor, top_up: Decimal, draw_owed: Decimal,
                 order: Mapping[str, int]) -> Decimal:
        """What of the draw balance (after this period) is forgiven: all of it at termination when the draw in
        force says so; else what is owed when a forgiving draw ends, less what later draws advanced in the period."""
        if not draw_owed:
            return ZERO
        current = self.terms(period, order)
        if terminated and current is not None and current.forgive_at_end:
            return draw_owed
        ending = [d for d in self.draws if d.forgive_at_end and d.ends_in(period, order)]
        if not ending:
            return ZERO
        return max(draw_owed - floor.advanced(top_up, after=ending[-1]), ZERO)


def _check_follows(first: Draw, second: Draw, order: Mapping[str, int]) -> None:
    """The second draw starts after the first ends; in a period they share, their days fit in it."""
    fix = (f"{first.label} and {second.label} overlap: a payee's draws follow one another; end the first before "
           "the second starts")
    if first.valid_to is None or second.valid_from is None or order[first.valid_to] > order[second.valid_from]:
        raise PaymentTermsError(fix)
    if first.valid_to == second.valid_from:
        shared, one, other = first.valid_to, first.days_in(first.valid_to), second.days_in(first.valid_to)
        if one is None or other is None or one[0] + other[0] > one[1]:
            raise PaymentTermsError(f"{fix} (in {shared}, which they share, give each the days it pays for)")


def _amount(value: object, name: str) -> Decimal:
    try:
        return to_decimal(value)
    except MoneyError as wrong:
        raise PaymentTermsError(f"the draw's {name}: {wrong}") from None
