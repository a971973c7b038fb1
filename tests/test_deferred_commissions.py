"""ASC 340-40 from paid months (DOMAIN E9): a 3-year contract's commission capitalised and amortised, a one-year
contract's expensed, a cancellation clawed back and impaired; the roll-forward ties to the journal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from attain.apps.core.models import Period
from attain.apps.payments.deferred import deferred_commissions
from attain.apps.payments.exports import journal_entries
from attain.apps.sales.models import Transaction
from attain.cli.main import app
from attain.engine.accounting import roll_forward
from tests import factories as f
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = date
DEFERRED, EXPENSE = "1610", "6100"


@pytest.fixture
def contracts():
    f.seated("FLAT", FLAT, 48000)
    seat, account = f.position("AE-1"), f.account()

    def deal(external_id, amount, booked, start=None, end=None, **more):
        return Transaction.objects.create(external_id=external_id, booked_date=booked, account=account,
                                          amount=Decimal(amount), currency_id="USD", owner_position=seat,
                                          contract_start=start, contract_end=end, **more)

    # E9: 36,000 commission (10% of 360,000) on a 3-year contract from 1 January
    deal("C-3Y", 360000, D(2026, 1, 10), D(2026, 1, 1), D(2028, 12, 31))
    deal("C-1Y", 50000, D(2026, 1, 12), D(2026, 1, 1), D(2026, 12, 31))  # 12 months: expensed (expedient)
    deal("NO-CONTRACT", 20000, D(2026, 1, 15))  # no contract dates: expensed
    return deal


def movement(entries, account):
    return sum((line.debit - line.credit for e in entries for line in e.lines if line.account_code == account),
               Decimal(0))


def test_e9_a_three_year_contract_is_capitalised_and_amortised_1000_a_month(contracts):
    for month in ("FY2026-M01", "FY2026-M02", "FY2026-M03"):
        f.calculate_and_pay(month)
    [three_years] = [d for d in deferred_commissions(Period.objects.get(name="FY2026-M03")) if d.capitalised]
    assert (three_years.contract_id, three_years.commission, three_years.benefit_months) == (
        "C-3Y/E-1/FY2026-M01", Decimal("36000.00"), 36)
    january = journal_entries("FY2026-M01")
    assert all(e.problems() == [] for e in january)
    # Dr deferred 36,000 (capitalised with the accrual), Cr deferred 1,000 (January's amortisation)
    assert movement(january, DEFERRED) == Decimal(35000)
    # expense: 5,000 + 2,000 expensed at once, and 1,000 amortised
    assert movement(january, EXPENSE) == Decimal(8000)
    assert movement(journal_entries("FY2026-M02"), DEFERRED) == Decimal(-1000)
    [row] = roll_forward(deferred_commissions(Period.objects.get(name="FY2026-M03")), D(2026, 1, 1), D(2026, 3, 31))
    assert (row.opening, row.capitalised, row.amortised, row.closing) == (0, Decimal(36000), Decimal(3000),
                                                                          Decimal(33000))
    # the roll-forward ties to the journal's deferred-commissions account over the same months
    assert row.closing == sum(movement(journal_entries(m), DEFERRED) for m in ("FY2026-M01", "FY2026-M02",
                                                                              "FY2026-M03"))
    result = CliRunner().invoke(app, ["deferred", "FY2026-M03"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "36,000.00" in result.output and "33,000.00" in result.output


def test_a_cancelled_contract_is_clawed_back_and_the_rest_of_the_asset_written_off(contracts):
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    contracts("CN-3Y", -360000, D(2026, 3, 5), kind="credit_note",
              original=Transaction.objects.get(external_id="C-3Y"))
    f.calculate_and_pay("FY2026-M03")
    [cancelled] = [d for d in deferred_commissions(Period.objects.get(name="FY2026-M03")) if d.capitalised]
    # March: amortised 1,000 more, 33,000 left; the credit note took back all 36,000 commission (the flat plan
    # re-rates): 33,000 from the asset, nothing impaired, 3,000 of expense recognised reversed
    assert (cancelled.cancellation.remaining, cancelled.cancellation.from_asset, cancelled.cancellation.impaired) == (
        Decimal(33000), Decimal(33000), Decimal(0))
    march = journal_entries("FY2026-M03")
    assert all(e.problems() == [] for e in march)
    [row] = roll_forward([cancelled], D(2026, 1, 1), D(2026, 3, 31))
    assert (row.clawed_back, row.closing) == (Decimal(33000), Decimal(0))
