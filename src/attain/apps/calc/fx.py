"""Converting amounts into a plan's currency at the latest rate on or before a day."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date
from decimal import Decimal

from attain.apps.core.models import FxRate, Period

BASES = ("transaction_date", "period_average")
PLACES = Decimal("1e-10")


class MissingRate(LookupError):
    pass


class Converter:
    """Amounts into `target` at the latest rate on or before a day, or (`period_average`) at the average of
    the rates dated in the fiscal month holding the day — `months`, (first day, last day) pairs — to 10
    decimal places; a month without rates uses the latest rate on or before its last day."""

    def __init__(self, target: str, basis: str = "transaction_date",
                 months: list[tuple[date, date]] | None = None) -> None:
        if basis not in BASES:
            raise ValueError(f"unknown rate basis {basis!r}: use one of {', '.join(BASES)}")
        self.target, self.basis, self.months = target, basis, sorted(months or [])
        self._averages: dict[tuple[str, date], Decimal] = {}
        self.rates: dict[str, tuple[list[date], list[Decimal]]] = {}
        by_currency: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for source, day, rate in FxRate.objects.filter(to_currency=target).values_list(
                "from_currency", "rate_date", "rate").order_by("rate_date"):
            by_currency[source].append((day, rate))
        for source, rows in by_currency.items():
            self.rates[source] = ([d for d, _ in rows], [r for _, r in rows])

    def rate(self, currency: str, day: date) -> Decimal:
        if currency == self.target:
            return Decimal(1)
        if self.basis == "period_average":
            return self._average(currency, day)
        return self._latest(currency, day)

    def _average(self, currency: str, day: date) -> Decimal:
        at = bisect.bisect_right(self.months, (day, date.max)) - 1
        if at < 0 or day > self.months[at][1]:
            raise MissingRate(f"{day} is outside the fiscal months: generate the periods of its fiscal year")
        start, end = self.months[at]
        if (currency, start) not in self._averages:
            days, rates = self.rates.get(currency, ([], []))
            chosen = rates[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]
            self._averages[(currency, start)] = (sum(chosen, Decimal(0)) / len(chosen)).quantize(PLACES) if chosen \
                else self._latest(currency, end)
        return self._averages[(currency, start)]

    def _latest(self, currency: str, day: date) -> Decimal:
        days, rates = self.rates.get(currency, ([], []))
        at = bisect.bisect_right(days, day) - 1
        if at < 0:
            raise MissingRate(f"there is no {currency} → {self.target} rate on or before {day}: "
                              f"import fx_rates for {currency} up to that day")
        return rates[at]

    def convert(self, amount: Decimal | None, currency: str, day: date) -> Decimal | None:
        return None if amount is None else amount * self.rate(currency, day)


def plan_converter(currency: str, basis: str = "transaction_date") -> Converter:
    """The converter into a plan's currency on the plan's rate basis (the default calendar's months)."""
    months = Period.objects.filter(kind=Period.Kind.MONTH, calendar__is_default=True)
    if not months.exists():
        months = Period.objects.filter(kind=Period.Kind.MONTH)
    return Converter(currency, basis, list(months.values_list("start_date", "end_date")))
