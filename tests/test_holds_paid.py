"""Holds from the database: commission waits for the invoice or the customer's payment, then is paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.payments.statements import statement
from attain.apps.plans.models import PlanVersion
from attain.apps.sales.models import CustomerPayment, Transaction
from tests import factories as f
from tests.test_payments_service import rep  # noqa: F401  (E4's months: 15,000 / 30,000 / 90,000 / 20,000)

pytestmark = pytest.mark.django_db
D = Decimal


def hold(until: str) -> None:
    version = PlanVersion.objects.get(plan__code="FLAT")
    version.document += f"hold: {{until: {until}}}\n"
    version.save()


def pay(months: int) -> list[Decimal]:
    return [f.calculate_and_pay(f"FY2026-M{m:02d}").payments.get().paid for m in range(1, months + 1)]


def test_commission_waits_for_the_invoice(rep):  # noqa: F811
    hold("invoice")
    # January's deal invoiced in March, February's at once, March's never, April's in April
    for external_id, invoiced in (("T-1", date(2026, 3, 2)), ("T-2", date(2026, 2, 12)), ("T-4", date(2026, 4, 25))):
        Transaction.objects.filter(external_id=external_id).update(invoiced_date=invoiced)
    # Jan 1,500 held; Feb 3,000 released; Mar 1,500 (January's) released, 9,000 held; Apr 2,000
    assert pay(4) == [D(0), D(3000), D(1500), D(2000)]
    march = statement("E-1", "FY2026-M03")
    assert [(line.label, line.amount) for line in march.manual] == [
        ("Held until invoiced (9,000.00 earned, 1,500.00 released, 9,000.00 still held)", D("-7500.00"))]


def test_commission_is_released_pro_rata_as_the_customer_pays(rep):  # noqa: F811
    hold("payment")
    january = Transaction.objects.get(external_id="T-1")
    CustomerPayment.objects.create(external_id="R-1", transaction=january, paid_on=date(2026, 2, 10),
                                   amount=D(4500))  # 30% of 15,000
    CustomerPayment.objects.create(external_id="R-2", transaction=january, paid_on=date(2026, 4, 1),
                                   amount=D(12000))  # 80% more: 110%, capped at 100%
    Transaction.objects.filter(external_id="T-2").update(paid_date=date(2026, 3, 31))  # paid in full
    # Jan 0; Feb 30% of 1,500 = 450; Mar February's 3,000; Apr the rest of January's 1,050
    assert pay(4) == [D(0), D(450), D(3000), D(1050)]
    april = statement("E-1", "FY2026-M04").payment
    assert april.explanation == ("earned 2,000.00; held until paid (2,000.00 earned, 1,050.00 released, "
                                 "11,000.00 still held) -950.00; pay 1,050.00")


def test_a_cancelled_deal_forfeits_what_is_still_held(rep):  # noqa: F811
    hold("invoice")
    Transaction.objects.create(external_id="CN-1", kind="credit_note", booked_date=date(2026, 2, 20),
                               account=Transaction.objects.get(external_id="T-1").account, amount=D(-15000),
                               currency_id="USD", original=Transaction.objects.get(external_id="T-1"))
    # Jan: 1,500 held. Feb: the credit note (−1,500) takes it off the hold; February's own 3,000 waits too
    assert pay(2) == [D(0), D(0)]
    assert statement("E-1", "FY2026-M02").payment.owed == 0


def test_held_commission_is_an_expense_when_earned_and_owed_until_released(rep):  # noqa: F811
    from attain.apps.payments.exports import journal_entries

    hold("payment")
    january = Transaction.objects.get(external_id="T-1")
    CustomerPayment.objects.create(external_id="R-1", transaction=january, paid_on=date(2026, 2, 10), amount=D(4500))
    CustomerPayment.objects.create(external_id="R-2", transaction=january, paid_on=date(2026, 4, 1), amount=D(12000))
    Transaction.objects.filter(external_id="T-2").update(paid_date=date(2026, 3, 31))
    expense, owed = [], D(0)
    for month in range(1, 5):
        f.calculate_and_pay(f"FY2026-M{month:02d}")
        entries = journal_entries(f"FY2026-M{month:02d}")
        assert [e.entry_id for e in entries if e.problems()] == []
        lines = [line for e in entries for line in e.lines]
        expense.append(sum((x.debit - x.credit for x in lines if x.account_code == "6100"), D(0)))
        owed += sum((x.credit - x.debit for x in lines if x.account_code == "2110"), D(0))  # accrued, not yet paid
        # what is still held at each month's end: 1,500; 1,050 + 3,000; 1,050 + 9,000; 9,000 + 2,000
        assert owed == [D(1500), D(4050), D(10050), D(11000)][month - 1]
    # the expense is each month's earnings, when earned: 1,500, 3,000, 9,000, 2,000 (E4's months)
    assert expense == [D(1500), D(3000), D(9000), D(2000)]
