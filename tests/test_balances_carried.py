"""Balances carry over into the next fiscal year, and a recovery limit caps what is recovered a month.

A credit note in December (FY2026) makes the month negative: 3,000 is owed. January (FY2027) starts
from that balance; with a limit of 1,000 a month it is recovered over three months.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.payments.models import Payment, RecoveryLimit
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D, N = date, Decimal


@pytest.fixture
def owes_at_year_end():
    """E-1 on FLAT (10%): 30,000 booked in November (paid 3,000), all credited back in December: December earns
    −3,000, which is owed. In 2027: 1,500 booked in January, 25,000 in February, 40,000 in March."""
    person = f.seated("FLAT", FLAT, 12000)
    generate_periods(default_calendar(), 2027)
    seat, usd = f.position("AE-1"), f.usd()
    for external_id, amount in (("T-1", 20000), ("T-2", 10000)):
        sale = Transaction.objects.create(external_id=external_id, booked_date=D(2026, 11, 10), account=f.account(
            external_id), amount=N(amount), currency=usd, owner_position=seat)
        Transaction.objects.create(external_id=f"{external_id}-CN", booked_date=D(2026, 12, 5), account=sale.account,
                                   amount=-N(amount), currency=usd, owner_position=seat, original=sale)
    for month, amount in ((1, 1500), (2, 25000), (3, 40000)):
        Transaction.objects.create(external_id=f"T-27-{month}", booked_date=D(2027, month, 15),
                                   account=f.account(f"A-27-{month}"), amount=N(amount), currency=usd,
                                   owner_position=seat)
    return person


def paid(year: int, months) -> list[tuple[str, Decimal, Decimal]]:
    for month in months:
        f.calculate_and_pay(f"FY{year}-M{month:02d}")
    found = Payment.objects.filter(period__fiscal_year=year).select_related("period").order_by("period__start_date")
    return [(p.period.name, p.paid, p.owed) for p in found if p.period.name in {f"FY{year}-M{m:02d}" for m in months}]


def test_what_is_owed_at_year_end_is_recovered_in_the_next_year_within_the_monthly_limit(owes_at_year_end):
    RecoveryLimit.objects.create(participant=None, amount=N(1000), currency_id="USD")
    assert paid(2026, range(1, 13))[-2:] == [("FY2026-M11", N("3000.00"), 0), ("FY2026-M12", N("0.00"), 3000)]
    # January 2027: 150 earned, all of it recovered (left 2,850); February: 2,500 earned, 1,000 recovered (the limit)
    # → 1,500 paid; March: 4,000 earned, 1,000 recovered → 3,000 paid, 850 still owed
    assert paid(2027, range(1, 4)) == [("FY2027-M01", N("0.00"), 2850), ("FY2027-M02", N("1500.00"), 1850),
                                       ("FY2027-M03", N("3000.00"), 850)]
    january = Payment.objects.get(period__name="FY2027-M01")
    assert january.explanation.startswith("brought forward: 3,000.00 owed; earned 150.00; recovers 150.00 owed")
    february = Payment.objects.get(period__name="FY2027-M02").explanation
    assert "recovers 1,000.00 owed, at most 1,000.00 a period (left 1,850.00)" in february


def test_a_participants_own_limit_comes_before_the_default(owes_at_year_end):
    RecoveryLimit.objects.create(participant=None, amount=N(1000), currency_id="USD")
    RecoveryLimit.objects.create(participant=owes_at_year_end, amount=N(2000), currency_id="USD")
    paid(2026, range(1, 13))
    assert paid(2027, range(1, 3)) == [("FY2027-M01", N("0.00"), 2850), ("FY2027-M02", N("500.00"), 850)]


def test_without_a_limit_the_whole_balance_is_recovered_at_once(owes_at_year_end):
    paid(2026, range(1, 13))
    assert paid(2027, range(1, 3)) == [("FY2027-M01", N("0.00"), 2850), ("FY2027-M02", N("0.00"), 350)]


def test_a_limit_is_in_the_payees_currency(owes_at_year_end):
    from attain.apps.core.models import Currency

    Currency.objects.create(code="EUR", name="Euro")
    with pytest.raises(ValidationError, match="is paid in USD: give the limit in the payee's currency"):
        RecoveryLimit(participant=owes_at_year_end, amount=N(500), currency_id="EUR").full_clean()
