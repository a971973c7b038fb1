"""Fiscal calendars: fiscal years that start in any month, and their months and quarters.

A fiscal year is named after the calendar year in which it ends, which is how most companies
name them: with a February start, FY2027 runs from 1 February 2026 to 31 January 2027; with a
January start, FY2026 is the calendar year 2026.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class PeriodSpan:
    """One period of a fiscal calendar."""

    kind: str  # "year", "quarter" or "month"
    fiscal_year: int
    number: int  # 1 for the year, 1–4 for quarters, 1–12 for months
    start: date
    end: date  # inclusive

    @property
    def name(self) -> str:
        if self.kind == "year":
            return f"FY{self.fiscal_year}"
        if self.kind == "quarter":
            return f"FY{self.fiscal_year}-Q{self.number}"
        return f"FY{self.fiscal_year}-M{self.number:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_start(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def _month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def fiscal_year_start(fiscal_year: int, start_month: int) -> date:
    """First day of a fiscal year."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"fiscal-year start month must be 1–12, not {start_month}")
    return date(fiscal_year if start_month == 1 else fiscal_year - 1, start_month, 1)


def fiscal_year_of(day: date, start_month: int) -> int:
    """The fiscal year that contains a day."""
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_periods(fiscal_year: int, start_month: int) -> list[PeriodSpan]:
    """The year, its four quarters and twelve months, in that order."""
    first = fiscal_year_start(fiscal_year, start_month)
    months = []
    for i in range(12):
        start = _month_start(first.year, first.month + i)
        months.append(PeriodSpan("month", fiscal_year, i + 1, start, _month_end(start)))
    quarters = [
        PeriodSpan("quarter", fiscal_year, q + 1, months[3 * q].start, months[3 * q + 2].end) for q in range(4)
    ]
    year = PeriodSpan("year", fiscal_year, 1, months[0].start, months[-1].end)
    return [year, *quarters, *months]


def days_inclusive(start: date, end: date) -> int:
    """Calendar days from start to end, counting both ends (15–31 January is 17 days)."""
    if end < start:
        return 0
    return (end - start).days + 1


def days_held(start: date, end: date, spells) -> int:
    """Days of `start`–`end` inside the (since, until) spells (until None: open), both ends counted."""
    return sum(days_inclusive(max(start, since), min(end, until or end)) for since, until in spells)


def without(spells, away) -> list[tuple[date, date | None]]:
    """The (since, until) spells with the days of the `away` (start, end) spans taken out, both ends counted.

    A leave of absence from 1 to 31 March cuts a spell held all year in two: to 28 February and from
    1 April. The spells keep their order; a spell wholly away disappears.
    """
    kept = []
    for spell in spells:
        pieces = [spell]
        for first, last in away:
            pieces = [part for piece in pieces for part in _cut(piece, first, last)]
        kept += pieces
    return kept


def overlap(spells, spans) -> list[tuple[date, date | None]]:
    """The days both in `spells` and in `spans` (each a list of (since, until) with until None: open), in order.

    A position held from 1 January and on a plan until 15 April overlaps it from 1 January to 15 April.
    """
    kept = []
    for since, until in spells:
        for first, last in spans:
            start, end = max(since, first), _earlier(until, last)
            if end is None or start <= end:
                kept.append((start, end))
    return sorted(kept, key=lambda span: span[0])


def _earlier(one: date | None, other: date | None) -> date | None:
    """The earlier of two ends, None meaning open."""
    if one is None or other is None:
        return other if one is None else one
    return min(one, other)


def _cut(spell: tuple[date, date | None], first: date, last: date) -> list[tuple[date, date | None]]:
    since, until = spell
    if last < since or (until is not None and first > until):
        return [spell]
    day = timedelta(days=1)
    before = [(since, first - day)] if first > since else []
    after = [(last + day, until)] if until is None or last < until else []
    return before + after


def active_days(start: date, end: date, active_from: date | None, active_to: date | None, away=()) -> int:
    """Days of `start`–`end` from `active_from` to `active_to` (None: open), less the days `away`.

    Hired on 16 April, April has 15 active days; with a leave from 20 to 24 April, 10.
    """
    return days_held(start, end, without([(active_from or start, active_to)], away))


def proration_factor(period_start: date, period_end: date, active_from: date | None, active_to: date | None) -> Decimal:
    """Share of a period during which someone was active, by calendar days with both ends counted."""
    start = max(period_start, active_from or period_start)
    end = min(period_end, active_to or period_end)
    return Decimal(days_inclusive(start, end)) / Decimal(days_inclusive(period_start, period_end))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has no such day (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (10 Mar → 20 Jun: 3; 10 Mar → 9 Jun: 2); 0 when end is before."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)
