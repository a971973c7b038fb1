"""Readable differences: a fixed-width table per kind of row, then the exceptions that do not match."""

from __future__ import annotations

from decimal import Decimal

from attain.engine.money import round_money
from attain.engine.scenarios.compare import Difference, exact

HEADERS = {"earning": ("participant", "component", "period"), "credit": ("transaction", "position", "rule")}
TITLES = {"earning": "Earnings", "credit": "Credits"}
NONE = "(none)"


def show(amount: Decimal | None, minor_units: int = 2) -> str:
    """An amount as compared: with the currency's places, or every place it was written with."""
    if amount is None:
        return NONE
    if exact(amount, minor_units):
        return format(amount.normalize(), ",f")
    return f"{round_money(amount, minor_units):,}"


def difference_table(what: str, differences: list[Difference], minor_units: int = 2) -> list[str]:
    header = (*HEADERS[what], "expected", "got", "difference", "")
    rows = [(*d.key, show(d.expected, minor_units), show(d.got, minor_units), show(d.difference, minor_units),
             "" if d.note == "differs" else d.note) for d in differences]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    numeric = {3, 4, 5}

    def line(row: tuple) -> str:
        cells = [str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths,
                                                                                                    strict=True))]
        return "  " + "  ".join(cells).rstrip()

    return [f"{TITLES[what]} that differ (difference = got − expected):", line(header), *map(line, rows)]


def scenario_report(title: str, differences: list[Difference], missing: list[str], unexpected: list[str],
                    minor_units: int = 2) -> str:
    lines = [title]
    for what in HEADERS:
        chosen = [d for d in differences if d.what == what]
        if chosen:
            lines += difference_table(what, chosen, minor_units)
    if missing:
        lines += ["Exceptions expected but not raised:", *(f"  {e}" for e in missing)]
    if unexpected:
        lines += ["Exceptions raised but not expected:", *(f"  {e}" for e in unexpected)]
    return "\n".join(lines)
