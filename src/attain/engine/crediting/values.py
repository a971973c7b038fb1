"""Credit values that need a division, computed exactly: annual contract value and equal parts of a pool.

SQL engines divide decimals in binary floating point, so both use the exact decimal division of the
expression language (`expressions.decimals.divide`: the quotient rounded half-up at the 10th decimal
place, proven by exact remainders). Where parts must add up (a pool), the first part takes what the
rounding left over, so the parts add up to the whole exactly.
"""

from __future__ import annotations

from decimal import Decimal

import ibis

from attain.engine.crediting.inputs import VALUE
from attain.engine.expressions.decimals import add, divide, literal, multiply

YEAR = 12  # months


def term_months(start: ibis.Expr, end: ibis.Expr) -> ibis.Expr:
    """Whole months from `start` to the day after `end` (both ends counted), like calendar anniversaries:
    1 January – 31 December is 12 months; 15 January – 14 January a year later is 12; a month from 31 January
    is reached on the last day of February. Null when a date is missing."""
    after = end + ibis.interval(days=1)
    months = (after.year() - start.year()) * 12 + (after.month() - start.month())
    last_day = (after.truncate("M") + ibis.interval(months=1) - ibis.interval(days=1)).day()
    short = after.day() < ibis.least(start.day(), last_day)
    return months - ibis.ifelse(short, 1, 0)


def annual_value(amount: ibis.Expr, start: ibis.Expr, end: ibis.Expr) -> ibis.Expr:
    """ACV: amount × 12 ÷ term months for contracts longer than 12 months; otherwise (or without both contract
    dates) the amount itself. Rounded half-up at the 10th decimal place."""
    months = term_months(start, end)
    longer = months.notnull() & (months > YEAR)
    whole_months = ibis.ifelse(longer, months, YEAR).cast("decimal(10,0)")  # never 0: no division by zero
    per_year = divide(multiply(amount, literal(Decimal(YEAR))), whole_months, share=True).cast(VALUE)  # months is large
    return ibis.ifelse(longer, per_year, amount.cast(VALUE))


def equal_part(value: ibis.Expr, parts: ibis.Expr, first: ibis.Expr) -> ibis.Expr:
    """One of `parts` equal parts of `value`; the `first` part also takes the rounding remainder, so the parts
    add up to `value` exactly (100 in 3: 33.3333333334, 33.3333333333, 33.3333333333)."""
    count = parts.cast("decimal(19,0)")
    part = divide(value, count)
    remainder = add(value, multiply(part, count), subtract=True)
    return ibis.ifelse(first, add(part, remainder), part.cast(VALUE)).cast(VALUE)
