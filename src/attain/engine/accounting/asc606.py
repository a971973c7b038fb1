"""Capitalised commissions under ASC 340-40 / IFRS 15: capitalise, amortise straight-line, impair (DOMAIN E9).

A sales commission is an incremental cost of obtaining a contract. It is recognised as an asset
(deferred commissions) and amortised over the period the contract benefits from it: the contract term
plus the renewals the company expects (`CapitalisationPolicy.expected_renewal_months`). When that
period of benefit is one year or less a company may expense the commission at once instead (the
practical expedient, ASC 340-40-25-4): `capitalise` then returns a commission marked as expensed, with
no schedule.

Choices this module makes, so the numbers are predictable:

- **Months** are calendar months, named by their first day (`date(2026, 1, 1)` is January 2026); any
  day names its month. Entries are posted on the month's last day.
- **The asset arises** in the month the commission is incurred (`incurred_on`, by default the
  contract's start). **Amortisation starts** in the contract's first month, or in the month the
  commission is incurred if that is later; the months of benefit already past then come together in
  that first month (a catch-up), so the schedule still ends when the period of benefit ends and every
  month's share stays commission ÷ months. A commission incurred before the contract starts is an
  asset until the first month.
- **Monthly amounts** are rounded to the currency's minor unit; the units that do not divide evenly go
  one each to the first months (largest remainder, DOMAIN §3.9): 1,000.00 over 7 months is 142.86 × 5
  and 142.85 × 2. The months add up to the commission exactly, never differ by more than one minor
  unit and are never negative.
- **A cancellation** (`impair`) still amortises its own month; what is left of the asset after that is
  written off in the same month: first by the commission clawed back from the payee, then as an
  impairment expense. A clawback larger than what is left also reverses commission expense already
  recognised.
- **One clawback, several commissions** (`impair_together`): a payee paid commission on one contract in
  several months has one capitalised commission per month, and the credit note that cancels the
  contract takes its commission back once. That clawback is shared, never given whole to each: oldest
  commission first, each takes what is left of the clawback up to the asset it still has after the
  cancellation month's amortisation (`remaining_on`); the newest takes whatever is left, so the shares add
  up to the clawback exactly and a clawback larger than all the assets left reverses expense once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache

from attain.engine.accounting.chart import AccountingError
from attain.engine.money import MoneyError, round_money, show_amount, to_decimal

ZERO = Decimal(0)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


@cache
def month_label(month: date) -> str:
    return month.strftime("%B %Y")


@dataclass(frozen=True)
class CapitalisationPolicy:
    practical_expedient: bool = True  # expense at once when the period of benefit is expense_up_to_months or less
    expected_renewal_months: int = 0  # renewals expected beyond the term, added to the period of benefit
    expense_up_to_months: int = 12  # "one year or less"

    def __post_init__(self) -> None:
        for name in ("expected_renewal_months", "expense_up_to_months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise AccountingError(f"capitalisation policy: {name} is a whole number of months, 0 or more "
                                      f"(got {value!r})")

    def benefit_months(self, term_months: int) -> int:
        """The period of benefit: the contract term plus the renewals expected."""
        return term_months + self.expected_renewal_months

    def expenses_at_once(self, benefit_months: int) -> bool:
        return self.practical_expedient and benefit_months <= self.expense_up_to_months


@dataclass(frozen=True)
class Amortisation:
    month: date  # first day of the month
    amount: Decimal


@dataclass(frozen=True)
class Cancellation:
    cancelled_on: date
    remaining: Decimal  # the asset left after the cancellation month's amortisation
    clawed_back: Decimal  # taken back from the payee (positive)
    from_asset: Decimal  # the part of the clawback that reduces the asset: at most what remains
    impaired: Decimal  # the rest of the asset, written off as expense

    @property
    def month(self) -> date:
        return first_of_month(self.cancelled_on)

    @property
    def expense_reversed(self) -> Decimal:
        """Clawed back beyond the asset: commission already amortised into expense, now taken back."""
        return self.clawed_back - self.from_asset


@dataclass(frozen=True)
class Movement:
    month: date
    kind: str  # capitalised | amortised | clawed_back | impaired
    amount: Decimal  # positive; capitalised adds to the asset, the others reduce it


@dataclass(frozen=True)
class DeferredCommission:
    contract_id: str
    payee: str
    currency: str
    commission: Decimal  # in the currency's minor unit
    contract_start: date
    term_months: int
    benefit_months: int
    incurred_on: date
    capitalised: bool  # False: expensed at once (practical expedient); no schedule
    reason: str
    schedule: tuple[Amortisation, ...]  # the whole straight-line schedule, as if never cancelled
    rounding: tuple[int, str] = (2, "half_up")
    cancellation: Cancellation | None = None

    @property
    def incurred_month(self) -> date:
        return first_of_month(self.incurred_on)

    def amortisation(self) -> tuple[Amortisation, ...]:
        """The months actually amortised: the schedule up to and including a cancellation's month."""
        if self.cancellation is None:
            return self.schedule
        return tuple(x for x in self.schedule if x.month <= self.cancellation.month)

    def movements(self) -> list[Movement]:
        """Every change to the deferred-commissions asset, month by month (the one source of the entries
        and of the roll-forward, so they always tie)."""
        if not self.capitalised:
            return []
        moves = [Movement(self.incurred_month, "capitalised", self.commission)]
        moves += [Movement(x.month, "amortised", x.amount) for x in self.amortisation()]
        if self.cancellation is not None:
            moves += [Movement(self.cancellation.month, "clawed_back", self.cancellation.from_asset),
                      Movement(self.cancellation.month, "impaired", self.cancellation.impaired)]
        return [x for x in moves if x.amount]

    def balance_after(self, month: date) -> Decimal:
        """The asset at the end of `month` (any day of it)."""
        last = first_of_month(month)
        return sum((x.amount if x.kind == "capitalised" else -x.amount for x in self.movements()
                    if x.month <= last), ZERO)


def capitalise(contract_id: str, payee: str, commission: Decimal, currency: str, contract_start: date,
               term_months: int, policy: CapitalisationPolicy = CapitalisationPolicy(), *,
               incurred_on: date | None = None, rounding: tuple[int, str] = (2, "half_up")) -> DeferredCommission:
    """Capitalise a contract's commission and schedule its amortisation, or expense it (practical expedient).

    The commission is rounded once to the minor unit (the capitalised asset is a ledger amount).
    """
    where = f"contract {contract_id}"
    amount = _positive_amount(commission, where, rounding)
    if isinstance(term_months, bool) or not isinstance(term_months, int) or term_months < 1:
        raise AccountingError(f"{where}: term_months is the contract's length in whole months, 1 or more "
                              f"(got {term_months!r})")
    incurred_on = incurred_on or contract_start
    benefit = policy.benefit_months(term_months)
    renewals = f" + {policy.expected_renewal_months} expected renewal months" if policy.expected_renewal_months else ""
    period = f"period of benefit {benefit} months ({term_months}-month term{renewals})"
    if policy.expenses_at_once(benefit):
        reason = (f"{period}, {policy.expense_up_to_months} months or less: expensed when incurred (practical "
                  "expedient)")
        return DeferredCommission(contract_id, payee, currency, amount, contract_start, term_months, benefit,
                                  incurred_on, False, reason, (), rounding)
    schedule = _straight_line(amount, first_of_month(contract_start), benefit, first_of_month(incurred_on),
                              rounding[0])
    why = "longer than" if benefit > policy.expense_up_to_months else "practical expedient not elected,"
    reason = (f"{period}, {why} {policy.expense_up_to_months} months: capitalised and amortised straight-line, "
              f"{show_amount(amount, rounding[0])} over {benefit} months from {month_label(schedule[0].month)}")
    return DeferredCommission(contract_id, payee, currency, amount, contract_start, term_months, benefit,
                              incurred_on, True, reason, schedule, rounding)


def impair(deferred: DeferredCommission, cancelled_on: date, clawed_back: Decimal = ZERO) -> DeferredCommission:
    """The contract cancelled on `cancelled_on`: the asset left after that month's amortisation is written off,
    first by `clawed_back` (the commission taken back from the payee, a positive amount), then as impairment.
    """
    where = f"contract {deferred.contract_id}"
    if deferred.cancellation is not None:
        raise AccountingError(f"{where} was already cancelled on {deferred.cancellation.cancelled_on}; a contract "
                              "is cancelled once")
    if first_of_month(cancelled_on) < deferred.incurred_month:
        raise AccountingError(f"{where}: cancelled on {cancelled_on}, before its commission was incurred in "
                              f"{month_label(deferred.incurred_month)}; a commission never incurred is not "
                              "capitalised: leave the contract out")
    taken = _positive_amount(clawed_back, where, deferred.rounding, zero=True, name="clawed_back")
    remaining = remaining_on(deferred, cancelled_on)
    from_asset = min(taken, remaining)
    cancellation = Cancellation(cancelled_on, remaining, taken, from_asset, remaining - from_asset)
    return replace(deferred, cancellation=cancellation)


def remaining_on(deferred: DeferredCommission, cancelled_on: date) -> Decimal:
    """The asset a cancellation on `cancelled_on` writes off: what is left after that month's amortisation (0 for a
    commission expensed at once)."""
    return deferred.balance_after(cancelled_on) if deferred.capitalised else ZERO


def share_clawback(deferreds: Sequence[DeferredCommission], cancelled_on: date,
                   clawed_back: Decimal) -> tuple[Decimal, ...]:
    """One clawback shared among one payee's commissions on one contract, cancelled together on `cancelled_on`:
    the share of each, in the order given.

    Oldest first (by the month incurred, then the order given), each takes what is left of the clawback up to its
    `remaining_on`; the newest takes the rest, so the shares add up to `clawed_back` (rounded once to the minor
    unit) exactly: 900 against assets left of 499.98 and 249.96 is 499.98 and 400.02; 300 is 300 and 0.
    """
    if not deferreds:
        raise AccountingError("a clawback is shared among one or more commissions: none given")
    first = deferreds[0]
    where = f"contract {first.contract_id}"
    for other in deferreds[1:]:
        if (other.payee, other.currency) != (first.payee, first.currency):
            raise AccountingError(f"{where} ({first.payee}, {first.currency}) and contract {other.contract_id} "
                                  f"({other.payee}, {other.currency}): a clawback is shared only among one payee's "
                                  "commissions in one currency; share each payee's clawback on its own")
    left = _positive_amount(clawed_back, where, first.rounding, zero=True, name="clawed_back")
    order = sorted(range(len(deferreds)), key=lambda i: deferreds[i].incurred_month)
    shares = [ZERO] * len(deferreds)
    for i in order[:-1]:
        shares[i] = min(left, remaining_on(deferreds[i], cancelled_on))
        left -= shares[i]
    shares[order[-1]] = left
    return tuple(shares)


def impair_together(deferreds: Sequence[DeferredCommission], cancelled_on: date,
                    clawed_back: Decimal = ZERO) -> tuple[DeferredCommission, ...]:
    """`impair` for one payee's commissions on one contract cancelled by one credit note: the clawback (positive, as
    for `impair`) is counted once, shared among them by `share_clawback`; in the order given."""
    shares = share_clawback(deferreds, cancelled_on, clawed_back)
    return tuple(impair(deferred, cancelled_on, share) for deferred, share in zip(deferreds, shares, strict=True))


@dataclass(frozen=True)
class ScheduledMonth:
    """One month of a straight-line schedule, and where it stands in it (`index` 0 is the first month)."""

    month: date
    amount: Decimal
    index: int
    count: int  # the months in the schedule


def scheduled_month(commission: Decimal, contract_start: date, benefit_months: int, incurred_on: date, month: date,
                    places: int) -> ScheduledMonth | None:
    """The month `month` of the schedule `capitalise` makes (`DeferredCommission.schedule`), to the minor unit,
    without making the other months; None when the schedule amortises nothing in that month.

    The schedule's share i (0-based) is due in the contract's month i, or in the incurred month when that is
    later: shares 0 to `caught_up` come together in the first month (`_straight_line` does the same).
    """
    start, month = first_of_month(contract_start), first_of_month(month)
    first = max(start, first_of_month(incurred_on))
    caught_up = min(max(_months_from(start, first), 0), benefit_months - 1)
    share = _months_from(start, month)
    if month < first or (month > first and share >= benefit_months):
        return None
    low, high = (0, caught_up) if month == first else (share, share)
    each, odd = divmod(int(commission.scaleb(places)), benefit_months)
    units = (high - low + 1) * each + max(0, min(high + 1, odd) - low)
    return ScheduledMonth(month, units * Decimal(1).scaleb(-places), 0 if month == first else share - caught_up,
                          benefit_months - caught_up)


def _months_from(start: date, month: date) -> int:
    return (month.year - start.year) * 12 + month.month - start.month


def _straight_line(amount: Decimal, start: date, months: int, incurred: date, places: int) -> tuple[Amortisation, ...]:
    """Equal monthly shares in minor units (the odd units to the first months), months past at incurrence
    folded into the incurred month."""
    units = int(amount.scaleb(places))
    share, odd = divmod(units, months)
    unit = Decimal(1).scaleb(-places)
    shares = [(share + (1 if i < odd else 0)) * unit for i in range(months)]
    by_month: dict[date, Decimal] = {}
    for i, value in enumerate(shares):
        index = start.month - 1 + i  # `start` is a month's first day: no month-end clamping to do
        month = max(date(start.year + index // 12, index % 12 + 1, 1), incurred)
        by_month[month] = by_month.get(month, ZERO) + value
    return tuple(Amortisation(month, value) for month, value in by_month.items())


def _positive_amount(value: Decimal, where: str, rounding: tuple[int, str], zero: bool = False,
                     name: str = "commission") -> Decimal:
    try:
        amount = round_money(to_decimal(value), *rounding)
    except MoneyError as wrong:
        raise AccountingError(f"{where}: {name}: {wrong}") from None
    if amount < 0 and zero:
        raise AccountingError(f"{where}: {name} {value} is negative; give the amount taken back from the payee as "
                              "a positive number (4500 for a clawback of -4,500)")
    if amount <= 0 and not zero:
        raise AccountingError(f"{where}: {name} {value} must be above zero; a clawback is recorded by impair()")
    return amount
