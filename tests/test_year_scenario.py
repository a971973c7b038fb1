"""Seven months of one company, month by month: calculate, approve, pay, close — with exact cents each month.

Plan FLAT pays 10% of each month's bookings. What happens, and what each month pays:

| month | Ada (E-1, USD; AE-1, then AE-3 from July) | Ben (E-2, EUR; AE-2, hired 16 April) |
| --- | --- | --- |
| Jan | earns 1,500; recoverable draw 2,000 adds 500 (draw owed 500): pays 2,000 | — |
| Feb | earns 3,000; 1,000 above the draw recovers the 500: pays 2,500 | — |
| Mar | a 60,000 EUR deal at 1.10 = 66,000 USD earns 6,600: pays 6,600; January–March closed | — |
| Apr | a March deal of 10,000 entered late: +1,000 prior-period adjustment for March; the draw adds 1,000 (owed 1,000): pays 2,000 | 40,000 USD earns 4,000 USD = 3,200 EUR at 0.80 (the rate changed on 1 April); his draw of 1,000 EUR is prorated to 15 of 30 days: pays 3,200 |
| May | February's deal cancelled (−3,000) and 500 earned: −2,500 becomes owed; the draw adds 2,000 (draw owed 3,000): pays 2,000 | nothing earned; the draw pays 1,000 |
| Jun | nothing earned, the draw has ended: pays 0 | on leave 1–15 June: the draw pays 1,000 × 15/30 = 500 |
| Jul | transferred to AE-3: 2,000 earned there recovers 2,000 of the 2,500 owed: pays 0 | the draw has ended: pays 0 |
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.core.models import Currency, FxRate, Period
from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.org.models import LeaveOfAbsence, Participant, Position, PositionHolder
from attain.apps.payments.exports import journal_entries, payroll_rows
from attain.apps.payments.models import DrawAgreement
from attain.apps.payments.services import close_period
from attain.apps.payments.statements import statement
from attain.apps.plans.models import PlanAssignment
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = Decimal
MONTHS = [f"FY2026-M{m:02d}" for m in range(1, 8)]
PAYABLE = "2120"


def deal(external_id: str, amount, day: date, seat: str, currency: str = "USD", **more) -> Transaction:
    from attain.apps.catalog.models import Account

    more.setdefault("owner_position", Position.objects.get(code=seat))
    return Transaction.objects.create(external_id=external_id, booked_date=day, account=Account.objects.get(),
                                      amount=D(amount), currency_id=currency, **more)


@pytest.fixture
def company():
    usd, eur = f.usd(), Currency.objects.create(code="EUR", name="Euro")
    generate_periods(default_calendar(), 2026)
    f.account()
    for day, to_usd, to_eur in ((date(2025, 12, 31), "1.10", "0.90"), (date(2026, 4, 1), "1.20", "0.80")):
        FxRate.objects.create(from_currency=eur, to_currency=usd, rate_date=day, rate=D(to_usd))
        FxRate.objects.create(from_currency=usd, to_currency=eur, rate_date=day, rate=D(to_eur))
    ae1, ae2, ae3 = f.position("AE-1"), f.position("AE-2"), f.position("AE-3")
    ada = f.participant("E-1")
    ben = f.participant("E-2", hire_date=date(2026, 4, 16))
    ben.currency = eur
    ben.save()
    PositionHolder.objects.create(participant=ada, position=ae1, valid_from=date(2025, 1, 1),
                                  valid_to=date(2026, 6, 30))
    PositionHolder.objects.create(participant=ada, position=ae3, valid_from=date(2026, 7, 1))
    PositionHolder.objects.create(participant=ben, position=ae2, valid_from=date(2026, 4, 16))
    plan = f.published_plan("FLAT", FLAT, ae1, 48000)
    for seat in (ae2, ae3):
        PlanAssignment.objects.create(plan=plan, position=seat,
                                      target_incentive=D(48000), currency=usd, valid_from=date(2026, 1, 1))
    DrawAgreement.objects.create(participant=ada, amount=D(2000), currency=usd, recoverable=True,
                                 valid_from=date(2026, 1, 1), valid_to=date(2026, 5, 31))
    DrawAgreement.objects.create(participant=ben, amount=D(1000), currency=eur, recoverable=False,
                                 valid_from=date(2026, 4, 1), valid_to=date(2026, 6, 30))
    LeaveOfAbsence.objects.create(participant=ben, start_date=date(2026, 6, 1), end_date=date(2026, 6, 15))
    deal("T-JAN", 15000, date(2026, 1, 15), "AE-1")
    deal("T-FEB", 30000, date(2026, 2, 10), "AE-1")
    deal("T-MAR", 60000, date(2026, 3, 10), "AE-1", currency="EUR")
    deal("T-APR-B", 40000, date(2026, 4, 20), "AE-2")
    deal("T-MAY", 5000, date(2026, 5, 20), "AE-1")
    deal("T-JUL", 20000, date(2026, 7, 8), "AE-3")


def run_month(name: str) -> dict[str, tuple]:
    f.calculate_and_pay(name)
    return {p.participant.employee_id: (p.paid, p.owed, p.draw_owed)
            for p in Period.objects.get(name=name).payments.all()}


def test_seven_months_with_a_hire_a_transfer_a_leave_a_late_deal_a_cancellation_draws_and_two_currencies(company):
    paid = {}
    for name in MONTHS[:3]:
        paid[name] = run_month(name)
    for name in MONTHS[:3]:
        close_period(name)
    # entered in April, dated in closed March
    deal("LATE-MAR", 10000, date(2026, 3, 20), "AE-1")
    paid[MONTHS[3]] = run_month(MONTHS[3])
    # February's deal cancelled, recorded in May
    deal("CN-FEB", -30000, date(2026, 5, 5), "AE-1", kind="credit_note", owner_position=None,
         original=Transaction.objects.get(external_id="T-FEB"))
    for name in MONTHS[4:]:
        paid[name] = run_month(name)
    # (paid, owed after, draw owed after)
    assert [paid[m]["E-1"] for m in MONTHS] == [
        (D(2000), 0, D(500)), (D(2500), 0, 0), (D(6600), 0, 0), (D(2000), 0, D(1000)), (D(2000), D(2500), D(3000)),
        (D(0), D(2500), D(3000)), (D(0), D(500), D(3000))]
    assert [paid[m]["E-2"][0] for m in MONTHS[3:]] == [D(3200), D(1000), D(500), D(0)]
    april = statement("E-1", "FY2026-M04")
    assert [(line.label, line.amount) for line in april.adjustments] == [
        ("Prior-period adjustment for FY2026-M03: FLAT Commission", D("1000.00"))]
    assert statement("E-2", "FY2026-M06").payment.explanation == (
        "earned 0.00; draw 1,000.00 × 15/30 days = 500.00 adds 500.00; pay 500.00")
    assert statement("E-2", "FY2026-M04").payment.explanation.startswith(
        "earnings in EUR: 4,000.00 USD at 0.8 on 2026-04-30; earned 3,200.00")


def test_every_month_reconciles_statement_payroll_and_ledger(company):
    for name in MONTHS[:4]:
        f.calculate_and_pay(name)
        period = Period.objects.get(name=name)
        payroll = {row.employee_id: row.amount for row in payroll_rows(period, period.end_date)}
        entries = journal_entries(name)
        assert [e.entry_id for e in entries if e.problems()] == []
        paid_people = Participant.objects.filter(payments__period=period)
        assert paid_people.count() == (1 if name < "FY2026-M04" else 2)  # Ben is paid from April
        for person in paid_people:
            payable = sum((line.credit - line.debit for e in entries for line in e.lines
                           if line.account_code == PAYABLE and line.payee == person.employee_id), D(0))
            shown = statement(person.employee_id, name).paid
            assert payroll.get(person.employee_id, D(0)) == shown == payable, (name, person.employee_id)
