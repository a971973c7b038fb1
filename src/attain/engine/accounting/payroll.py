"""The journal entries of one payee's pay period, from the payments engine's `PaymentLine`.

Two entries per payee and period (see docs/accounting.md for worked examples):

**Accrual** — the period's gross (earnings + adjustments) is a cost and a debt to the payee:
    Dr Commission expense      gross − capitalised
    Dr Deferred commissions    capitalised (the part ASC 340-40 capitalises; see `asc606`)
        Cr Accrued commissions gross
A negative gross (a clawback or credit note larger than the period) posts the mirror: the expense is
credited and the accrual debited.

**Settlement** — the pay run turns the accrual into what payroll pays:
    Dr Accrued commissions     gross (clears the accrual; a negative gross is credited)
    Dr Payee receivable        the part of a negative gross that became a balance owed (E5)
    Dr Draw advances           a recoverable draw's top-up (paid ahead, to be recovered) (E4)
    Dr Commission expense      a non-recoverable draw's top-up (a guarantee: a cost at once)
        Cr Payee receivable    recovered from the owed balance
        Cr Draw advances       recovered from the draw balance
    Dr Commission expense / Cr Draw advances   a draw balance forgiven
    Dr or Cr Rounding differences              the sub-cent differences (below)
        Cr Commissions payable exactly `paid`: the ledger's payable is the payroll line and the statement

**Rounding, so every entry balances to the cent.** The engine's amounts are precise; a ledger holds
minor units. Each posted amount is rounded (the currency's minor unit and mode): the gross once, the
same in both entries, so the accrual clears to zero; a balance account (payee receivable, draw advances)
moves by the change in its rounded balance (`round(after) − round(before)`), so its ledger balance is
always the engine's balance rounded and never drifts; payable is `paid`, already rounded once by the
engine with its difference carried. What the rounded lines leave unbalanced is posted, as one explicit
line, to the rounding account: the payment's carried rounding (paid − precise) plus the sub-cent parts
of the other amounts. With amounts in whole cents it is exactly paid − precise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.engine.accounting.chart import AccountingError, Chart
from attain.engine.accounting.journal import ZERO, JournalEntry, entry
from attain.engine.money import round_money, show_amount
from attain.engine.payments.ledger import PaymentLine

DEFAULT_CHART = Chart()


def payment_entries(payee: str, period: str, posted_on: date, line: PaymentLine, currency: str,
                    chart: Chart = DEFAULT_CHART, capitalised: Decimal = ZERO,
                    rounding: tuple[int, str] = (2, "half_up")) -> list[JournalEntry]:
    """The accrual and settlement entries of `payee`'s pay `period` (entries that would be empty are left out).

    `period` names the accounting period written on the entries (often the pay period's name);
    `capitalised` is the part of the period's gross that is capitalised as deferred commissions, in
    minor units: the commissions `asc606.capitalise` capitalised this period, less what clawbacks took
    back from the asset (`asc606_books.capitalised_in`); negative when a clawback takes more back
    than is capitalised.
    """
    places, _ = rounding
    if not payee.strip():
        raise AccountingError(f"payment entries for {period}: the payee is empty; give the participant's id")
    capitalised, given = round_money(capitalised, *rounding), capitalised
    if capitalised != given:
        raise AccountingError(f"payment entries for {payee}, {period}: capitalised {given} has more than "
                              f"{places} decimal places; pass the rounded amount the ASC 606 schedule capitalised")
    gross = round_money(line.earned + line.adjustments, *rounding)
    made = [_accrual(payee, period, posted_on, gross, capitalised, currency, chart, places),
            _settlement(payee, period, posted_on, line, gross, currency, chart, rounding)]
    return [x for x in made if x is not None]


def _accrual(payee: str, period: str, posted_on: date, gross: Decimal, capitalised: Decimal, currency: str,
             chart: Chart, places: int) -> JournalEntry | None:
    expensed = gross - capitalised
    postings = [
        (chart.commission_expense.code, expensed, "earned, expensed" if expensed > 0 else "reversed from expense"),
        (chart.deferred_commissions.code, capitalised,
         "capitalised (ASC 340-40)" if capitalised > 0 else "taken back from the capitalised asset"),
        (chart.accrued_commissions.code, -gross, "gross of the period (earnings and adjustments)"),
    ]
    description = f"Commissions of {payee} for {period}: gross {show_amount(gross, places)}"
    return entry(f"accrual:{payee}:{period}", posted_on, period, "accrual", description, currency, postings,
                 payee, places)


def _settlement(payee: str, period: str, posted_on: date, line: PaymentLine, gross: Decimal, currency: str,
                chart: Chart, rounding: tuple[int, str]) -> JournalEntry | None:
    places = rounding[0]
    postings = [(chart.accrued_commissions.code, gross, "the period's accrual settled"),
                *_owed_postings(line, chart, rounding), *_draw_postings(line, chart, rounding),
                (chart.commissions_payable.code, -line.paid, "paid by payroll")]
    difference = -sum((amount for _, amount, _ in postings), ZERO)
    postings.append((chart.rounding_differences.code, difference,
                     f"rounding: paid {line.paid} for {line.precise} precise"))
    description = (f"Pay run for {payee}, {period}: pay {show_amount(line.paid, places)}" +
                   (f" ({line.explain()})" if line.steps else ""))
    return entry(f"settlement:{payee}:{period}", posted_on, period, "settlement", description, currency,
                 postings, payee, places)


def _owed_postings(line: PaymentLine, chart: Chart, rounding) -> list[tuple[str, Decimal, str]]:
    """The payee receivable moves by the change in the rounded owed balance: up, then down by recovery."""
    before = line.owed - line.became_owed + line.recovered_owed
    rounded = _rounded_steps(rounding, before, line.became_owed, -line.recovered_owed)
    code = chart.payee_receivable.code
    return [(code, rounded[0], "below zero: owed by the payee"),
            (code, rounded[1], "recovered from the balance owed")]


def _draw_postings(line: PaymentLine, chart: Chart, rounding) -> list[tuple[str, Decimal, str]]:
    """Draw advances move by the change in the rounded draw balance; a guarantee is an expense at once."""
    before = line.draw_owed - line.draw_advanced + line.recovered_draw + line.forgiven
    advanced, recovered, forgiven = _rounded_steps(rounding, before, line.draw_advanced, -line.recovered_draw,
                                                   -line.forgiven)
    guarantee = round_money(line.draw_top_up - line.draw_advanced, *rounding)
    advances, expense = chart.draw_advances.code, chart.commission_expense.code
    return [(advances, advanced, "recoverable draw paid ahead of earnings"),
            (expense, guarantee, "non-recoverable draw (guarantee)"),
            (advances, recovered, "draw recovered from earnings"),
            (expense, -forgiven, "draw balance forgiven"),
            (advances, forgiven, "draw balance forgiven")]


def _rounded_steps(rounding, balance: Decimal, *changes: Decimal) -> list[Decimal]:
    """Each change as the difference of the rounded balance before and after it (they add up exactly)."""
    steps = []
    for change in changes:
        steps.append(round_money(balance + change, *rounding) - round_money(balance, *rounding))
        balance += change
    return steps
