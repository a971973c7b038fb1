"""Tier methods on half-open tiers: `marginal` and `whole_amount` (the curve is in curve.py).

A tier is a `Band` with exactly one of `rate` (× base) or `amount` (fixed). Bounds are in the
table's basis; `factor` turns them into amount terms (the quota for attainment tables, 1 for amount
tables), so the base is always split in amount terms and no division is needed to find a tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from attain.engine.rates.bands import Band, find_band
from attain.engine.rates.explain import PayoutLine
from attain.engine.rates.numbers import show_amount, show_bound, show_percent

Tier = Band


def scaled(bound: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if bound is None else bound * factor


def tier_label(tier: Tier, basis: str, first: bool) -> str:
    """'0–50% of quota', '50–100%', 'above 100%', 'below 0.00' (plain language, DOMAIN style)."""
    lo, hi = tier.lower, tier.upper
    if lo is None and hi is None:
        text = "all values"
    elif lo is None:
        text = f"below {show_bound(hi, basis)}"
    elif hi is None:
        text = f"above {show_bound(lo, basis)}"
    elif basis == "attainment":
        text = f"{show_bound(lo, basis)[:-1]}–{show_bound(hi, basis)}"
    else:
        text = f"{show_bound(lo, basis)}–{show_bound(hi, basis)}"
    return f"{text} of quota" if first and basis == "attainment" else text


def _overlap(tier: Tier, factor: Decimal, seg_lo: Decimal, seg_hi: Decimal) -> Decimal:
    lo, hi = scaled(tier.lower, factor), scaled(tier.upper, factor)
    top = seg_hi if hi is None else min(hi, seg_hi)
    bottom = seg_lo if lo is None else max(lo, seg_lo)
    return max(top - bottom, Decimal(0))


def _holds(tier: Tier, factor: Decimal, base: Decimal) -> bool:
    return Band(scaled(tier.lower, factor), scaled(tier.upper, factor), {}).contains(base)


def _line(i: int, tier: Tier, factor: Decimal, basis: str, portion: Decimal, first: bool, whole: bool) -> PayoutLine:
    rate, fixed = tier.values.get("rate"), tier.values.get("amount")

    def text() -> str:
        label = tier_label(tier, basis, first)
        if rate is not None:
            reached = "whole amount, tier reached: " if whole else ""
            return f"{show_amount(portion)} at {show_percent(rate)} ({reached}{label})"
        return f"{show_amount(fixed)} fixed ({label} reached)"

    amount = rate * portion if rate is not None else fixed
    return PayoutLine(i, tier.lower, tier.upper, scaled(tier.lower, factor), scaled(tier.upper, factor),
                      portion, rate, fixed, amount, text)


def marginal_lines(tiers: Sequence[Tier], factor: Decimal, basis: str, base: Decimal,
                   floor: Decimal | None = None) -> list[PayoutLine]:
    """Each tier's rate on the part of the segment from 0 (or `floor`) to the base inside the tier.

    For a base below the start (tables from −∞) the portions are negative: the earnings are the
    integral of the rate from 0 to the base. A fixed-amount tier pays when the segment reaches it.
    """
    start = Decimal(0) if floor is None else floor
    sign = Decimal(1) if base >= start else Decimal(-1)
    seg_lo, seg_hi = min(start, base), max(start, base)
    lines: list[PayoutLine] = []
    for i, tier in enumerate(tiers):
        if tier.lower is not None and tier.lower * factor > seg_hi:
            break  # tiers are sorted (validated): this one and the rest lie above the segment
        overlap = _overlap(tier, factor, seg_lo, seg_hi)
        if overlap > 0 or ("amount" in tier.values and _holds(tier, factor, base)):
            lines.append(_line(i, tier, factor, basis, sign * overlap, not lines, whole=False))
    return lines


def whole_amount_lines(tiers: Sequence[Tier], factor: Decimal, basis: str, base: Decimal,
                       floor: Decimal | None = None) -> list[PayoutLine]:
    """The rate of the tier holding the base on the whole base (above `floor`, when given)."""
    amounts = [Band(scaled(t.lower, factor), scaled(t.upper, factor), {}) for t in tiers]
    i = find_band(amounts, base)
    if i is None:
        return []
    portion = base if floor is None else base - floor
    return [_line(i, tiers[i], factor, basis, portion, True, whole=True)]
