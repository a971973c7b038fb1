"""Holds: commission earned on a transaction waits until the transaction is invoiced or paid.

A plan may hold the commission earned on a transaction (DOMAIN §3.6) until the transaction is
invoiced (`invoice`: all of it is released in the month of the invoice, or in the month it is earned
if the invoice came first) or until the customer pays (`payment`: released pro rata to what the
customer has paid to date ÷ the transaction's amount, at most 100%, so an overpayment never releases
more than the commission). Month by month, for each transaction:

1. The month's commission is added to the hold. A negative line (a credit note) reduces the hold
   first, then what was forfeited; only the rest takes back commission already released (a negative
   release). Releases are never negative otherwise: a refund does not take back (see `clawbacks`).
2. The release due to date (all of the positive commission once invoiced; positive commission ×
   paid ÷ amount on payment) less what was released before is released, at most the hold.
3. In the month a transaction is cancelled, what is still held is forfeited (it was never paid, so
   nothing needs clawing back); events after the cancellation release nothing.

Amounts stay precise: + and − are exact, the one division (pro rata) keeps DIVISION_PLACES places,
as the expression language does; the payment ledger rounds once. Every month, for each transaction
and in total: earned to date = released to date + held + forfeited to date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from attain.engine.money import MoneyError, plain, show_amount, to_decimal
from attain.engine.payments.draws import PaymentTermsError

UNTIL = ("invoice", "payment")
DIVISION_PLACES = 10  # as engine/expressions/evaluate.py: a quotient keeps 10 decimal places
EXACT = Context(prec=200, rounding=ROUND_HALF_UP)  # + and − never round at this precision
ZERO = Decimal(0)
Month = tuple[str, date, date]  # name, first day, last day (inclusive)


@dataclass(frozen=True)
class HoldPolicy:
    """How long a plan holds commission: until the transaction is invoiced, or as it is paid."""

    until: str  # invoice | payment

    def __post_init__(self) -> None:
        if self.until not in UNTIL:
            raise PaymentTermsError(f"a hold lasts until 'invoice' or 'payment', not {self.until!r}; "
                                    "write until: invoice (released when invoiced) or until: payment "
                                    "(released as the customer pays)")


@dataclass(frozen=True)
class CommissionLine:
    """Commission the engine attributed to one transaction in one month."""

    transaction: str  # the transaction's external id
    month: str  # the month it was earned: one of the names in `months`
    amount: Decimal  # precise; negative for a credit note

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _amount(self.amount, f"the commission on {self.transaction}"))


@dataclass(frozen=True)
class TransactionEvents:
    """What happened to a transaction after it was booked: invoice, customer payments, cancellation."""

    external_id: str
    amount: Decimal  # what the customer is invoiced: the base of the pro-rata release
    invoiced_on: date | None = None
    payments: tuple[tuple[date, Decimal], ...] = ()  # customer receipts, possibly partial
    cancelled_on: date | None = None

    def __post_init__(self) -> None:
        where = f"transaction {self.external_id}"
        object.__setattr__(self, "amount", _amount(self.amount, f"the amount of {where}"))
        payments = tuple((day, _amount(paid, f"a payment on {where}")) for day, paid in self.payments)
        object.__setattr__(self, "payments", payments)

    def paid_by(self, day: date) -> tuple[Decimal, list[date]]:
        """What the customer paid up to `day` (inclusive), and the dates of the payments counted, in order."""
        counted = [(on, paid) for on, paid in self.payments if on <= day]
        return sum((paid for _, paid in counted), ZERO), sorted(on for on, _ in counted)


@dataclass(frozen=True)
class HoldLine:
    """One transaction in one month, with its explanation."""

    transaction: str
    earned: Decimal  # the month's commission on the transaction
    held: Decimal  # added to the hold (negative: a credit note reduced it)
    released: Decimal  # from the hold, this month's or earlier; negative: a credit note takes back
    forfeited: Decimal  # the hold given up at cancellation (negative: a credit note against it)
    balance: Decimal  # still held at the month's end
    text: str


@dataclass(frozen=True)
class HoldMonth:
    """One month of a payee's holds: the totals and a line per transaction earned, held or released."""

    month: str
    earned: Decimal
    held: Decimal
    released: Decimal
    forfeited: Decimal
    balance: Decimal
    lines: tuple[HoldLine, ...]

    def explain(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class _Hold:
    """One transaction's running totals."""

    positive: Decimal = ZERO  # commission earned to date without credit notes: the base of the release
    released_share: Decimal = ZERO  # released of `positive` so far
    released: Decimal = ZERO  # released to date, less what credit notes took back
    balance: Decimal = ZERO  # held
    forfeited: Decimal = ZERO  # forfeited to date


def release(policy: HoldPolicy, commissions: list[CommissionLine], events: Mapping[str, TransactionEvents],
            months: list[Month]) -> list[HoldMonth]:
    """Month by month, what is earned, held, released and forfeited, in the order of `months`."""
    _check(policy, commissions, events, months)
    earned: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for line in commissions:
        earned[line.month][line.transaction].append(line.amount)
    holds: dict[str, _Hold] = {}
    result = []
    with localcontext(EXACT):
        for name, start, end in months:
            this_month = earned.get(name, {})
            ids = sorted(set(this_month) | {t for t, hold in holds.items() if hold.balance})
            lines = [_month(policy, events[t], holds.setdefault(t, _Hold()), this_month.get(t, []), start, end)
                     for t in ids]
            result.append(_total(name, lines))
    return result


def _month(policy: HoldPolicy, events: TransactionEvents, hold: _Hold, amounts: list[Decimal], start: date,
           end: date) -> HoldLine:
    steps: list[str] = []
    held, taken, unforfeited = _add(hold, amounts, steps)
    cancelled = events.cancelled_on is not None and events.cancelled_on <= end
    freed, reason = _release(policy, events, hold, min(end, events.cancelled_on) if cancelled else end, steps)
    forfeit = ZERO
    if cancelled and hold.balance:
        forfeit, hold.balance = hold.balance, ZERO
        hold.forfeited += forfeit
        steps.append(f"cancelled on {events.cancelled_on} → {show_amount(forfeit)} still held is forfeited")
    elif hold.balance and not freed:
        waiting = "not invoiced yet" if policy.until == "invoice" else (reason or "nothing paid yet")
        steps.append(f"{waiting}: {show_amount(hold.balance)} held")
    text = f"{events.external_id}: {'; '.join(steps) or 'nothing earned, held or released'}"
    return HoldLine(events.external_id, sum(amounts, ZERO), held, freed - taken, forfeit - unforfeited,
                    hold.balance, text)


def _add(hold: _Hold, amounts: list[Decimal], steps: list[str]) -> tuple[Decimal, Decimal, Decimal]:
    """Put the month's commission on hold; a credit note reduces the hold, then the forfeited part."""
    positive = sum((a for a in amounts if a > 0), ZERO)
    credit = -sum((a for a in amounts if a < 0), ZERO)
    hold.positive += positive
    hold.balance += positive
    if positive:
        steps.append(f"{show_amount(positive)} earned")
    from_hold = min(hold.balance, credit)
    from_forfeit = min(hold.forfeited, credit - from_hold)
    taken = credit - from_hold - from_forfeit
    taken_back = min(max(hold.released, ZERO), taken)
    hold.balance -= from_hold
    hold.forfeited -= from_forfeit
    hold.released -= taken
    if credit:
        parts = [text.format(show_amount(amount)) for amount, text in
                 ((from_hold, "reduces the hold by {}"), (from_forfeit, "reduces what was forfeited by {}"),
                  (taken_back, "takes back {} already released"),
                  (taken - taken_back, "passes on {} with nothing held or released to reduce")) if amount]
        steps.append(f"credit note {show_amount(-credit)}: {', '.join(parts)}")
    return positive - from_hold, taken, from_forfeit


def _release(policy: HoldPolicy, events: TransactionEvents, hold: _Hold, as_of: date,
             steps: list[str]) -> tuple[Decimal, str]:
    """Release what is due to date, at most the hold; and the reason (invoiced, the share paid)."""
    if policy.until == "invoice":
        invoiced = events.invoiced_on is not None and events.invoiced_on <= as_of
        due, reason = (hold.positive, f"invoiced on {events.invoiced_on}") if invoiced else (ZERO, "")
    else:
        due, reason = _due_on_payment(events, hold.positive, as_of)
    freed = min(max(due - hold.released_share, ZERO), hold.balance)
    hold.released_share += freed
    hold.released += freed
    hold.balance -= freed
    if freed:
        steps.append(_released_text(policy, reason, freed, hold))
    return freed, reason


def _due_on_payment(events: TransactionEvents, positive: Decimal, as_of: date) -> tuple[Decimal, str]:
    """Positive commission × paid ÷ amount, at most all of it; and the words saying so."""
    paid, days = events.paid_by(as_of)
    if paid <= 0 or not positive:
        return ZERO, ""
    share = f"{_percent(paid, events.amount)} paid {'on' if len(days) == 1 else 'by'} {days[-1]}"
    if paid >= events.amount:
        return positive, share + (" (counted as 100%)" if paid > events.amount else "")
    exact = positive * paid / events.amount
    return exact.quantize(Decimal(1).scaleb(-DIVISION_PLACES)), share


def _released_text(policy: HoldPolicy, reason: str, freed: Decimal, hold: _Hold) -> str:
    if policy.until == "invoice" or freed == hold.released_share:
        return f"{reason} → {show_amount(freed)} of {show_amount(hold.positive)} released"
    return (f"{reason} → {show_amount(freed)} more released, {show_amount(hold.released_share)} of "
            f"{show_amount(hold.positive)} in all")


def _percent(part: Decimal, whole: Decimal) -> str:
    """part ÷ whole as a percentage, exact when it has two decimals or fewer, else about that."""
    exact = part * 100 / whole
    shown = exact.quantize(Decimal("0.01"))
    return f"{plain(shown)}%" if shown == exact else f"about {plain(shown)}%"


def _total(name: str, lines: list[HoldLine]) -> HoldMonth:
    def total(field: str) -> Decimal:
        return sum((getattr(line, field) for line in lines), ZERO)

    return HoldMonth(name, total("earned"), total("held"), total("released"), total("forfeited"), total("balance"),
                     tuple(lines))


def _check(policy: HoldPolicy, commissions: list[CommissionLine], events: Mapping[str, TransactionEvents],
           months: list[Month]) -> None:
    names = [name for name, _, _ in months]
    if len(set(names)) != len(names):
        raise PaymentTermsError(f"the months {', '.join(names)} name one month twice; give each month once")
    for (name, start, end), following in zip(months, [*months[1:], None], strict=True):
        if end < start or (following is not None and following[1] <= end):
            raise PaymentTermsError(f"month {name} ({start} to {end}) must end on or after its start and before the "
                                    "next month starts; give the months in order")
    for line in commissions:
        if line.month not in names:
            raise PaymentTermsError(f"the commission on {line.transaction} is earned in {line.month!r}, which is not "
                                    f"one of the months given ({', '.join(names) or 'none'}); pass every month "
                                    "from the first one with commission")
        _check_events(policy, line, events)


def _check_events(policy: HoldPolicy, line: CommissionLine, events: Mapping[str, TransactionEvents]) -> None:
    found = events.get(line.transaction)
    if found is None or found.external_id != line.transaction:
        raise PaymentTermsError(f"no events for transaction {line.transaction}, which has commission in "
                                f"{line.month}; pass events[{line.transaction!r}] = TransactionEvents("
                                f"{line.transaction!r}, amount, ...), without dates if it is not invoiced yet")
    if policy.until == "payment" and line.amount > 0 and found.amount <= 0:
        raise PaymentTermsError(f"transaction {line.transaction} has commission but an amount of "
                                f"{plain(found.amount)}: a release on payment divides what was paid by the "
                                "amount invoiced; give the transaction's amount, above 0")


def _amount(value: object, what: str) -> Decimal:
    try:
        return to_decimal(value)
    except MoneyError as wrong:
        raise PaymentTermsError(f"{what}: {wrong}") from None
