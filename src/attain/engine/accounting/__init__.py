"""Accounting for commissions: journal entries from pay runs, and ASC 340-40 / IFRS 15 capitalisation.

Framework-free like the rest of the engine (import-linter checks it). Amounts posted are Decimal, in
the currency's minor unit, and every entry balances. See docs/accounting.md for the chart, each entry
with worked examples, and the roll-forward.
"""

from attain.engine.accounting.chart import Account, AccountingError, Chart
from attain.engine.accounting.journal import (
    JournalEntry,
    JournalLine,
    TrialBalanceRow,
    signed_line,
    summarise,
)
from attain.engine.accounting.payroll import payment_entries

__all__ = ["Account", "AccountingError", "Chart", "JournalEntry", "JournalLine", "TrialBalanceRow", "payment_entries",
           "signed_line", "summarise"]
