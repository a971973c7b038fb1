"""Statements, payroll files and journal entries of paid months, and that they reconcile to the cent.

Two payees over four months: Ada on DOMAIN E2 (YTD true-up, annual quota 600,000, 5% / 10% from 100%),
with a late January deal entered after January closed and a February credit note recorded in April;
Bo on a flat 10% plan with DOMAIN E4's recoverable draw of 4,000 (earnings 1,500, 3,000, 9,000, 2,000).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from attain.apps.core.models import Period
from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.org.models import Participant, Position, PositionHolder
from attain.apps.payments.exports import ExportError, export_payroll, journal_entries, payroll_rows
from attain.apps.payments.models import DrawAgreement
from attain.apps.payments.services import close_period
from attain.apps.payments.statements import StatementError, statement
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from attain.cli.main import app
from tests import factories as f
from tests.test_calculate import E2_PLAN
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = date
MONTHS = ["FY2026-M01", "FY2026-M02", "FY2026-M03", "FY2026-M04"]


def book(external_id: str, amount, day: date, seat: str, **more) -> Transaction:
    from attain.apps.catalog.models import Account

    more.setdefault("owner_position", Position.objects.get(code=seat))
    return Transaction.objects.create(external_id=external_id, booked_date=day, account=Account.objects.get(),
                                      amount=Decimal(amount), currency_id="USD", **more)


@pytest.fixture
def year():
    usd = f.usd()
    generate_periods(default_calendar(), 2026)
    f.account()
    for seat, person, plan, doc in (("AE-1", "E-1", "E2", E2_PLAN), ("AE-2", "E-2", "FLAT", FLAT)):
        position, participant = f.position(seat), f.participant(person)
        participant.pay_group = "US-MONTHLY"
        participant.save()
        PositionHolder.objects.create(participant=participant, position=position, valid_from=D(2025, 1, 1))
        f.published_plan(plan, doc, position, 60000)
    Quota.objects.create(position=Position.objects.get(code="AE-1"), period=Period.objects.get(name="FY2026"),
                         measure="bookings", amount=Decimal(600000), currency=usd)
    DrawAgreement.objects.create(participant=Participant.objects.get(employee_id="E-2"), amount=Decimal(4000),
                                 currency=usd, recoverable=True, valid_from=D(2026, 1, 1))
    book("A-1", 250000, D(2026, 1, 20), "AE-1")
    book("A-2", 400000, D(2026, 2, 15), "AE-1")
    for month, amount in ((1, 15000), (2, 30000), (3, 90000), (4, 20000)):
        book(f"B-{month}", amount, D(2026, month, 10), "AE-2")
    f.calculate_and_pay("FY2026-M01")
    close_period("FY2026-M01")
    book("A-LATE", 100000, D(2026, 1, 28), "AE-1")  # entered in February, booked in closed January
    f.calculate_and_pay("FY2026-M02")
    f.calculate_and_pay("FY2026-M03")
    book("A-CN", -100000, D(2026, 2, 20), "AE-1", kind="credit_note", owner_position=None,
         original=Transaction.objects.get(external_id="A-2"))  # recorded in April against February
    f.calculate_and_pay("FY2026-M04")


def paid(employee_id: str) -> list[Decimal]:
    return [statement(employee_id, month).paid for month in MONTHS]


def test_a_year_of_statements_month_by_month(year):
    # Ada: Jan 250,000 → 12,500. Feb: January recalculated with the late deal, 350,000 → 17,500 (+5,000 for
    # January); YTD 750,000 → 30,000 + 15,000 = 45,000, less 17,500 = 27,500; paid 32,500. Mar: nothing.
    # Apr: February recalculated with the credit note: YTD 650,000 → 35,000 − 17,500 = 17,500, booked
    # 27,500 → −10,000 for February: nothing paid, 10,000 owed.
    assert paid("E-1") == [Decimal("12500.00"), Decimal("32500.00"), Decimal("0.00"), Decimal("0.00")]
    april = statement("E-1", "FY2026-M04")
    assert [(line.label, line.amount) for line in april.adjustments] == [
        ("Prior-period adjustment for FY2026-M02: E2 Commission", Decimal("-10000.00"))]
    assert april.payment.owed == Decimal(10000)
    # earned 12,500 + 27,500 + 0 + 0, adjusted +5,000 − 10,000: 35,000 = E2 on 650,000; paid 45,000, owed 10,000
    assert april.year_to_date == {"earned": Decimal("40000.00"), "adjustments": Decimal("-5000.00"),
                                  "paid": Decimal("45000.00")}
    february = statement("E-1", "FY2026-M02")
    assert [(line.label, line.amount) for line in february.earnings + february.adjustments] == [
        ("E2 Commission", Decimal("27500.00")), ("Prior-period adjustment for FY2026-M01: E2 Commission",
                                                  Decimal("5000.00"))]
    # Bo: DOMAIN E4, recoverable draw
    assert paid("E-2") == [Decimal(4000), Decimal(4000), Decimal(5500), Decimal(4000)]
    assert statement("E-2", "FY2026-M04").payment.draw_owed == Decimal(2000)


def test_statement_payroll_and_ledger_agree_for_every_payee_and_month(year):
    for month in MONTHS:
        period = Period.objects.get(name=month)
        payroll = {row.employee_id: row.amount for row in payroll_rows(period, period.end_date)}
        entries = journal_entries(month)
        assert all(entry.problems() == [] for entry in entries), month
        payable = {}
        for entry in entries:
            for line in entry.lines:
                if line.account_code == "2120":  # commissions payable
                    payable[line.payee] = payable.get(line.payee, Decimal(0)) + line.credit - line.debit
        for employee_id in ("E-1", "E-2"):
            shown = statement(employee_id, month).paid
            assert payroll.get(employee_id, Decimal(0)) == shown == payable.get(employee_id, Decimal(0)), (
                month, employee_id)


def test_payroll_file_and_journal_from_the_command_line(year, tmp_path):
    written = export_payroll("FY2026-M03", tmp_path)
    assert [(w.path.name, w.rows) for w in written] == [("payroll-us-monthly-2026-03-31.csv", 1)]
    text = written[0].path.read_text()
    assert text.splitlines()[1].startswith("E-2,")
    assert ",5500.00,USD," in text
    result = CliRunner().invoke(app, ["journal", "FY2026-M02", "--out", str(tmp_path / "j.csv")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "j.csv").read_text().splitlines()
    assert lines[0] == "entry_id,posted_on,period,kind,account_code,account_name,debit,credit,currency,payee,memo"
    debits = sum(Decimal(row.split(",")[6] or 0) for row in lines[1:])
    credits = sum(Decimal(row.split(",")[7] or 0) for row in lines[1:])
    assert debits == credits > 0
    result = CliRunner().invoke(app, ["statement", "E-1", "FY2026-M02"])
    assert result.exit_code == 0, result.output
    assert "32,500.00" in result.output and "Prior-period adjustment for FY2026-M01" in result.output


def test_nothing_is_exported_before_the_month_is_paid(year, tmp_path):
    from attain.apps.calc.services import calculate_period

    calculate_period("FY2026-M05")
    with pytest.raises(ExportError, match="FY2026-M05 is calculated: payroll and journal entries are exported once"):
        export_payroll("FY2026-M05", tmp_path)
    with pytest.raises(StatementError, match="E-1 has no payment for FY2026-M05|no payment for FY2026-M05"):
        statement("E-1", "FY2026-M05")
