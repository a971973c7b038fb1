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
    ScheduledMonth,
    capitalise,
    impair,
    impair_together,
    remaining_on,
    scheduled_month,
    share_clawback,
)
from attain.engine.accounting.asc606_books import (
    RollForward,
    amortisation_entry,
    capitalised_in,
    deferred_entries,
    net_capitalised,
    roll_forward,
    roll_forward_of,
)
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
    "DeferredCommission", "JournalEntry", "JournalLine", "Movement", "RollForward", "ScheduledMonth",
    "TrialBalanceRow", "amortisation_entry", "capitalise", "capitalised_in", "deferred_entries", "impair",
    "impair_together", "net_capitalised", "payment_entries", "remaining_on", "roll_forward", "roll_forward_of",
    "scheduled_month", "share_clawback", "signed_line", "summarise",
]
