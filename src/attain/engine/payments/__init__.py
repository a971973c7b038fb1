"""Payments: from earnings to what is paid — draws, balances owed and their recovery, rounding once.

Framework-free like the rest of the engine; the application stores the lines, approves and exports them.
"""

from attain.engine.payments.draws import Draw, DrawSchedule, PaymentTermsError
from attain.engine.payments.ledger import Opening, PaymentLine, PeriodDue, pay_periods

__all__ = ["Draw", "DrawSchedule", "Opening", "PaymentLine", "PaymentTermsError", "PeriodDue", "pay_periods"]
