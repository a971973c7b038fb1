"""Which deals a month's earning was paid on: an amount shared among the credits that made it.

A component's earning for a month is attributed to the credits its measure counted in that month,
pro rata to their values: share = amount × value ÷ Σ values, exact to 10 decimal places, and the
difference those places leave goes to the largest credit, so the shares add up to the amount exactly.
A per-transaction component at a flat rate is attributed exactly as it was earned; a year-to-date
true-up is attributed to the month's own credits. Without credits, or when they add up to zero, the
earning stays unattributed (an empty list): nothing to share it by.

Accounting reads these shares: commissions on contracts longer than a year are capitalised (ASC 340-40),
and a cancelled contract's share is what a clawback takes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

PLACES = Decimal("1e-10")


def attribute(amount: Decimal, credits: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """[(deal id, share)] of `amount` by the credits' values; the shares add up to `amount` exactly."""
    total = sum((value for _, value in credits), Decimal(0))
    if not credits or not total:
        return []
    with localcontext() as context:
        context.prec = 60
        shares = [(deal, (amount * value / total).quantize(PLACES, ROUND_HALF_UP)) for deal, value in credits]
    largest = max(range(len(credits)), key=lambda i: (abs(credits[i][1]), -i))
    rest = amount - sum((share for _, share in shares), Decimal(0))
    deal, share = shares[largest]
    shares[largest] = (deal, share + rest)
    return shares
