"""From what a payee earned each period to what is paid: draws, balances owed, recovery, one rounding.

Each period's gross is the period's earnings plus its adjustments (manual, prior-period, clawbacks:
negative). Then, in this order:

1. A negative gross is not paid: it becomes a balance the payee owes (DOMAIN E5).
2. While a draw is active the payment is at least the draw; a recoverable draw's shortfall is owed
   (DOMAIN E4). In a month the payee starts, leaves or is on leave, the draw is prorated to the active
   days (`PeriodDue.draw_days`: draw × active days / days in the month, both ends counted).
3. What is above the draw (or above 0 without a draw) first recovers the owed balance (up to
   `recovery_cap` a period), then the draw balance (from the draw's `recovery_from`, up to its
   `max_recovery`).
4. A draw balance left when the draw ends, or at termination, is forgiven if the draw says so;
   balances left at termination are reported.
5. The payment is rounded once, to the currency's minor unit; the rounding difference is carried into
   the next period, so the rounded payments never drift from the precise ones by more than half a
   minor unit, and a payment is never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from attain.engine.money import plain, round_money, show_amount
from attain.engine.payments.draws import Draw

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


def pay_periods(periods: list[PeriodDue], draw: Draw | None = None, recovery_cap: Decimal | None = None,
                rounding: tuple[int, str] = (2, "half_up")) -> list[PaymentLine]:
    """The payment lines of one payee, period by period, in the given order."""
    order = {p.period: i for i, p in enumerate(periods)}
    if draw is not None:
        draw.check_periods(order)
    balances, lines = _Balances(), []
    for due in periods:
        lines.append(_pay(due, draw, recovery_cap, rounding, balances, order))
    return lines


def _pay(due: PeriodDue, draw: Draw | None, cap: Decimal | None, rounding, balances: _Balances, order) -> PaymentLine:
    adjusted = sum((amount for _, amount in due.adjustments), ZERO)
    gross = due.earned + adjusted
    steps = [f"earned {show_amount(due.earned)}"] + [f"{label} {show_amount(a)}" for label, a in due.adjustments]
    floor, draw_text = _draw_floor(due, draw, order)
    became_owed = max(-gross, ZERO)
    if became_owed:
        balances.owed += became_owed
        steps.append(f"{show_amount(became_owed)} below zero is owed")
    top_up = max(floor - max(gross, ZERO), ZERO)
    advanced = top_up if top_up and draw.recoverable else ZERO
    if top_up:
        steps.append(f"draw {draw_text} adds {show_amount(top_up)}")
        balances.draw_owed += advanced
    recovered_owed, recovered_draw = _recover(max(gross - floor, ZERO), due.period, draw, cap, balances, steps,
                                              order)
    pay = max(gross, ZERO) + top_up - recovered_owed - recovered_draw
    forgiven = _forgive(due, draw, balances, steps, order)
    paid, precise = _round(pay, rounding, balances, steps)
    report = _left_at_termination(due, balances)
    return PaymentLine(due.period, due.earned, adjusted, top_up, recovered_owed + recovered_draw, forgiven,
                       balances.owed, balances.draw_owed, precise, paid, became_owed=became_owed,
                       recovered_owed=recovered_owed, recovered_draw=recovered_draw, draw_advanced=advanced,
                       steps=tuple(steps), report=report)


def _draw_floor(due: PeriodDue, draw: Draw | None, order) -> tuple[Decimal, str]:
    """What the draw guarantees this period, prorated to the active days, and how ('4,000.00 × 15/30 days = 2,000.00')."""
    if draw is None or not draw.active(due.period, order):
        return ZERO, ""
    if due.draw_days is None or due.draw_days[0] >= due.draw_days[1]:
        return draw.amount, show_amount(draw.amount)
    active, total = due.draw_days
    floor = draw.amount * active / total  # multiplied first: exact to 28 digits
    return floor, f"{show_amount(draw.amount)} × {active}/{total} days = {show_amount(floor)}"


def _recover(surplus: Decimal, period: str, draw: Draw | None, cap: Decimal | None, balances: _Balances,
             steps: list[str], order) -> tuple[Decimal, Decimal]:
    """Repay the owed balance, then the draw balance, from what is above the draw."""
    owed = min(balances.owed, surplus, cap if cap is not None else balances.owed)
    balances.owed -= owed
    draw_part = ZERO
    if draw is not None and draw.recovering(period, order):
        most = draw.max_recovery if draw.max_recovery is not None else balances.draw_owed
        draw_part = min(balances.draw_owed, surplus - owed, most)
        balances.draw_owed -= draw_part
    if owed:
        steps.append(f"recovers {show_amount(owed)} owed (left {show_amount(balances.owed)})")
    if draw_part:
        steps.append(f"recovers {show_amount(draw_part)} of the draw (left {show_amount(balances.draw_owed)})")
    return owed, draw_part


def _forgive(due: PeriodDue, draw: Draw | None, balances: _Balances, steps: list[str], order) -> Decimal:
    if draw is None or not draw.forgive_at_end or not balances.draw_owed:
        return ZERO
    ends = draw.valid_to is not None and order[due.period] == order[draw.valid_to]
    if not (ends or due.terminated):
        return ZERO
    forgiven, balances.draw_owed = balances.draw_owed, ZERO
    steps.append(f"the draw balance {show_amount(forgiven)} is forgiven")
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
