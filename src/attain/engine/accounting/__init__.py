"""Accounting for commissions: journal entries from pay runs, and ASC 340-40 / IFRS 15 capitalisation.

Framework-free like the rest of the engine (import-linter checks it). Amounts posted are Decimal, in
the currency's minor unit, and every entry balances. See docs/accounting.md for the chart, each entry
with worked examples, and the roll-forward.
"""

from attain.engine.accounting.asc606 import (
    Amortisation,
    Cancellation,
    CapitalisationPolicy,
    DeferredCommission,
    Movement,
    capitalise,
    impair,
)
from attain.engine.accounting.asc606_books import RollForward, capitalised_in, deferred_entries, roll_forward
from attain.engine.accounting.chart import Account, AccountingError, Chart
from attain.engine.accounting.journal import (
    JournalEntry,
    JournalLine,
    TrialBalanceRow,
    signed_line,
    summarise,
)
from attain.engine.accounting.payroll import payment_entries

__all__ = [
    "Account", "AccountingError", "Amortisation", "Cancellation", "CapitalisationPolicy", "Chart",
    "DeferredCommission", "JournalEntry", "JournalLine", "Movement", "RollForward", "TrialBalanceRow",
    "capitalise", "capitalised_in", "deferred_entries", "impair", "payment_entries", "roll_forward",
    "signed_line", "summarise",
]
