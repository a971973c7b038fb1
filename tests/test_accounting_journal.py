"""Journal entries of pay runs: balanced to the cent, payable = what payroll pays (DOMAIN E4, E5, E7, E9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.accounting import (
    Account,
    AccountingError,
    Chart,
    JournalEntry,
    JournalLine,
    payment_entries,
    signed_line,
    summarise,
)
from attain.engine.money import round_money
from attain.engine.payments import Draw, PeriodDue, pay_periods

D = Decimal
MONTHS = [f"FY2026-M{m:02d}" for m in range(1, 13)]
CHART = Chart()
EXPENSE, ACCRUED, PAYABLE = "6100", "2110", "2120"
ADVANCES, RECEIVABLE, DEFERRED, ROUNDING = "1410", "1420", "1610", "6190"


def book(lines, capitalised=None, rounding=(2, "half_up")):
    """Every entry of one payee's pay periods, posted on the 28th of month i."""
    capitalised = capitalised or {}
    return [e for i, line in enumerate(lines)
            for e in payment_entries("P-1", line.period, date(2026, i % 12 + 1, 28), line, "USD", CHART,
                                     capitalised.get(line.period, D(0)), rounding)]


def sides(journal_entry: JournalEntry) -> list[tuple[str, str, str]]:
    """(account, debit, credit) per line, amounts as text so 4000 and 4000.00 are told apart."""
    return [(x.account_code, str(x.debit), str(x.credit)) for x in journal_entry.lines]


def by_id(entries) -> dict[str, list[tuple[str, str, str]]]:
    return {e.entry_id: sides(e) for e in entries}


def balance(entries, code: str) -> Decimal:
    return sum((e.movement(code) for e in entries), D(0))


def test_the_default_chart_and_one_loaded_from_settings():
    assert CHART.deferred_commissions == Account("1610", "Deferred commissions", "asset")
    assert CHART.name_of("2120") == "Commissions payable"
    mine = Chart.load({"commission_expense": {"code": "6420", "name": "Sales commissions"}})
    assert mine.commission_expense == Account("6420", "Sales commissions", "expense")
    assert mine.accrued_commissions == CHART.accrued_commissions
    with pytest.raises(AccountingError, match="the chart has no role 'expense'; use one of commission_expense"):
        Chart.load({"expense": {"code": "6420"}})
    with pytest.raises(AccountingError, match="account code 6100 is used for both commission_expense and "
                                              "rounding_differences; give each role its own code"):
        Chart.load({"rounding_differences": {"code": "6100"}})


def test_a_signed_amount_goes_to_its_side_and_never_negative():
    assert signed_line("6100", D("12.50")) == JournalLine("6100", D("12.50"), D("0.00"))
    assert signed_line("6100", D("-12.50"), "reversal") == JournalLine("6100", D("0.00"), D("12.50"), "reversal")
    with pytest.raises(AccountingError, match="account 6100 \\(x\\): a zero amount posts nothing; leave the line"):
        signed_line("6100", D(0), "x")


def test_an_entry_says_everything_that_keeps_it_from_being_booked():
    lines = (JournalLine("6100", D(10), D(0), "earned"), JournalLine("2110", D(0), D(9), "owed"))
    unbalanced = JournalEntry("a:1", date(2026, 1, 31), "2026-01", "accrual", "", "USD", lines)
    assert unbalanced.problems() == ["entry a:1 (2026-01): debits 10.00 ≠ credits 9.00 (difference 1); every "
                                     "entry must balance"]
    wrong = JournalEntry("a:2", date(2026, 1, 31), "2026-01", "accrual", "", "usd",
                         (JournalLine("6100", D(5), D(5), "both"), JournalLine("2110", D(0), D(0), "none"),
                          JournalLine("1410", D(-1), D(0), "minus"), JournalLine("1420", D("0.001"), D(0), "mils")))
    assert wrong.problems(places=2) == [
        "entry a:2 (2026-01): account 6100 (both): both a debit 5 and a credit 5; post two lines or the net",
        "entry a:2 (2026-01): account 2110 (none): neither a debit nor a credit; leave the line out",
        "entry a:2 (2026-01): account 1410 (minus): a negative amount (-1 Dr, 0 Cr); post it on the other side "
        "instead (signed_line does)",
        "entry a:2 (2026-01): account 1420 (mils): 0.001 has more than 2 decimal places; round it to the "
        "currency's minor unit",
        "entry a:2 (2026-01): 'usd' is not an ISO 4217 currency code such as USD or EUR",
    ]
    with pytest.raises(AccountingError, match="debits 10.00 ≠ credits 9.00"):
        unbalanced.check()


def test_e4_a_recoverable_draw():
    entries = book(pay_periods([PeriodDue(m, D(e)) for m, e in zip(MONTHS[:4], (1500, 3000, 9000, 2000), strict=True)],
                               Draw(D(4000), recoverable=True)))
    # M1 earns 1,500: the draw pays 4,000, 2,500 of it ahead of earnings (an asset, to be recovered)
    assert by_id(entries)["accrual:P-1:FY2026-M01"] == [(EXPENSE, "1500.00", "0.00"), (ACCRUED, "0.00", "1500.00")]
    assert by_id(entries)["settlement:P-1:FY2026-M01"] == [
        (ACCRUED, "1500.00", "0.00"), (ADVANCES, "2500.00", "0.00"), (PAYABLE, "0.00", "4000.00")]
    # M2 earns 3,000: 1,000 more paid ahead (draw balance 3,500)
    assert by_id(entries)["settlement:P-1:FY2026-M02"] == [
        (ACCRUED, "3000.00", "0.00"), (ADVANCES, "1000.00", "0.00"), (PAYABLE, "0.00", "4000.00")]
    # M3 earns 9,000: min(3,500, 9,000 − 4,000) = 3,500 recovered, 5,500 paid
    assert by_id(entries)["settlement:P-1:FY2026-M03"] == [
        (ACCRUED, "9000.00", "0.00"), (ADVANCES, "0.00", "3500.00"), (PAYABLE, "0.00", "5500.00")]
    # M4 earns 2,000: 2,000 paid ahead again
    assert by_id(entries)["settlement:P-1:FY2026-M04"] == [
        (ACCRUED, "2000.00", "0.00"), (ADVANCES, "2000.00", "0.00"), (PAYABLE, "0.00", "4000.00")]
    # the books: expense 15,500 earned; 17,500 paid; the draw balance 2,000 is an asset; accrual cleared
    assert [(r.account_code, r.account_name, r.net) for r in summarise(entries, CHART)] == [
        (ADVANCES, "Draw advances", 2000), (ACCRUED, "Accrued commissions", 0),
        (PAYABLE, "Commissions payable", -17500), (EXPENSE, "Commission expense", 15500)]


def test_e4_a_non_recoverable_draw_is_an_expense_at_once():
    entries = book(pay_periods([PeriodDue(m, D(e)) for m, e in zip(MONTHS[:4], (1500, 3000, 9000, 2000), strict=True)],
                               Draw(D(4000), recoverable=False)))
    # M1: 1,500 earned + 2,500 guaranteed = 4,000 paid, all of it cost
    assert by_id(entries)["settlement:P-1:FY2026-M01"] == [
        (ACCRUED, "1500.00", "0.00"), (EXPENSE, "2500.00", "0.00"), (PAYABLE, "0.00", "4000.00")]
    assert by_id(entries)["settlement:P-1:FY2026-M03"] == [(ACCRUED, "9000.00", "0.00"), (PAYABLE, "0.00", "9000.00")]
    # 15,500 earned + 2,500 + 1,000 + 2,000 guaranteed = 21,000 = 4,000 + 4,000 + 9,000 + 4,000 paid
    assert {r.account_code: r.net for r in summarise(entries)} == {ACCRUED: 0, PAYABLE: -21000, EXPENSE: 21000}


def test_e5_a_clawback_larger_than_the_month_becomes_a_receivable():
    lines = pay_periods([PeriodDue(MONTHS[0], D(8000)),
                         PeriodDue(MONTHS[1], D(2000), (("clawback T-1", D(-4500)),)),
                         PeriodDue(MONTHS[2], D(3000))])
    entries = by_id(book(lines))
    # Feb: 2,000 − 4,500 = −2,500: the mirror accrual, and the 2,500 is owed by the payee; nothing paid
    assert entries["accrual:P-1:FY2026-M02"] == [(EXPENSE, "0.00", "2500.00"), (ACCRUED, "2500.00", "0.00")]
    assert entries["settlement:P-1:FY2026-M02"] == [(ACCRUED, "0.00", "2500.00"), (RECEIVABLE, "2500.00", "0.00")]
    # Mar: 3,000 earned, 2,500 recovered from the balance, 500 paid
    assert entries["settlement:P-1:FY2026-M03"] == [
        (ACCRUED, "3000.00", "0.00"), (RECEIVABLE, "0.00", "2500.00"), (PAYABLE, "0.00", "500.00")]


def test_a_draw_balance_forgiven_at_the_end_of_the_draw_is_expensed():
    draw = Draw(D(4000), recoverable=True, valid_to=MONTHS[1], forgive_at_end=True)
    entries = by_id(book(pay_periods([PeriodDue(m, D(1000)) for m in MONTHS[:2]], draw)))
    # M2: 3,000 more paid ahead (balance 6,000), then the 6,000 is forgiven: a cost, the asset gone
    assert entries["settlement:P-1:FY2026-M02"] == [
        (ACCRUED, "1000.00", "0.00"), (ADVANCES, "3000.00", "0.00"), (EXPENSE, "6000.00", "0.00"),
        (ADVANCES, "0.00", "6000.00"), (PAYABLE, "0.00", "4000.00")]


def test_e7_the_rounding_carried_goes_to_the_rounding_account():
    entries = book(pay_periods([PeriodDue(m, D("33.335")) for m in MONTHS[:3]]))
    # each gross 33.335 is posted 33.34; payroll pays 33.34, 33.33, 33.34 = 100.01 (rounded once, carried)
    assert by_id(entries)["settlement:P-1:FY2026-M02"] == [
        (ACCRUED, "33.34", "0.00"), (PAYABLE, "0.00", "33.33"), (ROUNDING, "0.00", "0.01")]
    assert [line.memo for line in entries[3].lines][-1] == "rounding: paid 33.33 for 33.335 precise"
    # 100.02 expensed, 0.01 back through rounding: the cost is the 100.01 paid
    assert {r.account_code: r.net for r in summarise(entries)} == {
        ACCRUED: 0, PAYABLE: D("-100.01"), EXPENSE: D("100.02"), ROUNDING: D("-0.01")}


def test_e9_a_capitalised_commission_goes_to_the_asset_not_the_expense():
    entries = book(pay_periods([PeriodDue(MONTHS[0], D(36000))]), {MONTHS[0]: D(36000)})
    # January: Dr Deferred commissions 36,000 / Cr Accrued; then Dr Accrued / Cr Commissions payable 36,000
    assert by_id(entries) == {
        "accrual:P-1:FY2026-M01": [(DEFERRED, "36000.00", "0.00"), (ACCRUED, "0.00", "36000.00")],
        "settlement:P-1:FY2026-M01": [(ACCRUED, "36000.00", "0.00"), (PAYABLE, "0.00", "36000.00")]}
    with pytest.raises(AccountingError, match="capitalised 0.001 has more than 2 decimal places; pass the rounded"):
        book(pay_periods([PeriodDue(MONTHS[0], D(36000))]), {MONTHS[0]: D("0.001")})


def test_a_period_that_moves_nothing_posts_nothing_and_the_payee_is_named():
    assert book(pay_periods([PeriodDue(MONTHS[0], D(0))])) == []
    line = pay_periods([PeriodDue(MONTHS[0], D(10))])[0]
    with pytest.raises(AccountingError, match="payment entries for FY2026-M01: the payee is empty"):
        payment_entries(" ", MONTHS[0], date(2026, 1, 31), line, "USD")


amounts = st.decimals(min_value=-20000, max_value=20000, places=4)
adjustments = st.lists(st.decimals(min_value=-9000, max_value=3000, places=3), max_size=2)


@given(st.lists(st.tuples(amounts, adjustments), min_size=1, max_size=12), st.none() | st.booleans(),
       st.integers(0, 11), st.booleans(), st.none() | st.decimals(min_value=1, max_value=5000, places=2),
       st.sampled_from(["half_up", "half_even"]))
def test_every_entry_balances_and_the_ledger_ties_to_the_payments(periods, recoverable, end, forgive, cap, mode):
    draw = None if recoverable is None else Draw(D("3000.005"), recoverable, valid_to=MONTHS[min(end, len(periods) - 1)],
                                                 forgive_at_end=forgive)
    dues = [PeriodDue(MONTHS[i], e, tuple((f"adj {j}", a) for j, a in enumerate(adj)))
            for i, (e, adj) in enumerate(periods)]
    lines = pay_periods(dues, draw, cap, (2, mode))
    done = []
    for i, line in enumerate(lines):
        entries = payment_entries("P-1", line.period, date(2026, i + 1, 28), line, "USD", CHART, D(0), (2, mode))
        done += entries
        for journal_entry in entries:
            assert journal_entry.problems(places=2) == []  # balanced, in cents, no negative or empty sides
        settled = [e for e in entries if e.kind == "settlement"]
        assert -balance(settled, PAYABLE) == line.paid  # the payable is exactly the payroll line
        assert balance(entries, ACCRUED) == 0  # the accrual clears in its own period
        # the balance accounts hold the engine's balances, rounded, and never drift
        assert balance(done, RECEIVABLE) == round_money(line.owed, 2, mode)
        assert balance(done, ADVANCES) == round_money(line.draw_owed, 2, mode)
        assert abs(balance(settled, ROUNDING)) <= D("0.04")
    rows = summarise(done)
    assert sum(r.debits for r in rows) == sum(r.credits for r in rows)
