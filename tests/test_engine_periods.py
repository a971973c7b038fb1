from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.money import round_money
from attain.engine.periods import days_inclusive, fiscal_periods, fiscal_year_of, proration_factor


def test_calendar_year_periods():
    periods = fiscal_periods(2026, 1)
    year, q1, m1, m12 = periods[0], periods[1], periods[5], periods[16]
    assert (year.name, year.start, year.end, year.days) == ("FY2026", date(2026, 1, 1), date(2026, 12, 31), 365)
    assert (q1.name, q1.start, q1.end) == ("FY2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
    assert (m1.name, m12.name, m12.end) == ("FY2026-M01", "FY2026-M12", date(2026, 12, 31))
    assert len(periods) == 17


def test_february_start_is_named_after_the_year_it_ends():
    periods = fiscal_periods(2027, 2)
    assert periods[0].start == date(2026, 2, 1) and periods[0].end == date(2027, 1, 31)
    assert periods[-1].start == date(2027, 1, 1)  # M12 is January 2027
    assert fiscal_year_of(date(2026, 2, 1), 2) == 2027
    assert fiscal_year_of(date(2026, 1, 31), 2) == 2026


@given(st.integers(2000, 2100), st.integers(1, 12))
def test_months_tile_the_year_without_gaps(fy, start_month):
    periods = fiscal_periods(fy, start_month)
    months = [p for p in periods if p.kind == "month"]
    assert sum(m.days for m in months) == periods[0].days
    assert all(a.end.toordinal() + 1 == b.start.toordinal() for a, b in zip(months, months[1:], strict=False))
    assert all(fiscal_year_of(m.start, start_month) == fy for m in months)


def test_e6_proration_by_calendar_days_counting_both_ends():
    assert days_inclusive(date(2026, 1, 15), date(2026, 1, 31)) == 17
    factor = proration_factor(date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 16), None)
    assert factor == Decimal(260) / Decimal(365)
    assert round_money(Decimal(720_000) * factor) == Decimal("512876.71")
    assert round_money(Decimal(60_000) * factor) == Decimal("42739.73")
    april = proration_factor(date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 16), None)
    assert Decimal(60_000) * april == Decimal(30_000)


def test_terminated_before_the_period_prorates_to_zero():
    assert proration_factor(date(2026, 5, 1), date(2026, 5, 31), date(2025, 1, 1), date(2026, 4, 30)) == 0


def test_whole_months_between_count_only_completed_months():
    from attain.engine.periods import whole_months_between
    assert whole_months_between(date(2026, 3, 10), date(2026, 6, 20)) == 3
    assert whole_months_between(date(2026, 3, 10), date(2026, 6, 9)) == 2
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert whole_months_between(date(2026, 6, 1), date(2026, 5, 1)) == 0
