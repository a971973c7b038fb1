"""Converting amounts into a plan's currency at the latest rate on or before a day."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date
from decimal import Decimal

from attain.apps.core.models import FxRate


class MissingRate(LookupError):
    pass


class Converter:
    def __init__(self, target: str) -> None:
        self.target = target
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
        days, rates = self.rates.get(currency, ([], []))
        at = bisect.bisect_right(days, day) - 1
        if at < 0:
            raise MissingRate(f"there is no {currency} → {self.target} rate on or before {day}: "
                              f"import fx_rates for {currency} up to that day")
        return rates[at]

    def convert(self, amount: Decimal | None, currency: str, day: date) -> Decimal | None:
        return None if amount is None else amount * self.rate(currency, day)
