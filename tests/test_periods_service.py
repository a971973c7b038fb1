from datetime import date

import pytest

from attain.apps.core.models import FiscalCalendar, Period
from attain.apps.core.services import default_calendar, generate_periods

pytestmark = pytest.mark.django_db


def test_generate_a_february_fiscal_year_with_its_tree():
    calendar = FiscalCalendar.objects.create(name="Feb", start_month=2)
    periods = generate_periods(calendar, 2027)
    assert len(periods) == 17
    march = Period.objects.get(calendar=calendar, name="FY2027-M02")
    assert (march.start_date, march.end_date, march.parent.name, march.parent.parent.name) == (
        date(2026, 3, 1), date(2026, 3, 31), "FY2027-Q1", "FY2027")
    assert march.state == "open"


def test_generating_twice_keeps_existing_periods_and_their_state():
    calendar = default_calendar()
    generate_periods(calendar, 2026)
    Period.objects.filter(name="FY2026-M01").update(state="closed")
    generate_periods(calendar, 2026)
    assert Period.objects.count() == 17
    assert Period.objects.get(name="FY2026-M01").state == "closed"
    assert default_calendar() == calendar
