"""Calendar services: the default fiscal calendar and its periods."""

from __future__ import annotations

from django.db import transaction

from attain.apps.core.models import Currency, FiscalCalendar, Period
from attain.engine.periods import fiscal_periods


def find_default_calendar() -> FiscalCalendar | None:
    """The calendar marked default, or the only calendar there is."""
    calendar = FiscalCalendar.objects.filter(is_default=True).first()
    if calendar is None and FiscalCalendar.objects.count() == 1:
        calendar = FiscalCalendar.objects.get()
    return calendar


def default_calendar() -> FiscalCalendar:
    """The company's fiscal calendar (created with a January start if there is none)."""
    calendar = find_default_calendar()
    if calendar is None:
        calendar = FiscalCalendar.objects.create(name="Fiscal calendar", start_month=1, is_default=True)
    return calendar


@transaction.atomic
def generate_periods(calendar: FiscalCalendar, fiscal_year: int) -> list[Period]:
    """Create the year, its quarters and months (idempotent: existing periods are kept as they are)."""
    created: dict[tuple[str, int], Period] = {}
    for span in fiscal_periods(fiscal_year, calendar.start_month):
        if span.kind == "year":
            parent = None
        elif span.kind == "quarter":
            parent = created[("year", 1)]
        else:
            parent = created[("quarter", (span.number - 1) // 3 + 1)]
        period, _ = Period.objects.get_or_create(
            calendar=calendar, kind=span.kind, fiscal_year=fiscal_year, number=span.number,
            defaults={"name": span.name, "start_date": span.start, "end_date": span.end, "parent": parent},
        )
        created[(span.kind, span.number)] = period
    return list(created.values())


def currency_rounding(code: str) -> tuple[int, str]:
    """The currency's minor units and rounding mode (2 and half-up for an unknown currency)."""
    currency = Currency.objects.filter(code=code).first()
    return (currency.minor_units, currency.rounding) if currency else (2, "half_up")
