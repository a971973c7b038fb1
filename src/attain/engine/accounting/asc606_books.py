"""The books of capitalised commissions: their journal entries and the deferred-commissions roll-forward.

Both are made from `DeferredCommission.movements()`, so the roll-forward of any window ties to the
movement of the deferred-commissions account in the entries posted in that window, to the cent.

Entries (posted on the month's last day, period named YYYY-MM):

    capitalisation   Dr Deferred commissions / Cr Accrued commissions        the month incurred
    expensed         Dr Commission expense / Cr Accrued commissions          (practical expedient)
    amortisation     Dr Commission expense / Cr Deferred commissions         each month of the schedule
    clawback         Dr Accrued commissions / Cr Deferred commissions        the cancellation month
                     (and Cr Commission expense for a clawback beyond what is left of the asset)
    impairment       Dr Commission expense / Cr Deferred commissions         the cancellation month

**Pairing with payroll.** Capitalisation, expensing and clawback are accruals: they are the lines
`payroll.payment_entries` posts for the same commissions when the pay run goes through Attain (its
`capitalised` argument is `capitalised_in(...)` for the payee and month). Post them from one place
only: `deferred_entries(..., include_accruals=False)` leaves them out and keeps amortisation and
impairment, which payroll never posts. With `include_accruals=True` (the default) these entries alone
carry the commissions from accrual to expense, for a payroll booked elsewhere.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from attain.engine.accounting.asc606 import (
    ZERO,
    DeferredCommission,
    Movement,
    ScheduledMonth,
    first_of_month,
    month_label,
)
from attain.engine.accounting.chart import AccountingError, Chart
from attain.engine.accounting.journal import JournalEntry, entry
from attain.engine.money import show_amount

DEFAULT_CHART = Chart()


@cache
def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@cache
def period_of(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def deferred_entries(deferred: DeferredCommission, chart: Chart = DEFAULT_CHART,
                     include_accruals: bool = True) -> list[JournalEntry]:
    """Every entry of one contract's commission over its life, month by month (see the module's table)."""
    made = [_accrual(deferred, chart)] if include_accruals else []
    made += [amortisation_entry(deferred, ScheduledMonth(x.month, x.amount, i, len(deferred.schedule)), chart)
             for i, x in enumerate(deferred.amortisation())]
    if deferred.cancellation is not None:
        made += [_clawback(deferred, chart)] if include_accruals else []
        made.append(_impairment(deferred, chart))
    return [x for x in made if x is not None]


def _post(deferred: DeferredCommission, month: date, kind: str, description: str, postings) -> JournalEntry | None:
    return entry(f"{kind}:{deferred.contract_id}:{period_of(month)}", last_day(month), period_of(month), kind,
                 description, deferred.currency, postings, deferred.payee, deferred.rounding[0])


def _accrual(deferred: DeferredCommission, chart: Chart) -> JournalEntry | None:
    target = chart.deferred_commissions if deferred.capitalised else chart.commission_expense
    kind = "capitalisation" if deferred.capitalised else "expensed"
    description = f"Commission of {deferred.payee} on contract {deferred.contract_id}: {deferred.reason}"
    return _post(deferred, deferred.incurred_month, kind, description, [
        (target.code, deferred.commission, f"{kind} commission on {deferred.contract_id}"),
        (chart.accrued_commissions.code, -deferred.commission, f"commission on {deferred.contract_id} owed"),
    ])


def amortisation_entry(deferred: DeferredCommission, step: ScheduledMonth,
                       chart: Chart = DEFAULT_CHART) -> JournalEntry | None:
    """The entry of one month of the schedule (`step`, e.g. from `scheduled_month`): only the commission's terms
    are read from `deferred`, not its schedule, so a commission without its schedule made will do."""
    description = (f"Amortisation {step.index + 1} of {step.count} of the commission on contract "
                   f"{deferred.contract_id} ({show_amount(deferred.commission, deferred.rounding[0])} over {deferred.benefit_months} "
                   f"months), {month_label(step.month)}")
    return _post(deferred, step.month, "amortisation", description, [
        (chart.commission_expense.code, step.amount, f"amortisation of {deferred.contract_id}"),
        (chart.deferred_commissions.code, -step.amount, f"amortisation of {deferred.contract_id}"),
    ])


def _clawback(deferred: DeferredCommission, chart: Chart) -> JournalEntry | None:
    cancelled, places = deferred.cancellation, deferred.rounding[0]
    description = (f"Contract {deferred.contract_id} cancelled on {cancelled.cancelled_on}: "
                   f"{show_amount(cancelled.clawed_back, places)} clawed back from {deferred.payee}")
    return _post(deferred, cancelled.month, "clawback", description, [
        (chart.accrued_commissions.code, cancelled.clawed_back, f"clawback on {deferred.contract_id}"),
        (chart.deferred_commissions.code, -cancelled.from_asset, "clawback reduces the capitalised asset"),
        (chart.commission_expense.code, -cancelled.expense_reversed, "clawback beyond the asset reverses expense"),
    ])


def _impairment(deferred: DeferredCommission, chart: Chart) -> JournalEntry | None:
    cancelled, places = deferred.cancellation, deferred.rounding[0]
    description = (f"Contract {deferred.contract_id} cancelled on {cancelled.cancelled_on}: "
                   f"{show_amount(cancelled.remaining, places)} left of the asset, "
                   f"{show_amount(cancelled.from_asset, places)} clawed back, {show_amount(cancelled.impaired, places)} "
                   "impaired")
    return _post(deferred, cancelled.month, "impairment", description, [
        (chart.commission_expense.code, cancelled.impaired, f"impairment of {deferred.contract_id}"),
        (chart.deferred_commissions.code, -cancelled.impaired, f"impairment of {deferred.contract_id}"),
    ])


def capitalised_in(deferreds: Iterable[DeferredCommission], payee: str, month: date, currency: str) -> Decimal:
    """What `payment_entries` capitalises for `payee` in `month`: commissions capitalised that month less
    what clawbacks took back from the asset that month (negative when the clawbacks are larger)."""
    return net_capitalised((move for deferred in deferreds if deferred.payee == payee and deferred.currency == currency
                            for move in deferred.movements()), month)


def net_capitalised(moves: Iterable[Movement], month: date) -> Decimal:
    """The commissions capitalised in `month` less what clawbacks took back from the asset that month."""
    signs = {"capitalised": 1, "clawed_back": -1}
    return sum((signs[move.kind] * move.amount for move in moves
                if move.month == first_of_month(month) and move.kind in signs), ZERO)


@dataclass(frozen=True)
class RollForward:
    currency: str
    payee: str | None  # None: all payees together
    opening: Decimal
    capitalised: Decimal
    amortised: Decimal
    clawed_back: Decimal
    impaired: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.capitalised - self.amortised - self.clawed_back - self.impaired


def roll_forward(deferreds: Iterable[DeferredCommission], month_start: date, month_end: date,
                 by_payee: bool = False) -> list[RollForward]:
    """The deferred-commissions asset from the start of `month_start`'s month to the end of `month_end`'s
    (both months included; any day names its month), per currency and, if asked, per payee."""
    return roll_forward_of(((d.currency, d.payee, move) for d in deferreds if d.capitalised for move in d.movements()),
                           month_start, month_end, by_payee)


def roll_forward_of(moves: Iterable[tuple[str, str, Movement]], month_start: date, month_end: date,
                    by_payee: bool = False) -> list[RollForward]:
    """`roll_forward` from the movements of capitalised commissions, each as (currency, payee, movement): the
    movements may be totals per currency, payee, month and kind (a kept month's, `apps/payments`)."""
    first, last = first_of_month(month_start), first_of_month(month_end)
    if last < first:
        raise AccountingError(f"roll-forward from {month_label(first)} to {month_label(last)}: the window ends "
                              "before it starts; give the earlier month first")
    rows: dict[tuple[str, str | None], dict[str, Decimal]] = {}
    for currency, payee, move in moves:
        row = rows.setdefault((currency, payee if by_payee else None),
                              dict.fromkeys(("opening", "capitalised", "amortised", "clawed_back", "impaired"), ZERO))
        if move.month < first:
            row["opening"] += move.amount if move.kind == "capitalised" else -move.amount
        elif move.month <= last:
            row[move.kind] += move.amount
    return [RollForward(currency, payee, **row)
            for (currency, payee), row in sorted(rows.items(), key=lambda x: (x[0][0], x[0][1] or ""))]

