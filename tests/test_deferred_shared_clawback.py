"""One deal's commission paid in two months, then cancelled: the clawback is counted once (ASC 340-40).

E-1's position is on two plans: 10% when a deal is booked (FLAT) and 5% when it is invoiced (COLLECT). C-3Y, 6,000
on a 36-month contract from 1 January 2026, is booked on 10 January (600 in January) and invoiced on 12 February
(300 in February): two capitalised commissions, C-3Y/E-1/FY2026-M01 and C-3Y/E-1/FY2026-M02. A full credit note
cancels it on 10 June; June amortised, they have 499.98 and 249.96 left (tests/test_accounting_shared_clawback.py
works them out). The clawback from E-1 is shared once, oldest first: before, each schedule was given all of it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.core.models import Period
from attain.apps.payments.deferred import deferred_commissions
from attain.apps.payments.deferred_kept import kept_roll_forward
from attain.apps.payments.exports import journal_entries
from attain.apps.payments.models import DeferredMonth, KeptCommission
from attain.apps.sales.models import Transaction
from attain.engine.accounting import roll_forward
from tests import factories as f
from tests.test_deferred_kept import csv_text, rebuilt_journal
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = date
MONTHS = [f"FY2026-M{n:02d}" for n in range(1, 7)]
DEFERRED, EXPENSE, ACCRUED = "1610", "6100", "2110"
COLLECT = """
plan: COLLECT
name: Five percent when invoiced
currency: USD
timing: invoiced
credit_rules: [{name: direct, kind: direct}]
measures: [{name: invoiced}]
components:
  - name: Collection
    measure: invoiced
    scope: per_transaction
    rate_table: {method: flat, rate: 0.05}
    clawback: {window_days: WINDOW, method: full}
"""


def paid_twice_and_cancelled(window_days: int) -> None:
    """C-3Y paid in January and February, cancelled in June; COLLECT takes its 300 back only inside `window_days` of
    the invoice (12 February to 10 June is 118 days)."""
    f.seated("FLAT", FLAT, 48000)
    seat, account = f.position("AE-1"), f.account()
    f.published_plan("COLLECT", COLLECT.replace("WINDOW", str(window_days)), seat, 0)
    deal = Transaction.objects.create(external_id="C-3Y", booked_date=D(2026, 1, 10), invoiced_date=D(2026, 2, 12),
                                      account=account, amount=Decimal(6000), currency_id="USD", owner_position=seat,
                                      contract_start=D(2026, 1, 1), contract_end=D(2028, 12, 31))
    for name in MONTHS[:5]:
        f.calculate_and_pay(name)
    Transaction.objects.create(external_id="CN-3Y", booked_date=D(2026, 6, 10), account=account,
                               amount=Decimal(-6000), currency_id="USD", owner_position=seat,
                               kind=Transaction.Kind.CREDIT_NOTE, original=deal)
    f.calculate_and_pay("FY2026-M06")


def period(name: str) -> Period:
    return Period.objects.get(name=name)


def cancellations() -> list[tuple]:
    return [(x.contract_id, x.commission, x.cancellation.remaining, x.cancellation.clawed_back,
             x.cancellation.from_asset, x.cancellation.impaired) for x in deferred_commissions(period("FY2026-M06"))]


def kept_clawbacks() -> list[tuple[str, Decimal]]:
    return list(KeptCommission.objects.order_by("contract_id").values_list("contract_id", "clawed_back"))


def movement(entries, account) -> Decimal:
    return sum((x.debit - x.credit for e in entries for x in e.lines if x.account_code == account), Decimal(0))


def june_lines(account: str) -> list[tuple[str, Decimal, Decimal]]:
    return [(e.kind, x.debit, x.credit) for e in journal_entries("FY2026-M06") for x in e.lines
            if x.account_code == account]


def assert_kept_as_rebuilt(tmp_path) -> None:
    """The kept months and the reference rebuilt from the earnings give the same figures, to the cent."""
    for first in MONTHS:
        for by_payee in (False, True):
            assert kept_roll_forward(period(first), period("FY2026-M06"), by_payee) == roll_forward(
                deferred_commissions(period("FY2026-M06")), period(first).start_date, D(2026, 6, 30), by_payee)
    for name in MONTHS:
        kept, rebuilt = journal_entries(name), rebuilt_journal(name)
        assert kept == rebuilt
        assert csv_text(kept, tmp_path) == csv_text(rebuilt, tmp_path)


def test_a_clawback_of_900_is_shared_once_and_its_excess_reverses_expense_once(tmp_path):
    paid_twice_and_cancelled(window_days=365)  # June: FLAT takes back 600, COLLECT 300
    # January's takes all it has left; February's the rest, 400.02: 249.96 from its asset and 150.06 of expense
    assert cancellations() == [
        ("C-3Y/E-1/FY2026-M01", Decimal(600), Decimal("499.98"), Decimal("499.98"), Decimal("499.98"), Decimal(0)),
        ("C-3Y/E-1/FY2026-M02", Decimal(300), Decimal("249.96"), Decimal("400.02"), Decimal("249.96"), Decimal(0))]
    [row] = kept_roll_forward(period("FY2026-M01"), period("FY2026-M06"))
    assert (row.capitalised, row.amortised, row.clawed_back, row.impaired, row.closing) == (
        Decimal(900), Decimal("150.06"), Decimal("749.94"), Decimal(0), Decimal(0))
    assert kept_clawbacks() == [("C-3Y/E-1/FY2026-M01", Decimal("499.98")), ("C-3Y/E-1/FY2026-M02", Decimal("400.02"))]
    # June: the accrual of −900 credits the asset with the 749.94 clawed back and expense with the 150.06 beyond it;
    # 16.67 + 8.34 amortised; nothing impaired
    assert sorted(june_lines(DEFERRED)) == [("accrual", 0, Decimal("749.94")), ("amortisation", 0, Decimal("8.34")),
                                            ("amortisation", 0, Decimal("16.67"))]
    june = journal_entries("FY2026-M06")
    assert (movement(june, DEFERRED), movement(june, EXPENSE)) == (Decimal("-774.95"), Decimal("-125.05"))
    assert all(e.problems() == [] for e in june)
    assert_kept_as_rebuilt(tmp_path)


def test_a_clawback_of_600_is_shared_once_and_the_rest_of_the_february_schedule_impaired(tmp_path):
    paid_twice_and_cancelled(window_days=90)  # June: FLAT takes back 600; COLLECT's window is over
    # January's takes 499.98, February's the 100.02 left of the clawback, and 249.96 − 100.02 = 149.94 is impaired
    # (each given all 600, the roll-forward clawed back 749.94 and impaired nothing)
    assert cancellations() == [
        ("C-3Y/E-1/FY2026-M01", Decimal(600), Decimal("499.98"), Decimal("499.98"), Decimal("499.98"), Decimal(0)),
        ("C-3Y/E-1/FY2026-M02", Decimal(300), Decimal("249.96"), Decimal("100.02"), Decimal("100.02"),
         Decimal("149.94"))]
    [row] = kept_roll_forward(period("FY2026-M01"), period("FY2026-M06"))
    assert (row.capitalised, row.amortised, row.clawed_back, row.impaired, row.closing) == (
        Decimal(900), Decimal("150.06"), Decimal(600), Decimal("149.94"), Decimal(0))
    assert kept_clawbacks() == [("C-3Y/E-1/FY2026-M01", Decimal("499.98")), ("C-3Y/E-1/FY2026-M02", Decimal("100.02"))]
    # June: the accrual of −600 credits the asset with the 600 clawed back (not 749.94) and no expense
    assert sorted(june_lines(DEFERRED)) == [
        ("accrual", 0, Decimal(600)), ("amortisation", 0, Decimal("8.34")), ("amortisation", 0, Decimal("16.67")),
        ("impairment", 0, Decimal("149.94"))]
    assert [(kind, debit) for kind, debit, _ in june_lines(EXPENSE) if kind == "impairment"] == [
        ("impairment", Decimal("149.94"))]
    june = journal_entries("FY2026-M06")
    assert (movement(june, DEFERRED), movement(june, EXPENSE)) == (Decimal("-774.95"), Decimal("174.95"))
    assert_kept_as_rebuilt(tmp_path)


def test_kept_on_first_use_the_clawback_is_shared_the_same_way(tmp_path):
    paid_twice_and_cancelled(window_days=90)
    DeferredMonth.objects.all().delete()
    assert_kept_as_rebuilt(tmp_path)
    assert kept_clawbacks() == [("C-3Y/E-1/FY2026-M01", Decimal("499.98")), ("C-3Y/E-1/FY2026-M02", Decimal("100.02"))]
