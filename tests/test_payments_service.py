"""Paying months from the database: DOMAIN E4 (a recoverable draw) and a clawed-back month owed (E5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from attain.apps.calc.approvals import ApprovalError
from attain.apps.calc.services import calculate_period
from attain.apps.core.models import Period
from attain.apps.payments.models import DrawAgreement, Payment
from attain.apps.payments.services import PaymentError, pay_period
from attain.apps.sales.models import Transaction
from attain.cli.main import app
from tests import factories as f

pytestmark = pytest.mark.django_db
D = date

# 10% of each month's bookings: bookings 15,000 / 30,000 / 90,000 / 20,000 earn E4's 1,500 / 3,000 / 9,000 / 2,000
FLAT = """
plan: FLAT
name: Ten percent
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - {name: Commission, measure: bookings, scope: period, rate_table: {method: flat, rate: 0.10}}
"""


@pytest.fixture
def rep():
    person, usd, seat = f.seated("FLAT", FLAT, 48000), f.usd(), f.position("AE-1")
    account = f.account()
    for month, amount in ((1, 15000), (2, 30000), (3, 90000), (4, 20000)):
        Transaction.objects.create(external_id=f"T-{month}", booked_date=D(2026, month, 10), account=account,
                                   amount=Decimal(amount), currency=usd, owner_position=seat)
    return person


def pay_months(count: int) -> list[Payment]:
    paid = []
    for month in range(1, count + 1):
        paid += list(f.calculate_and_pay(f"FY2026-M{month:02d}").payments.all())
    return paid


def test_e4_a_recoverable_draw_month_by_month(rep):
    DrawAgreement.objects.create(participant=rep, amount=Decimal(4000), currency_id="USD", recoverable=True,
                                 valid_from=D(2026, 1, 1))
    paid = pay_months(4)
    assert [(p.period.name, p.paid, p.draw_owed) for p in paid] == [
        ("FY2026-M01", 4000, 2500), ("FY2026-M02", 4000, 3500), ("FY2026-M03", 5500, 0), ("FY2026-M04", 4000, 2000)]
    assert paid[2].explanation == "earned 9,000.00; recovers 3,500.00 of the draw (left 0.00); pay 5,500.00"


def test_a_credit_note_larger_than_the_month_leaves_a_balance_owed(rep):
    Transaction.objects.create(external_id="CN-3", booked_date=D(2026, 4, 20), account=f.account("ACC-2"),
                               amount=Decimal(-90000), currency_id="USD", kind="credit_note",
                               original=Transaction.objects.get(external_id="T-3"))
    paid = pay_months(4)
    # Apr: 2,000 − 9,000 = −7,000: nothing paid, 7,000 owed
    assert [(p.period.name, p.paid, p.owed) for p in paid][-1] == ("FY2026-M04", 0, 7000)


def test_months_are_approved_and_paid_in_order_and_the_command_line_prints_the_run(rep):
    calculate_period("FY2026-M02")
    with pytest.raises(PaymentError, match=r"FY2026-M02 is calculated: a month is paid once its results are approved"):
        pay_period("FY2026-M02")
    with pytest.raises(ApprovalError, match=r"approve the earlier months of FY2026 first: FY2026-M01"):
        f.approve("FY2026-M02")
    f.calculate_and_pay("FY2026-M01")
    f.approve("FY2026-M02")
    result = CliRunner().invoke(app, ["pay", "FY2026-M02"])
    assert result.exit_code == 0, result.output
    [run] = Period.objects.get(name="FY2026-M02").payment_runs.all()
    assert f"Payment run {run.pk}: FY2026-M02" in result.output and "USD" in result.output
    assert [(p.participant.employee_id, p.paid) for p in run.payments.all()] == [("E-1", 3000)]


def test_a_payee_paid_in_euros_gets_the_months_earnings_converted_at_month_end(rep):
    from attain.apps.core.models import Currency, FxRate

    eur = Currency.objects.create(code="EUR", name="Euro")
    FxRate.objects.create(from_currency_id="USD", to_currency=eur, rate_date=D(2026, 1, 31), rate=Decimal("0.9"))
    FxRate.objects.create(from_currency_id="USD", to_currency=eur, rate_date=D(2026, 2, 27), rate=Decimal("0.95"))
    rep.currency = eur
    rep.save()
    DrawAgreement.objects.create(participant=rep, amount=Decimal(4000), currency=eur, recoverable=True,
                                 valid_from=D(2026, 1, 1))
    jan, feb = pay_months(2)
    # Jan: 1,500 USD × 0.9 = 1,350 EUR, draw 4,000: owed 2,650; Feb: 3,000 × 0.95 = 2,850: owed 2,650 + 1,150
    assert (jan.currency_id, jan.paid, jan.draw_owed) == ("EUR", 4000, 2650)
    assert (feb.paid, feb.draw_owed) == (4000, 3800)
    assert feb.explanation.startswith("earnings in EUR: 3,000.00 USD at 0.95 on 2026-02-28; earned 2,850.00")


def test_a_draw_in_another_currency_than_the_payees_is_refused(rep):
    from attain.apps.core.models import Currency

    DrawAgreement.objects.create(participant=rep, amount=Decimal(4000), recoverable=True, valid_from=D(2026, 1, 1),
                                 currency=Currency.objects.create(code="EUR", name="Euro"))
    calculate_period("FY2026-M01")
    f.approve("FY2026-M01")
    with pytest.raises(PaymentError, match="the draw of .* is in EUR, but .* is paid in USD"):
        pay_period("FY2026-M01")
