"""Filters that show numbers the way the statements and the CLI do."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from attain.engine.money import show_amount, show_percent

register = template.Library()


@register.filter
def amount(value) -> str:
    """12500 → 12,500.00 (rounded half-up to cents; separators)."""
    return "" if value is None else show_amount(Decimal(value))


@register.filter
def quantity(value, unit: str = "") -> str:
    """An amount with its currency, or a count (meetings, deals) without decimals."""
    if value is None:
        return ""
    if unit:
        return f"{show_amount(Decimal(value))} {unit}"
    return f"{Decimal(value).quantize(Decimal(1), ROUND_HALF_UP):,}"


@register.filter
def percent(fraction) -> str:
    """0.6173 → 61.7%"""
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@register.filter
def rate(fraction) -> str:
    """0.04 → 4%, 0.075 → 7.5% (exact)."""
    return show_percent(Decimal(fraction))
