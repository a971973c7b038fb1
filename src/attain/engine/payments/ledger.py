"""From what a payee earned each period to what is paid: draws, balances owed, recovery, one rounding.

Each period's gross is the period's earnings plus its adjustments (manual, prior-period, clawbacks:
negative). Then, in this order:

1. A negative gross is not paid: it becomes a balance the payee owes (DOMAIN E5).
2. While a draw is active the payment is at least the draw; a recoverable draw's shortfall is owed
   (DOMAIN E4). In a month the payee starts, leaves or is on leave, the draw is prorated to the active
   days (`PeriodDue.draw_days`: draw × active days / days in the month, both ends counted). A payee's
   draws may follow one another, changing mid-month (`draws.DrawSchedule`): each counts for the days it
   pays for, and a shortfall is owed pro rata to the recoverable draws' part.
3. What is above the draw (or above 0 without a draw) first recovers the owed balance (up to
   `recovery_cap` a period), then the draw balance (under the terms of the draw in force: from its
   `recovery_from`, up to its `max_recovery`).
4. A draw balance left when a draw ends, or at termination, is forgiven if the draw says so;
   balances left at termination are reported.
5. The payment is rounded once, to the currency's minor unit; the rounding difference is carried into
   the next period, so the rounded payments never drift from the precise ones by more than half a
   minor unit, and a payment is never below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from attain.engine.money import plain, round_money, show_amount
from attain.engine.payments.draws import Draw, DrawSchedule

ZERO, ONE = Decimal(0), Decimal(1)


@dataclass(frozen=True)
class PeriodDue:
    period: str
    earned: Decimal  # the period's earnings, precise
    adjustments: tuple[tuple[str, Decimal], ...] = ()  # (label, precise amount): manual, clawback, prior period
    terminated: bool = False  # the payee leaves in this period: balances are settled or reported
    # (active days, days in the period) when the payee was not active every day (hired, left or on leave in it):
    # the draw is prorated to them; None: every day
    draw_days: tuple[int, int] | None = None

    @property
    def draw_share(self) -> Decimal:
        """The share of the period's draw paid: active days / days in the period (1 when active every day)."""
        if self.draw_days is None:
            return ONE
        active, total = self.draw_days
        return Decimal(active) / Decimal(total)


@dataclass(frozen=True)
class PaymentLine:
    period: str
    earned: Decimal
    adjustments: Decimal
    draw_top_up: Decimal  # what the draw added above the gross
    recovered: Decimal  # taken from the gross to repay balances
    forgiven: Decimal
    owed: Decimal  # the balance from negative payments, after this period
    draw_owed: Decimal  # the recoverable draw balance, after this period
    precise: Decimal  # the payment before rounding
    paid: Decimal  # rounded once
    # How the balances moved, for the books (attain.engine.accounting): recovered = recovered_owed +
    # recovered_draw; owed after = owed before + became_owed − recovered_owed; draw_owed after = draw_owed
    # before + draw_advanced − recovered_draw − forgiven.
    became_owed: Decimal  # the part of a negative gross that became a balance owed (E5)
    recovered_owed: Decimal  # the part of `recovered` that repaid the owed balance
    recovered_draw: Decimal  # the part of `recovered` that repaid the draw balance
    draw_advanced: Decimal  # the part of draw_top_up added to the draw balance (all of it if recoverable)
    steps: tuple[str, ...] = field(compare=False)
    report: str = ""  # e.g. a balance left at termination

    def explain(self) -> str:
        return "; ".join(self.steps)


@dataclass
class _Balances:
    owed: Decimal = ZERO
    draw_owed: Decimal = ZERO
    residue: Decimal = ZERO  # rounding carried to the next period


@dataclass(frozen=True)
class Opening:
    """Balances brought forward into the first period (from the previous fiscal year's last payment)."""

    owed: Decimal = ZERO  # from negative periods, still to recover
    draw_owed: Decimal = ZERO  # the recoverable draw balance
    residue: Decimal = ZERO  # rounding carried (Σ precise − Σ paid so far)

    def text(self) -> str:
        parts = [f"{show_amount(amount)} {name}" for name, amount in (("owed", self.owed),
                                                                      ("of the draw owed", self.draw_owed)) if amount]
        return f"brought forward: {' and '.join(parts)}" if parts else ""


def pay_periods(periods: list[PeriodDue], draw: Draw | Sequence[Draw] | None = None,
                recovery_cap: Decimal | None = None, rounding: tuple[int, str] = (2, "half_up"),
                opening: Opening | None = None) -> list[PaymentLine]:
    """The payment lines of one payee, period by period, in the given order; `draw`: the payee's draw, or draws
    one after another; `recovery_cap`: at most this much of the owed balance recovered a period; `opening`: the
    balances brought forward into the first period."""
    order = {p.period: i for i, p in enumerate(periods)}
    draws = DrawSchedule.of(draw, order)
    opening = opening or Opening()
    balances, lines = _Balances(opening.owed, opening.draw_owed, opening.residue), []
    for i, due in enumerate(periods):
        lines.append(_pay(due, draws, recovery_cap, rounding, balances, order, opening.text() if i == 0 else ""))
    return lines


def _pay(due: PeriodDue, draws: DrawSchedule, cap: Decimal | None, rounding, balances: _Balances,
         order, brought: str = "") -> PaymentLine:
    adjusted = sum((amount for _, amount in due.adjustments), ZERO)
    gross = due.earned + adjusted
    steps = [brought] if brought else []
    steps += [f"earned {show_amount(due.earned)}"] + [f"{label} {show_amount(a)}" for label, a in due.adjustments]
    floor = draws.floor(due.period, due.draw_days, order)
    became_owed = max(-gross, ZERO)
    if became_owed:
        balances.owed += became_owed
        steps.append(f"{show_amount(became_owed)} below zero is owed")
    top_up = max(floor.amount - max(gross, ZERO), ZERO)
    advanced = floor.advanced(top_up) if top_up else ZERO
    if top_up:
        steps.append(f"draw {floor.text()} adds {show_amount(top_up)}{floor.split_text(top_up)}")
        balances.draw_owed += advanced
    recovered_owed, recovered_draw = _recover(max(gross - floor.amount, ZERO), draws.terms(due.period, order),
                                              due.period, cap, balances, steps, order)
    pay = max(gross, ZERO) + top_up - recovered_owed - recovered_draw
    forgiven = _forgive(draws.forgiven(due.period, due.terminated, floor, top_up, balances.draw_owed, order),
                        balances, steps)
    paid, precise = _round(pay, rounding, balances, steps)
    report = _left_at_termination(due, balances)
    return PaymentLine(due.period, due.earned, adjusted, top_up, recovered_owed + recovered_draw, forgiven,
                       balances.owed, balances.draw_owed, precise, paid, became_owed=became_owed,
                       recovered_owed=recovered_owed, recovered_draw=recovered_draw, draw_advanced=advanced,
                       steps=tuple(steps), report=report)


def _recover(surplus: Decimal, draw: Draw | None, period: str, cap: Decimal | None, balances: _Balances,
             steps: list[str], order) -> tuple[Decimal, Decimal]:
    """Repay the owed balance, then the draw balance (under the terms of `draw`, the draw in force), from what is
    above the draw."""
    before = balances.owed
    owed = min(before, surplus, cap if cap is not None else before)
    balances.owed -= owed
    capped = f", at most {show_amount(cap)} a period" if cap is not None and owed == cap < before else ""
    draw_part = ZERO
    if draw is not None and draw.recovering(period, order):
        most = draw.max_recovery if draw.max_recovery is not None else balances.draw_owed
        draw_part = min(balances.draw_owed, surplus - owed, most)
        balances.draw_owed -= draw_part
    if owed:
        steps.append(f"recovers {show_amount(owed)} owed{capped} (left {show_amount(balances.owed)})")
    if draw_part:
        steps.append(f"recovers {show_amount(draw_part)} of the draw (left {show_amount(balances.draw_owed)})")
    return owed, draw_part


def _forgive(forgiven: Decimal, balances: _Balances, steps: list[str]) -> Decimal:
    if not forgiven:
        return ZERO
    balances.draw_owed -= forgiven
    left = f" ({show_amount(balances.draw_owed)} advanced by the next draw stays owed)" if balances.draw_owed else ""
    steps.append(f"the draw balance {show_amount(forgiven)} is forgiven{left}")
    return forgiven


def _round(pay: Decimal, rounding, balances: _Balances, steps: list[str]) -> tuple[Decimal, Decimal]:
    before = balances.residue
    carried = pay + before
    # never below zero: a half unit paid earlier by rounding up (carried −0.005) is not taken back from
    # a period with nothing to pay, it stays carried; and never a "-0.00"
    paid = round_money(max(carried, ZERO), *rounding)
    paid = abs(paid) if not paid else paid
    balances.residue = carried - paid
    if before and round_money(pay, *rounding) != paid:
        earlier = (f"less {plain(-before)} paid earlier by rounding up" if before < 0
                   else f"plus {plain(before)} held back earlier by rounding down")
        steps.append(f"pay {show_amount(paid)} ({plain(pay)}, {earlier})")
    else:
        steps.append(f"pay {show_amount(paid)}")
    return paid, pay


def _left_at_termination(due: PeriodDue, balances: _Balances) -> str:
    if not due.terminated or not (balances.owed or balances.draw_owed):
        return ""
    return (f"left at termination: {show_amount(balances.owed)} owed and {show_amount(balances.draw_owed)} of the "
            "draw; collect or write off")
