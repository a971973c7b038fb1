"""`scheduled_month` is the schedule `capitalise` makes, one month at a time: same amounts, same places,
same position in the schedule, and the same amortisation entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.accounting import (
    CapitalisationPolicy,
    ScheduledMonth,
    amortisation_entry,
    capitalise,
    deferred_entries,
    scheduled_month,
)
from attain.engine.periods import add_months

NO_EXPEDIENT = CapitalisationPolicy(practical_expedient=False)


@given(st.decimals(min_value=Decimal(1), max_value=Decimal(900000), places=2), st.integers(1, 60),
       st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(-70, 6), st.sampled_from([0, 2, 3]))
def test_each_month_is_the_schedules_month(commission, term, start, late, places):
    made = capitalise("C-1", "P-1", commission, "USD", start, term, NO_EXPEDIENT,
                      incurred_on=add_months(start, late), rounding=(places, "half_up"))
    schedule = {x.month: (i, x) for i, x in enumerate(made.schedule)}
    for shift in range(-3, term + 4):
        month = add_months(start.replace(day=1), shift)
        found = scheduled_month(made.commission, made.contract_start, made.benefit_months, made.incurred_on,
                                month, places)
        if month not in schedule:
            assert found is None
            continue
        index, expected = schedule[month]
        assert found == ScheduledMonth(month, expected.amount, index, len(made.schedule))
        assert str(found.amount) == str(expected.amount)


def test_the_entry_of_a_scheduled_month_is_the_schedules_entry():
    made = capitalise("C-1", "P-1", Decimal(1000), "USD", date(2026, 1, 1), 14, NO_EXPEDIENT,
                      incurred_on=date(2026, 3, 31))
    for entry in deferred_entries(made, include_accruals=False):
        step = scheduled_month(made.commission, made.contract_start, made.benefit_months, made.incurred_on,
                               entry.posted_on, 2)
        assert amortisation_entry(replace(made, schedule=()), step) == entry
