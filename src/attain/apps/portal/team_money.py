"""A team's earnings against its budget, month by month through the fiscal year.

- **Earnings** of a month are the earning lines (prior-period adjustments included) of the month's
  latest successful calculation run, precise, added up and rounded once for display. A team's earnings
  are those of its positions (credit and budgets follow seats, not people: a seat's earnings count for
  the team whoever held it in the month); a member's earnings year to date are their own, on every seat
  they held.
- **Budget** is the target incentive of the plan assignments of the team's positions, prorated by days:
  an assignment's annual target × the days it is valid in the span ÷ the days of the fiscal year (both
  ends counted, as the calculation prorates targets). The budget to date covers the fiscal year's first
  day to the chosen month's last; the year's budget the whole fiscal year. A target agreed in another
  currency than the plan's is converted into the plan's currency as the calculation does, at the rate of
  the day it starts to count in the year (the latest rate on or before it). Earnings and budget are
  compared in the plan's currency, the currency earnings are calculated in; with plans in several
  currencies each currency is shown on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from attain.apps.calc.fx import MissingRate
from attain.apps.core.models import Currency, FxRate, Period
from attain.apps.plans.models import PlanAssignment
from attain.engine.money import round_money

ZERO = Decimal(0)


class Rates:
    """Rates into `target`: the latest on or before a day, as `calc.fx.Converter` reads them, but one indexed query
    per currency and day asked (a page asks for a few), not the whole rate history."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._found: dict[tuple[str, date], Decimal] = {}

    def convert(self, amount: Decimal, currency: str, day: date) -> Decimal:
        if currency == self.target:
            return amount
        if (currency, day) not in self._found:
            rate = (FxRate.objects.filter(from_currency=currency, to_currency=self.target, rate_date__lte=day)
                    .order_by("-rate_date").values_list("rate", flat=True).first())
            if rate is None:
                raise MissingRate(f"there is no {currency} → {self.target} rate on or before {day}: "
                                  f"import fx_rates for {currency} up to that day")
            self._found[(currency, day)] = rate
        return amount * self._found[(currency, day)]


def rates_into(converters: dict[str, Rates], currency: str) -> Rates:
    if currency not in converters:
        converters[currency] = Rates(currency)
    return converters[currency]


def overlap_days(start: date, end: date | None, first: date, last: date) -> int:
    """Days from `first` to `last` (inclusive) on which a record valid `start`–`end` (inclusive) counts."""
    begin, finish = max(start, first), min(end or last, last)
    return max((finish - begin).days + 1, 0)


@dataclass
class MonthFigures:
    month: Period
    calculated: bool
    earned: dict[str, Decimal] = field(default_factory=dict)  # currency → precise
    budget: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Budget:
    """Earnings and budget per currency: to date, and the budget of the whole year."""

    currencies: list[str]
    earned: dict[str, Decimal]  # to date, rounded
    budget_to_date: dict[str, Decimal]  # rounded
    budget_year: dict[str, Decimal]  # rounded
    months: list[MonthFigures]
    problems: list[str]

    def rows(self) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal | None]]:
        """(currency, earned, budget to date, budget of the year, earned ÷ budget to date)."""
        return [(c, self.earned.get(c, ZERO), self.budget_to_date.get(c, ZERO), self.budget_year.get(c, ZERO),
                 self.earned.get(c, ZERO) / self.budget_to_date[c] if self.budget_to_date.get(c) else None)
                for c in self.currencies]


def budget_of(positions: set[int], months: list[Period], year: Period, team_earned: dict[tuple[int, str], Decimal],
              rounding: dict[str, tuple[int, str]], converters: dict[str, Rates], calculated: set[int]) -> Budget:
    """The team's budget and earnings for `months` (the fiscal year's, to the chosen one, in order);
    `team_earned` is (month id, currency) → the team positions' precise earnings; `converters` (currency →
    Rates into it) is shared with the page's other conversions; `calculated` the ids of the months with a
    successful run (the others earn nothing yet)."""
    figures = [MonthFigures(m, m.pk in calculated) for m in months]
    for (month_id, currency), amount in team_earned.items():
        for figure in figures:
            if figure.month.pk == month_id:
                figure.earned[currency] = figure.earned.get(currency, ZERO) + amount
    year_days = (year.end_date - year.start_date).days + 1
    year_budget: dict[str, Decimal] = defaultdict(Decimal)
    problems: list[str] = []
    assignments = (PlanAssignment.objects.filter(position_id__in=positions, valid_from__lte=year.end_date)
                   .exclude(valid_to__lt=year.start_date)
                   .values_list("target_incentive", "currency_id", "valid_from", "valid_to", "plan__currency_id",
                                "position__code"))
    for target, currency, start, end, plan_currency, code in assignments:
        if currency != plan_currency:
            converter = rates_into(converters, plan_currency)
            try:
                target = converter.convert(target, currency, max(start, year.start_date))
            except MissingRate as missing:
                problems.append(f"{code}'s target is left out of the budget: {missing}")
                continue
        year_budget[plan_currency] += target * overlap_days(start, end, year.start_date, year.end_date) / year_days
        for figure in figures:
            days = overlap_days(start, end, figure.month.start_date, figure.month.end_date)
            if days:
                figure.budget[plan_currency] = figure.budget.get(plan_currency, ZERO) + target * days / year_days
    currencies = sorted(set(year_budget) | {c for f in figures for c in f.earned})

    def rounded(currency: str, amount: Decimal) -> Decimal:
        return round_money(amount, *rounding.get(currency, (2, "half_up")))

    earned = {c: rounded(c, sum((f.earned.get(c, ZERO) for f in figures), ZERO)) for c in currencies}
    to_date = {c: rounded(c, sum((f.budget.get(c, ZERO) for f in figures), ZERO)) for c in currencies}
    return Budget(currencies, earned, to_date, {c: rounded(c, year_budget.get(c, ZERO)) for c in currencies},
                  figures, problems)


def rounding_of_currencies() -> dict[str, tuple[int, str]]:
    return {c.code: (c.minor_units, c.rounding) for c in Currency.objects.all()}
