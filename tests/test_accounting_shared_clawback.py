"""One clawback, several capitalised commissions (ASC 340-40): a payee paid commission on one contract in two months
has two schedules, and the credit note that cancels the contract takes the commission back once. The clawback is
shared oldest first, each up to the asset it still has; the newest takes the rest (docs/accounting.md).

The case, by hand: a 36-month contract from 1 January 2026; 600 paid in January (16.67 a month for 24 months, then
16.66) and 300 in February (8.34 a month for 12 months, then 8.33; January's share caught up in February).
Cancelled on 10 June, June amortised: the January schedule has 600 − 6 × 16.67 = 499.98 left, the February one
300 − 6 × 8.34 = 249.96; 749.94 in all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.accounting import (
    AccountingError,
    CapitalisationPolicy,
    capitalise,
    deferred_entries,
    impair,
    impair_together,
    remaining_on,
    roll_forward,
    share_clawback,
)

D = Decimal
EXPENSE, ACCRUED, DEFERRED = "6100", "2110", "1610"
CANCELLED = date(2026, 6, 10)


def paid_twice(payee: str = "E-1"):
    """The January and February commissions on the 36-month contract C-3Y, each its own schedule."""
    january = capitalise("C-3Y/E-1/2026-01", payee, D(600), "USD", date(2026, 1, 1), 36, incurred_on=date(2026, 1, 31))
    february = capitalise("C-3Y/E-1/2026-02", "E-1", D(300), "USD", date(2026, 1, 1), 36,
                          incurred_on=date(2026, 2, 28))
    return january, february


def figures(made):
    return [(x.cancellation.remaining, x.cancellation.clawed_back, x.cancellation.from_asset,
             x.cancellation.expense_reversed, x.cancellation.impaired) for x in made]


def movement(entries, account):
    return sum((x.debit - x.credit for e in entries for x in e.lines if x.account_code == account), D(0))


def test_what_each_schedule_has_left_at_the_cancellation():
    january, february = paid_twice()
    assert [x.amount for x in january.schedule[:6]] == [D("16.67")] * 6
    assert [(x.month.month, x.amount) for x in february.schedule[:5]] == [
        (2, D("16.68")), (3, D("8.34")), (4, D("8.34")), (5, D("8.34")), (6, D("8.34"))]
    assert (remaining_on(january, CANCELLED), remaining_on(february, CANCELLED)) == (D("499.98"), D("249.96"))


def test_a_full_clawback_of_900_is_counted_once_and_reverses_expense_beyond_the_assets_left():
    made = impair_together(paid_twice(), CANCELLED, D(900))
    # January takes all it has left (499.98); February the rest, 400.02: 249.96 from its asset, 150.06 of expense
    # already amortised reversed (the 900 less the 749.94 left)
    assert figures(made) == [(D("499.98"), D("499.98"), D("499.98"), D(0), D(0)),
                             (D("249.96"), D("400.02"), D("249.96"), D("150.06"), D(0))]
    [row] = roll_forward(made, date(2026, 1, 1), date(2026, 6, 30))
    assert (row.capitalised, row.amortised, row.clawed_back, row.impaired, row.closing) == (
        D(900), D("150.06"), D("749.94"), D(0), D(0))
    june = [e for x in made for e in deferred_entries(x) if e.period == "2026-06"]
    # the clawback debits accrued commissions 900 once (given whole to each it was 1,800)
    assert movement(june, ACCRUED) == D(900)
    assert movement(june, DEFERRED) == D("-774.95")  # 749.94 clawed back + June's 16.67 + 8.34 amortised
    assert movement(june, EXPENSE) == D("-125.05")  # 150.06 reversed, 25.01 amortised
    assert all(e.problems() == [] for e in june)


def test_a_partial_clawback_of_600_leaves_the_rest_of_the_newest_impaired():
    made = impair_together(paid_twice(), CANCELLED, D(600))
    assert figures(made) == [(D("499.98"), D("499.98"), D("499.98"), D(0), D(0)),
                             (D("249.96"), D("100.02"), D("100.02"), D(0), D("149.94"))]
    [row] = roll_forward(made, date(2026, 1, 1), date(2026, 6, 30))
    assert (row.clawed_back, row.impaired, row.closing) == (D(600), D("149.94"), D(0))
    june = [e for x in made for e in deferred_entries(x) if e.period == "2026-06"]
    assert movement(june, ACCRUED) == D(600)
    assert movement(june, EXPENSE) == D("174.95")  # 149.94 impaired, 25.01 amortised


def test_a_clawback_smaller_than_the_oldest_asset_leaves_the_newer_schedules_wholly_impaired():
    made = impair_together(paid_twice(), CANCELLED, D(300))
    assert figures(made) == [(D("499.98"), D(300), D(300), D(0), D("199.98")),
                             (D("249.96"), D(0), D(0), D(0), D("249.96"))]
    assert figures(impair_together(paid_twice(), CANCELLED)) == [
        (D("499.98"), D(0), D(0), D(0), D("499.98")), (D("249.96"), D(0), D(0), D(0), D("249.96"))]


def test_the_oldest_comes_first_whatever_the_order_given_and_the_result_keeps_it():
    january, february = paid_twice()
    assert share_clawback([february, january], CANCELLED, D(600)) == (D("100.02"), D("499.98"))
    assert [x.contract_id for x in impair_together([february, january], CANCELLED, D(600))] == [
        "C-3Y/E-1/2026-02", "C-3Y/E-1/2026-01"]


def test_one_schedule_is_impair():
    january, _ = paid_twice()
    for pool in (D(0), D(300), D(900)):
        assert impair_together([january], CANCELLED, pool) == (impair(january, CANCELLED, pool),)


def test_a_clawback_is_rounded_once_and_the_shares_add_up_to_it():
    assert sum(share_clawback(paid_twice(), CANCELLED, D("516.666666")), D(0)) == D("516.67")


def test_mistakes_are_reported_with_what_to_do():
    january, february = paid_twice()
    with pytest.raises(AccountingError, match="none given"):
        share_clawback([], CANCELLED, D(1))
    with pytest.raises(AccountingError, match="only among one payee's commissions"):
        share_clawback([paid_twice("E-2")[0], february], CANCELLED, D(1))
    with pytest.raises(AccountingError, match="positive number"):
        share_clawback([january, february], CANCELLED, D(-900))
    with pytest.raises(AccountingError, match="cancelled once"):
        impair_together([impair(january, CANCELLED), february], CANCELLED, D(900))


@given(st.lists(st.integers(1, 100_000), min_size=1, max_size=4), st.integers(0, 200_000), st.integers(0, 40),
       st.integers(0, 3))
def test_the_clawback_is_counted_once_and_the_assets_written_off_exactly(cents, pool_cents, cancelled_after, late):
    made = [capitalise(f"C/P/{i}", "P", D(x) / 100, "USD", date(2026, 1, 1), 36, CapitalisationPolicy(),
                       incurred_on=date(2026, 1 + min(i, late), 15)) for i, x in enumerate(cents)]
    cancelled_on = date(2026 + (3 + cancelled_after) // 12, (3 + cancelled_after) % 12 + 1, 3)  # April or later
    pool = D(pool_cents) / 100
    done = impair_together(made, cancelled_on, pool)
    left = sum((x.cancellation.remaining for x in done), D(0))
    assert sum((x.cancellation.clawed_back for x in done), D(0)) == pool
    assert sum((x.cancellation.from_asset for x in done), D(0)) == min(pool, left)
    assert sum((x.cancellation.impaired for x in done), D(0)) == max(left - pool, D(0))
    assert all(x.cancellation.clawed_back >= 0 and x.cancellation.impaired >= 0 for x in done)
