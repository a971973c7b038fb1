"""Crediting: transactions, activities and opportunities → credits (who gets credit for what, as of when).

Relational steps are Ibis expressions, so the same code runs on the embedded DuckDB backend and,
later, on Spark. `credit_transactions(inputs, rules)` is the entry point; `uncredited_activities`
reports what activity rules could not credit.
"""

from attain.engine.crediting.activities import uncredited_activities
from attain.engine.crediting.engine import credit_transactions
from attain.engine.crediting.inputs import CreditingError, CreditingInputs
from attain.engine.crediting.rules import CREDIT_TYPES, TIMING, CreditRule

__all__ = ["CREDIT_TYPES", "TIMING", "CreditRule", "CreditingError", "CreditingInputs", "credit_transactions",
           "uncredited_activities"]
