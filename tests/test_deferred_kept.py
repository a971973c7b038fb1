"""What paid months keep of deferred commissions gives the figures rebuilding them from the earnings gives, to the
cent: the roll-forward and the journal, over several months with a cancellation clawed back; kept when paid, on
first use (a month paid before months were kept), and again when the capitalisation policy changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from attain.apps.core.models import Period
from attain.apps.payments.deferred import deferred_commissions
from attain.apps.payments.deferred_kept import kept_roll_forward
from attain.apps.payments.exports import (
    _hold_entry,
    _line,
    journal_entries,
    paid_payments,
    policy_chart,
    write_journal_csv,
)
from attain.apps.payments.models import AccountingPolicy, DeferredMonth, DeferredMovement, KeptCommission
from attain.apps.sales.models import Transaction
from attain.engine.accounting import capitalised_in, deferred_entries, payment_entries, roll_forward
from tests import factories as f
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = date
MONTHS = [f"FY2026-M{n:02d}" for n in range(1, 6)]


@pytest.fixture
def year():
    """Five paid months of contracts (3-year, 2-year, 1-year, late-starting, none), one cancelled in March."""
    f.seated("FLAT", FLAT, 48000)
    seat, account = f.position("AE-1"), f.account()

    def deal(external_id, amount, booked, start=None, end=None, **more):
        return Transaction.objects.create(external_id=external_id, booked_date=booked, account=account,
                                          amount=Decimal(amount), currency_id="USD", owner_position=seat,
                                          contract_start=start, contract_end=end, **more)

    deal("C-3Y", 360000, D(2026, 1, 10), D(2026, 1, 1), D(2028, 12, 31))
    deal("C-2Y", 123457, D(2026, 1, 20), D(2025, 11, 1), D(2027, 10, 31))  # started before: a catch-up
    deal("C-1Y", 50000, D(2026, 1, 12), D(2026, 1, 1), D(2026, 12, 31))  # expensed (practical expedient)
    deal("NO-CONTRACT", 20000, D(2026, 1, 15))
    deal("C-LATE", 77777, D(2026, 2, 3), D(2026, 6, 1), D(2029, 5, 31))  # an asset until June
    deal("C-4Y", 99999, D(2026, 2, 25), D(2026, 2, 1), D(2030, 1, 31))
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    deal("CN-3Y", -360000, D(2026, 3, 5), kind="credit_note", original=Transaction.objects.get(external_id="C-3Y"))
    deal("C-3Y-B", 45000, D(2026, 3, 9), D(2026, 3, 1), D(2029, 2, 28))
    f.calculate_and_pay("FY2026-M03")
    deal("CN-LATE", -77777, D(2026, 4, 8), kind="credit_note",
         original=Transaction.objects.get(external_id="C-LATE"))  # cancelled before its schedule starts
    f.calculate_and_pay("FY2026-M04")
    deal("C-5Y", 250000, D(2026, 5, 2), D(2026, 5, 1), D(2031, 4, 30))
    f.calculate_and_pay("FY2026-M05")


def period(name: str) -> Period:
    return Period.objects.get(name=name)


def rebuilt_journal(name: str) -> list:
    """The journal as it was made before months were kept: every paid month's commissions rebuilt."""
    month, chart = period(name), policy_chart()
    deferreds = deferred_commissions(month)
    entries = []
    for payment in paid_payments(month):
        payee, currency = payment.participant.employee_id, payment.currency_id
        entries += payment_entries(payee, month.name, month.end_date, _line(payment), currency, chart,
                                   capitalised=capitalised_in(deferreds, payee, month.end_date, currency))
        entries += _hold_entry(payment, month, chart, (2, "half_up"))
    for deferred in deferreds:
        entries += [e for e in deferred_entries(deferred, chart, include_accruals=False)
                    if month.start_date <= e.posted_on <= month.end_date]
    return entries


def csv_text(entries, tmp_path: Path) -> str:
    return write_journal_csv(entries, tmp_path / "journal.csv").path.read_text()


def assert_same_figures(tmp_path: Path, last: str = "FY2026-M05") -> None:
    for first in MONTHS[:MONTHS.index(last) + 1] if last in MONTHS else MONTHS:
        for by_payee in (False, True):
            assert kept_roll_forward(period(first), period(last), by_payee) == roll_forward(
                deferred_commissions(period(last)), period(first).start_date, period(last).end_date, by_payee)
    for name in MONTHS:
        kept, rebuilt = journal_entries(name), rebuilt_journal(name)
        assert kept == rebuilt
        assert csv_text(kept, tmp_path) == csv_text(rebuilt, tmp_path)


def test_the_kept_months_give_the_rebuilt_figures(year, tmp_path):
    assert DeferredMonth.objects.count() == 5  # kept as each month was paid
    cancelled = KeptCommission.objects.get(contract_id="C-3Y/E-1/FY2026-M01")
    assert (cancelled.cancelled_in.period.name, cancelled.cancelled_on, cancelled.clawed_back) == (
        "FY2026-M03", D(2026, 3, 5), Decimal("36000.0000"))
    [row] = kept_roll_forward(period("FY2026-M01"), period("FY2026-M05"))
    assert row.clawed_back == Decimal("40777.70")  # 33,000 left of C-3Y and all of C-LATE (7,777.70)
    assert row.capitalised > 0 and row.closing > 0
    assert_same_figures(tmp_path)
    # a month not paid yet: the kept commissions' amortisation, as rebuilt
    assert kept_roll_forward(period("FY2026-M01"), period("FY2026-M07")) == roll_forward(
        deferred_commissions(period("FY2026-M07")), D(2026, 1, 1), D(2026, 7, 31))


def test_months_paid_before_they_were_kept_are_kept_on_first_use(year, tmp_path):
    DeferredMonth.objects.all().delete()
    assert not KeptCommission.objects.exists() and not DeferredMovement.objects.exists()
    assert_same_figures(tmp_path)
    assert DeferredMonth.objects.count() == 5
    kept = list(DeferredMovement.objects.order_by("pk").values_list("amount", flat=True))
    journal_entries("FY2026-M05")  # read again: nothing kept again
    assert list(DeferredMovement.objects.order_by("pk").values_list("amount", flat=True)) == kept


def test_a_month_kept_after_one_not_kept_is_kept_again(year, tmp_path):
    DeferredMonth.objects.filter(period__name="FY2026-M02").delete()
    assert_same_figures(tmp_path)
    assert DeferredMonth.objects.count() == 5


def test_a_new_capitalisation_policy_keeps_the_months_again(year, tmp_path):
    AccountingPolicy.objects.create(expected_renewal_months=12)  # 1-year contracts now capitalised over 24 months
    assert_same_figures(tmp_path)
    assert list(DeferredMonth.objects.values_list("policy", flat=True)) == [[True, 12, 12]] * 5
    assert KeptCommission.objects.filter(contract_id="C-1Y/E-1/FY2026-M01").exists()
