"""Capitalised commissions (ASC 340-40 / IFRS 15, DOMAIN E9): schedule, impairment, entries, roll-forward."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.accounting import (
    AccountingError,
    CapitalisationPolicy,
    capitalise,
    capitalised_in,
    deferred_entries,
    impair,
    payment_entries,
    roll_forward,
)
from attain.engine.accounting.asc606_books import RollForward, last_day, period_of
from attain.engine.payments import PeriodDue, pay_periods
from attain.engine.periods import add_months

D = Decimal
EXPENSE, ACCRUED, PAYABLE, DEFERRED = "6100", "2110", "2120", "1610"
NO_EXPEDIENT = CapitalisationPolicy(practical_expedient=False)


def e9(**kwargs):
    """DOMAIN E9: commission 36,000 on a 3-year contract starting 1 January 2026, no expected renewals."""
    return capitalise("C-1", "P-1", D(36000), "USD", date(2026, 1, 1), 36, **kwargs)


def sides(journal_entry) -> list[tuple[str, str, str]]:
    return [(x.account_code, str(x.debit), str(x.credit)) for x in journal_entry.lines]


def deferred_movement(entries, first: date, last: date) -> Decimal:
    """The deferred-commissions account's movement in the entries posted from `first` to `last` inclusive."""
    return sum((e.movement(DEFERRED) for e in entries if first <= e.posted_on <= last), D(0))


def test_e9_a_three_year_contract_is_capitalised_and_amortised_1000_a_month():
    deferred = e9()
    assert deferred.capitalised and deferred.benefit_months == 36
    assert deferred.reason == ("period of benefit 36 months (36-month term), longer than 12 months: capitalised "
                               "and amortised straight-line, 36,000.00 over 36 months from January 2026")
    assert [str(x.amount) for x in deferred.schedule] == ["1000.00"] * 36
    assert (deferred.schedule[0].month, deferred.schedule[-1].month) == (date(2026, 1, 1), date(2028, 12, 1))
    january = [e for e in deferred_entries(deferred) if e.period == "2026-01"]
    # January: Dr Deferred commissions 36,000 / Cr Accrued commissions 36,000 (paid through payroll:
    # Dr Accrued / Cr Commissions payable), then Dr Commission expense 1,000 / Cr Deferred 1,000
    assert [(e.entry_id, e.posted_on, sides(e)) for e in january] == [
        ("capitalisation:C-1:2026-01", date(2026, 1, 31), [(DEFERRED, "36000.00", "0.00"), (ACCRUED, "0.00", "36000.00")]),
        ("amortisation:C-1:2026-01", date(2026, 1, 31), [(EXPENSE, "1000.00", "0.00"), (DEFERRED, "0.00", "1000.00")])]
    assert january[1].description == ("Amortisation 1 of 36 of the commission on contract C-1 (36,000.00 over 36 "
                                      "months), January 2026")


def test_e9_a_contract_of_one_year_or_less_is_expensed_under_the_practical_expedient():
    short = capitalise("C-2", "P-1", D(6000), "USD", date(2026, 3, 10), 12)
    assert not short.capitalised and short.schedule == ()
    assert short.reason == ("period of benefit 12 months (12-month term), 12 months or less: expensed when "
                            "incurred (practical expedient)")
    assert [(e.entry_id, sides(e)) for e in deferred_entries(short)] == [
        ("expensed:C-2:2026-03", [(EXPENSE, "6000.00", "0.00"), (ACCRUED, "0.00", "6000.00")])]
    assert roll_forward([short], date(2026, 1, 1), date(2026, 12, 1)) == []
    # without the expedient it is capitalised: 6,000 / 12 = 500 a month from March
    elected_not = capitalise("C-2", "P-1", D(6000), "USD", date(2026, 3, 10), 12, NO_EXPEDIENT)
    assert elected_not.capitalised and {x.amount for x in elected_not.schedule} == {500}
    # expected renewals lengthen the period of benefit: 12 + 12 months > 12, capitalised over 24 months
    renewing = capitalise("C-2", "P-1", D(6000), "USD", date(2026, 3, 10), 12,
                          CapitalisationPolicy(expected_renewal_months=12))
    assert renewing.capitalised and len(renewing.schedule) == 24 and renewing.schedule[0].amount == 250
    assert renewing.reason.startswith("period of benefit 24 months (12-month term + 12 expected renewal months), "
                                      "longer than 12 months")


def test_e9_cancelled_after_12_months_the_rest_is_impaired():
    cancelled = impair(e9(), date(2026, 12, 31))
    # 12 months amortised (January–December 2026): 36,000 − 12,000 = 24,000 left, all impaired
    assert (cancelled.cancellation.remaining, cancelled.cancellation.impaired) == (24000, 24000)
    assert len(cancelled.amortisation()) == 12
    last = deferred_entries(cancelled)[-1]
    assert (last.entry_id, sides(last)) == ("impairment:C-1:2026-12",
                                            [(EXPENSE, "24000.00", "0.00"), (DEFERRED, "0.00", "24000.00")])
    assert cancelled.balance_after(date(2026, 12, 1)) == 0


def test_e9_cancelled_after_12_months_with_a_clawback_of_4500():
    cancelled = impair(e9(), date(2026, 12, 15), D(4500))
    # 24,000 left: 4,500 taken back from the payee reduces the asset, 19,500 is impaired
    assert (cancelled.cancellation.from_asset, cancelled.cancellation.impaired) == (4500, 19500)
    clawback, impairment = deferred_entries(cancelled)[-2:]
    assert sides(clawback) == [(ACCRUED, "4500.00", "0.00"), (DEFERRED, "0.00", "4500.00")]
    assert sides(impairment) == [(EXPENSE, "19500.00", "0.00"), (DEFERRED, "0.00", "19500.00")]
    assert impairment.description == ("Contract C-1 cancelled on 2026-12-15: 24,000.00 left of the asset, "
                                      "4,500.00 clawed back, 19,500.00 impaired")
    # the year: 36,000 capitalised − 12,000 amortised − 4,500 clawed back − 19,500 impaired = 0
    assert roll_forward([cancelled], date(2026, 1, 1), date(2026, 12, 31)) == [
        RollForward("USD", None, D(0), D(36000), D(12000), D(4500), D(19500))]
    assert capitalised_in([cancelled], "P-1", date(2026, 12, 1), "USD") == -4500
    assert capitalised_in([cancelled], "P-1", date(2026, 1, 20), "USD") == 36000


def test_a_clawback_beyond_what_is_left_reverses_expense_already_recognised():
    cancelled = impair(e9(), date(2026, 12, 1), D(30000))
    # 24,000 left: all of it clawed back; the other 6,000 was amortised into expense and comes back from it
    assert (cancelled.cancellation.from_asset, cancelled.cancellation.expense_reversed,
            cancelled.cancellation.impaired) == (24000, 6000, 0)
    assert sides(deferred_entries(cancelled)[-1]) == [
        (ACCRUED, "30000.00", "0.00"), (DEFERRED, "0.00", "24000.00"), (EXPENSE, "0.00", "6000.00")]


def test_seven_months_of_1000_spread_the_odd_cents_over_the_first_months():
    deferred = capitalise("C-3", "P-1", D("1000.00"), "USD", date(2026, 1, 1), 7, NO_EXPEDIENT)
    # 100,000 cents / 7 = 14,285 remainder 5: the first 5 months take one cent more
    assert [str(x.amount) for x in deferred.schedule] == ["142.86"] * 5 + ["142.85"] * 2
    assert sum(x.amount for x in deferred.schedule) == D("1000.00")


def test_a_commission_incurred_after_the_contract_starts_catches_up():
    late = e9(incurred_on=date(2026, 3, 5))
    # January and February are past when the commission is incurred: March takes 3 × 1,000
    assert [(x.month, x.amount) for x in late.schedule[:2]] == [(date(2026, 3, 1), 3000), (date(2026, 4, 1), 1000)]
    assert len(late.schedule) == 34 and late.schedule[-1].month == date(2028, 12, 1)
    early = e9(incurred_on=date(2025, 12, 20))
    # incurred in December, amortised from January: an asset of 36,000 at the end of December
    assert roll_forward([early], date(2025, 12, 1), date(2025, 12, 1)) == [
        RollForward("USD", None, D(0), D(36000), D(0), D(0), D(0))]
    assert [e.entry_id for e in deferred_entries(early)[:2]] == ["capitalisation:C-1:2025-12",
                                                                 "amortisation:C-1:2026-01"]


def test_the_roll_forward_per_currency_and_payee():
    book = [e9(), capitalise("C-4", "P-2", D(24000), "USD", date(2026, 2, 1), 24),
            capitalise("C-5", "P-2", D(12000), "EUR", date(2026, 1, 1), 24)]
    # to March: C-1 3 × 1,000; C-4 2 × 1,000; C-5 3 × 500
    assert roll_forward(book, date(2026, 1, 1), date(2026, 3, 31), by_payee=True) == [
        RollForward("EUR", "P-2", D(0), D(12000), D(1500), D(0), D(0)),
        RollForward("USD", "P-1", D(0), D(36000), D(3000), D(0), D(0)),
        RollForward("USD", "P-2", D(0), D(24000), D(2000), D(0), D(0))]
    usd = roll_forward(book, date(2026, 4, 1), date(2026, 4, 30))[1]
    assert (usd.opening, usd.amortised, usd.closing) == (55000, 2000, 53000)


def test_mistakes_are_reported_with_what_to_do():
    with pytest.raises(AccountingError, match="contract C-1: commission: 36000.0 is a binary float"):
        capitalise("C-1", "P-1", 36000.0, "USD", date(2026, 1, 1), 36)
    with pytest.raises(AccountingError, match="contract C-1: commission 0 must be above zero"):
        capitalise("C-1", "P-1", D(0), "USD", date(2026, 1, 1), 36)
    with pytest.raises(AccountingError, match="contract C-1: term_months is the contract's length in whole months"):
        capitalise("C-1", "P-1", D(100), "USD", date(2026, 1, 1), 0)
    with pytest.raises(AccountingError, match="expected_renewal_months is a whole number of months, 0 or more"):
        CapitalisationPolicy(expected_renewal_months=-1)
    with pytest.raises(AccountingError, match="clawed_back -4500 is negative; give the amount taken back from "
                                              "the payee as a positive number"):
        impair(e9(), date(2026, 12, 1), D(-4500))
    with pytest.raises(AccountingError, match="contract C-1 was already cancelled on 2026-12-01"):
        impair(impair(e9(), date(2026, 12, 1)), date(2027, 1, 1))
    with pytest.raises(AccountingError, match="cancelled on 2025-11-30, before its commission was incurred in "
                                              "January 2026"):
        impair(e9(), date(2025, 11, 30))
    with pytest.raises(AccountingError, match="the window ends before it starts; give the earlier month first"):
        roll_forward([e9()], date(2026, 3, 1), date(2026, 1, 1))


def test_e9_through_payroll_ties_to_the_roll_forward():
    """Paid through payroll: payment_entries posts the capitalisation and the clawback, asc606 the rest."""
    deferred = impair(e9(), date(2026, 12, 10), D(4500))
    months = [add_months(date(2026, 1, 1), i) for i in range(12)]
    dues = [PeriodDue(period_of(m), D(36000) if m.month == 1 else D(0),
                      (("clawback C-1", D(-4500)),) if m.month == 12 else ()) for m in months]
    entries = deferred_entries(deferred, include_accruals=False)
    for month, line in zip(months, pay_periods(dues), strict=True):
        entries += payment_entries("P-1", line.period, month.replace(day=28), line, "USD",
                                   capitalised=capitalised_in([deferred], "P-1", month, "USD"))
    assert [sides(e) for e in entries if e.entry_id == "accrual:P-1:2026-12"] == [
        [(DEFERRED, "0.00", "4500.00"), (ACCRUED, "4500.00", "0.00")]]  # the clawback takes back from the asset
    row = roll_forward([deferred], date(2026, 1, 1), date(2026, 12, 1))[0]
    assert deferred_movement(entries, date(2026, 1, 1), date(2026, 12, 31)) == row.closing - row.opening == 0
    assert deferred_movement(entries, date(2026, 1, 1), date(2026, 6, 30)) == 36000 - 6000


policies = st.builds(CapitalisationPolicy, st.booleans(), st.integers(0, 24), st.integers(0, 24))
contracts = st.tuples(st.decimals(min_value=D("0.01"), max_value=500000, places=2), st.integers(1, 60),
                      st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(-3, 40),
                      st.none() | st.tuples(st.integers(0, 90), st.decimals(min_value=0, max_value=600000, places=2)))


def book_of(raw, policy):
    book = []
    for i, (commission, term, start, late, cancel) in enumerate(raw):
        deferred = capitalise(f"C-{i}", f"P-{i % 2}", commission, "USD", start, term, policy,
                              incurred_on=add_months(start, late))
        if cancel is not None:
            deferred = impair(deferred, add_months(deferred.incurred_on, cancel[0]), cancel[1])
        book.append(deferred)
    return book


@given(st.lists(contracts, min_size=1, max_size=5), policies, st.dates(date(2024, 6, 1), date(2031, 6, 1)),
       st.integers(0, 14))
def test_the_roll_forward_ties_to_the_entries_and_months_chain(raw, policy, first, length):
    book = book_of(raw, policy)
    entries = [e for deferred in book for e in deferred_entries(deferred)]
    for journal_entry in entries:
        assert journal_entry.problems(places=2) == []
    last = add_months(first.replace(day=1), length)
    whole = roll_forward(book, first, last)
    window_movement = deferred_movement(entries, first.replace(day=1), last_day(last))
    assert sum((r.closing - r.opening for r in whole), D(0)) == window_movement
    month_by_month = [roll_forward(book, add_months(first.replace(day=1), i), add_months(first.replace(day=1), i))
                      for i in range(length + 1)]
    for before, after in pairwise(month_by_month):
        assert [r.closing for r in before] == [r.opening for r in after]
    if whole:
        assert whole[0].opening == month_by_month[0][0].opening
        assert whole[0].closing == month_by_month[-1][0].closing


@given(st.lists(contracts, min_size=1, max_size=5), policies)
def test_over_a_life_what_is_capitalised_is_amortised_clawed_back_or_impaired(raw, policy):
    for deferred in book_of(raw, policy):
        assert sum((x.amount for x in deferred.schedule), D(0)) == (deferred.commission if deferred.capitalised
                                                                    else 0)
        if deferred.capitalised:
            shares = {x.amount for x in deferred.schedule[1:]}  # the first month may hold a catch-up
            assert not shares or max(shares) - min(shares) <= D("0.01")
        life = roll_forward([deferred], date(2024, 1, 1), date(2036, 12, 1))
        for row in life:
            assert row.opening == row.closing == 0
            assert row.amortised + row.clawed_back + row.impaired == row.capitalised == deferred.commission


@given(st.lists(contracts, min_size=1, max_size=5), policies)
def test_through_payroll_the_entries_tie_to_the_roll_forward_month_by_month(raw, policy):
    book = book_of(raw, policy)
    for payee in sorted({x.payee for x in book}):
        mine = [x for x in book if x.payee == payee]
        entries = [e for x in mine for e in deferred_entries(x, include_accruals=False)]
        for month, line in zip(*_pay_runs(mine), strict=True):
            entries += payment_entries(payee, line.period, last_day(month), line, "USD",
                                       capitalised=capitalised_in(mine, payee, month, "USD"))
        for journal_entry in entries:
            assert journal_entry.problems(places=2) == []
        for month in sorted({e.posted_on.replace(day=1) for e in entries}):
            rows = roll_forward(mine, month, month)
            assert deferred_movement(entries, month, last_day(month)) == sum((r.closing - r.opening for r in rows),
                                                                            D(0))


def _pay_runs(book):
    """One pay period per month a commission was incurred or clawed back: earned and clawbacks posted."""
    earned, clawed = {}, {}
    for x in book:
        earned[x.incurred_month] = earned.get(x.incurred_month, D(0)) + x.commission
        if x.cancellation is not None and x.cancellation.clawed_back:
            clawed[x.cancellation.month] = clawed.get(x.cancellation.month, D(0)) + x.cancellation.clawed_back
    months = sorted(set(earned) | set(clawed))
    dues = [PeriodDue(period_of(m), earned.get(m, D(0)), (("clawbacks", -clawed[m]),) if m in clawed else ())
            for m in months]
    return months, pay_periods(dues)
