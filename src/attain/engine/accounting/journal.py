"""Journal entries: balanced, in the currency's minor unit, never a negative amount on either side.

A journal line posts an amount to one side of one account: a debit (Dr) or a credit (Cr). Assets and
expenses grow with debits; liabilities shrink with them. An entry balances when its debits equal its
credits. Callers work with signed amounts and let `signed_line` choose the side: a positive amount is a
debit, a negative one a credit of the opposite amount (a negative expense is a credit to expense), so no
line ever carries a negative number.

Like beancount's validations, `JournalEntry.problems()` returns what is wrong as messages rather than
raising; `check()` raises them all at once. The builders in this package check every entry they make.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from attain.engine.accounting.chart import AccountingError, Chart
from attain.engine.money import show_amount

ZERO = Decimal(0)


@dataclass(frozen=True)
class JournalLine:
    account_code: str
    debit: Decimal
    credit: Decimal
    memo: str = ""
    payee: str | None = None

    @property
    def amount(self) -> Decimal:
        """Signed: debit positive, credit negative."""
        return self.debit - self.credit

    def problems(self, places: int | None = None) -> list[str]:
        side = f"account {self.account_code} ({self.memo or 'no memo'})"
        if not isinstance(self.debit, Decimal) or not isinstance(self.credit, Decimal):
            return [f"{side}: debit and credit must be Decimal amounts, got {self.debit!r} and {self.credit!r}"]
        found = []
        if self.debit < 0 or self.credit < 0:
            found.append(f"{side}: a negative amount ({self.debit} Dr, {self.credit} Cr); post it on the other "
                         "side instead (signed_line does)")
        if self.debit and self.credit:
            found.append(f"{side}: both a debit {self.debit} and a credit {self.credit}; post two lines or the net")
        if not self.debit and not self.credit:
            found.append(f"{side}: neither a debit nor a credit; leave the line out")
        if places is not None and any(-x.as_tuple().exponent > places for x in (self.debit, self.credit)):
            found.append(f"{side}: {self.debit or self.credit} has more than {places} decimal places; round it "
                         "to the currency's minor unit")
        return found


def signed_line(account_code: str, amount: Decimal, memo: str = "", payee: str | None = None) -> JournalLine:
    """A line on the side the signed amount says: positive → debit, negative → credit of its opposite."""
    if not amount:
        raise AccountingError(f"account {account_code} ({memo or 'no memo'}): a zero amount posts nothing; leave "
                              "the line out")
    nothing = abs(amount) * 0  # a zero with the amount's places: 0.00
    return JournalLine(account_code, amount if amount > 0 else nothing, -amount if amount < 0 else nothing, memo,
                       payee)


@dataclass(frozen=True)
class JournalEntry:
    entry_id: str
    posted_on: date
    period: str  # the accounting period the entry belongs to
    kind: str  # accrual, settlement, capitalisation, amortisation, clawback, impairment
    description: str
    currency: str
    lines: tuple[JournalLine, ...]

    @property
    def debits(self) -> Decimal:
        return sum((x.debit for x in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((x.credit for x in self.lines), ZERO)

    def movement(self, account_code: str) -> Decimal:
        """What the entry adds to an account's balance, debit-positive."""
        return sum((x.amount for x in self.lines if x.account_code == account_code), ZERO)

    def problems(self, places: int | None = None) -> list[str]:
        """What is wrong with the entry, each message naming the entry and the line; [] when it can be booked."""
        where = f"entry {self.entry_id} ({self.period})"
        found = [f"{where}: {problem}" for line in self.lines for problem in line.problems(places)]
        if not self.lines:
            found.append(f"{where}: has no lines")
        elif not found and self.debits != self.credits:
            found.append(f"{where}: debits {show_amount(self.debits)} ≠ credits {show_amount(self.credits)} "
                         f"(difference {self.debits - self.credits}); every entry must balance")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            found.append(f"{where}: {self.currency!r} is not an ISO 4217 currency code such as USD or EUR")
        return found

    def check(self, places: int | None = None) -> JournalEntry:
        """The entry itself when it can be booked; otherwise an AccountingError listing every problem."""
        found = self.problems(places)
        if found:
            raise AccountingError("; ".join(found))
        return self


def entry(entry_id: str, posted_on: date, period: str, kind: str, description: str, currency: str,
          postings: Iterable[tuple[str, Decimal, str]], payee: str | None, places: int) -> JournalEntry | None:
    """A checked entry from signed postings (account code, amount, memo); zero postings are left out.

    None when nothing is left to post (a period that moved nothing).
    """
    lines = tuple(signed_line(code, amount, memo, payee) for code, amount, memo in postings if amount)
    if not lines:
        return None
    return JournalEntry(entry_id, posted_on, period, kind, description, currency, lines).check(places)


@dataclass(frozen=True)
class TrialBalanceRow:
    currency: str
    account_code: str
    account_name: str
    debits: Decimal
    credits: Decimal

    @property
    def net(self) -> Decimal:
        """The balance, debit-positive: an asset or expense above zero, a liability below."""
        return self.debits - self.credits


def summarise(entries: Iterable[JournalEntry], chart: Chart | None = None) -> list[TrialBalanceRow]:
    """A trial balance: debits, credits and net per currency and account, by currency then account code.

    The debits of all rows of one currency equal their credits when every entry balances.
    """
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for journal_entry in entries:
        for line in journal_entry.lines:
            row = totals.setdefault((journal_entry.currency, line.account_code), [ZERO, ZERO])
            row[0] += line.debit
            row[1] += line.credit
    chart = chart or Chart()
    return [TrialBalanceRow(currency, code, chart.name_of(code), debits, credits)
            for (currency, code), (debits, credits) in sorted(totals.items())]
