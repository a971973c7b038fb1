"""Filters of the workspace's data pages: a run's duration and progress, and changes shown with their sign."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from attain.apps.workspace.runs_months import duration, percent_done
from attain.engine.money import show_amount

register = template.Library()
MINUS = "\u2212"


@register.filter
def run_duration(run) -> str:
    return duration(run)


@register.filter
def run_percent(run) -> int:
    return percent_done(run)


@register.filter
def signed_amount(value) -> str:
    """−1000 → −1,000.00, 1500 → +1,500.00, 0 → 0.00 (a change: its sign always shown)."""
    if value is None:
        return ""
    return _signed(show_amount(Decimal(value)))


@register.filter
def signed_percent(fraction) -> str:
    """−0.0714 → −7.1%, 0.5 → +50.0% (a change as a fraction of what it was)."""
    if fraction is None:
        return ""
    return _signed(f"{(Decimal(fraction) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%")


@register.filter
def signed_count(value) -> str:
    return "" if value is None else _signed(str(value))


def _signed(shown: str) -> str:
    bare = shown.removeprefix("-")
    if bare.strip("0.,%") == "":
        return bare  # no change: no sign
    return (MINUS if shown.startswith("-") else "+") + bare
