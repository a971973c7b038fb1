"""Holds: commission released when the transaction is invoiced or as the customer pays (DOMAIN §3.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.payments.draws import PaymentTermsError
from attain.engine.payments.holds import CommissionLine, HoldPolicy, TransactionEvents, release
from attain.engine.periods import fiscal_periods

D = Decimal
MONTHS = [(p.name, p.start, p.end) for p in fiscal_periods(2026, 1) if p.kind == "month"]
MAR, APR, MAY, JUN, JUL = (MONTHS[i][0] for i in range(2, 7))
INVOICE, PAYMENT = HoldPolicy("invoice"), HoldPolicy("payment")


def figures(month) -> tuple:
    return month.earned, month.held, month.released, month.forfeited, month.balance


def test_held_in_march_released_in_april_when_invoiced():
    # a 10,000 deal at 10% booked in March: 1,000 commission, held until the invoice of 14 April
    lines = [CommissionLine("INV-123", MAR, D(1000))]
    events = {"INV-123": TransactionEvents("INV-123", D(10000), invoiced_on=date(2026, 4, 14))}
    march, april, may = release(INVOICE, lines, events, MONTHS[2:5])
    assert figures(march) == (1000, 1000, 0, 0, 1000)
    assert figures(april) == (0, 0, 1000, 0, 0)
    assert figures(may) == (0, 0, 0, 0, 0) and may.lines == ()
    assert march.explain() == "INV-123: 1,000.00 earned; not invoiced yet: 1,000.00 held"
    assert april.explain() == "INV-123: invoiced on 2026-04-14 → 1,000.00 of 1,000.00 released"


def test_commission_on_a_transaction_already_invoiced_is_released_in_the_month_it_is_earned():
    lines = [CommissionLine("INV-124", MAR, D(1000))]
    events = {"INV-124": TransactionEvents("INV-124", D(10000), invoiced_on=date(2026, 2, 20))}
    (march,) = release(INVOICE, lines, events, MONTHS[2:3])
    assert figures(march) == (1000, 1000, 1000, 0, 0)  # held and released in the same month
    assert march.explain() == "INV-124: 1,000.00 earned; invoiced on 2026-02-20 → 1,000.00 of 1,000.00 released"


def test_payments_release_pro_rata_and_an_overpayment_releases_no_more_than_the_commission():
    # 10,000 at 10% = 1,000 earned in April; paid 3,000 in May (30%), 5,000 in June (80% in all),
    # 3,000 in July (110%, counted as 100%): released 300, 800 − 300 = 500, 1,000 − 800 = 200
    lines = [CommissionLine("INV-200", APR, D(1000))]
    paid = ((date(2026, 5, 10), D(3000)), (date(2026, 6, 12), D(5000)), (date(2026, 7, 3), D(3000)))
    events = {"INV-200": TransactionEvents("INV-200", D(10000), date(2026, 4, 30), paid)}
    april, may, june, july, august = release(PAYMENT, lines, events, MONTHS[3:8])
    assert [m.released for m in (april, may, june, july, august)] == [0, 300, 500, 200, 0]
    assert [m.balance for m in (april, may, june, july, august)] == [1000, 700, 200, 0, 0]
    assert april.explain() == "INV-200: 1,000.00 earned; nothing paid yet: 1,000.00 held"
    assert may.explain() == "INV-200: 30% paid on 2026-05-10 → 300.00 of 1,000.00 released"
    assert june.explain() == "INV-200: 80% paid by 2026-06-12 → 500.00 more released, 800.00 of 1,000.00 in all"
    assert july.explain() == ("INV-200: 110% paid by 2026-07-03 (counted as 100%) → 200.00 more released, "
                              "1,000.00 of 1,000.00 in all")


def test_a_credit_note_reduces_the_hold_first():
    # 1,000 earned in March on 10,000; 4,000 paid in April (40%): 400 released, 600 held.
    # May: a credit note of 2,000 (commission −200) reduces the hold to 400; nothing is taken back.
    # June: the customer pays the 4,000 still owed (8,000 = 80% of 10,000): 800 − 400 = 400 released,
    # 800 in all = the 1,000 earned less the 200 credited.
    lines = [CommissionLine("INV-300", MAR, D(1000)), CommissionLine("INV-300", MAY, D(-200))]
    paid = ((date(2026, 4, 5), D(4000)), (date(2026, 6, 18), D(4000)))
    events = {"INV-300": TransactionEvents("INV-300", D(10000), date(2026, 3, 31), paid)}
    march, april, may, june = release(PAYMENT, lines, events, MONTHS[2:6])
    assert figures(april) == (0, 0, 400, 0, 600)
    assert figures(may) == (-200, -200, 0, 0, 400)
    assert figures(june) == (0, 0, 400, 0, 0)
    assert may.explain() == ("INV-300: credit note -200.00: reduces the hold by 200.00; 40% paid on 2026-04-05: "
                             "400.00 held")


def test_a_credit_note_larger_than_the_hold_takes_back_what_was_released():
    # 1,000 earned in March; 60% paid in April: 600 released, 400 held; May: the whole deal is credited
    # (−1,000): the hold goes to 0 and the other 600 is taken back (a negative release)
    lines = [CommissionLine("INV-301", MAR, D(1000)), CommissionLine("INV-301", MAY, D(-1000))]
    events = {"INV-301": TransactionEvents("INV-301", D(10000), payments=((date(2026, 4, 9), D(6000)),))}
    _, april, may = release(PAYMENT, lines, events, MONTHS[2:5])
    assert figures(april) == (0, 0, 600, 0, 400)
    assert figures(may) == (-1000, -400, -600, 0, 0)
    assert may.explain() == ("INV-301: credit note -1,000.00: reduces the hold by 400.00, takes back 600.00 "
                             "already released")


def test_a_transaction_cancelled_while_held_forfeits_the_hold():
    # 1,000 earned in March; 30% paid in April: 300 released, 700 held; cancelled on 12 May: the 700
    # is forfeited in May (never paid, nothing to claw back); a payment after the cancellation releases
    # nothing. Earned 1,000 = released 300 + held 0 + forfeited 700.
    lines = [CommissionLine("INV-400", MAR, D(1000))]
    paid = ((date(2026, 4, 8), D(3000)), (date(2026, 5, 20), D(2000)))
    events = {"INV-400": TransactionEvents("INV-400", D(10000), date(2026, 3, 31), paid, date(2026, 5, 12))}
    march, april, may, june = release(PAYMENT, lines, events, MONTHS[2:6])
    assert [figures(m) for m in (march, april, may, june)] == [
        (1000, 1000, 0, 0, 1000), (0, 0, 300, 0, 700), (0, 0, 0, 700, 0), (0, 0, 0, 0, 0)]
    assert may.explain() == "INV-400: cancelled on 2026-05-12 → 700.00 still held is forfeited"


def test_a_cancellation_reversed_by_the_engine_takes_the_hold_first_and_a_late_reversal_the_forfeit():
    # INV-401: the reversal (−1,000) comes in the month of the cancellation: hold 700 → 0, and the
    # 300 released is taken back; nothing is forfeited.
    # INV-402: the reversal comes a month after the forfeiture: it reduces what was forfeited (700)
    # and takes back the 300 released.
    paid = ((date(2026, 4, 8), D(3000)),)
    events = {t: TransactionEvents(t, D(10000), date(2026, 3, 31), paid, date(2026, 5, 12))
              for t in ("INV-401", "INV-402")}
    lines = [CommissionLine("INV-401", MAR, D(1000)), CommissionLine("INV-401", MAY, D(-1000)),
             CommissionLine("INV-402", MAR, D(1000)), CommissionLine("INV-402", JUN, D(-1000))]
    may, june = release(PAYMENT, lines, events, MONTHS[2:6])[2:]
    assert [figures(x) for x in may.lines] == [(-1000, -700, -300, 0, 0), (0, 0, 0, 700, 0)]
    assert figures(june) == (-1000, 0, -300, -700, 0)
    assert june.explain() == ("INV-402: credit note -1,000.00: reduces what was forfeited by 700.00, takes back "
                              "300.00 already released")


def test_a_month_without_events_keeps_the_hold_and_says_why():
    lines = [CommissionLine("INV-500", MAR, D("1234.5678")), CommissionLine("INV-501", MAR, D(500))]
    events = {"INV-500": TransactionEvents("INV-500", D("12345.678")),
              "INV-501": TransactionEvents("INV-501", D(5000), invoiced_on=date(2026, 5, 2))}
    march, april, may = release(INVOICE, lines, events, MONTHS[2:5])
    assert figures(april) == (0, 0, 0, 0, D("1734.5678"))  # nothing happened: all still held, precisely
    assert april.explain() == ("INV-500: not invoiced yet: 1,234.57 held\n"
                               "INV-501: not invoiced yet: 500.00 held")
    assert figures(may) == (0, 0, 500, 0, D("1234.5678"))


def test_a_pro_rata_share_keeps_ten_decimal_places_and_says_about_when_it_is_not_exact():
    # 100 commission on 300 paid 100: 100 × 100 ÷ 300 = 33.3333333333 (10 places), 33.33...% shown as about
    lines = [CommissionLine("INV-600", MAR, D(100))]
    events = {"INV-600": TransactionEvents("INV-600", D(300), payments=((date(2026, 3, 9), D(100)),))}
    (march,) = release(PAYMENT, lines, events, MONTHS[2:3])
    assert march.released == D("33.3333333333") and march.balance == D("66.6666666667")
    assert march.explain() == "INV-600: 100.00 earned; about 33.33% paid on 2026-03-09 → 33.33 of 100.00 released"


def test_a_credit_note_with_nothing_held_or_released_is_passed_on():
    (march,) = release(INVOICE, [CommissionLine("CN-7", MAR, D(-50))], {"CN-7": TransactionEvents("CN-7", D(-500))},
                       MONTHS[2:3])
    assert figures(march) == (-50, 0, -50, 0, 0)
    assert march.explain() == "CN-7: credit note -50.00: passes on 50.00 with nothing held or released to reduce"


def test_wrong_terms_and_inputs_are_explained():
    with pytest.raises(PaymentTermsError, match="a hold lasts until 'invoice' or 'payment', not 'booking'"):
        HoldPolicy("booking")
    with pytest.raises(PaymentTermsError, match="no events for transaction INV-9, which has commission in"):
        release(INVOICE, [CommissionLine("INV-9", MAR, D(10))], {}, MONTHS)
    with pytest.raises(PaymentTermsError, match="earned in 'FY2027-M01', which is not one of the months given"):
        release(INVOICE, [CommissionLine("INV-9", "FY2027-M01", D(10))], {}, MONTHS[:2])
    with pytest.raises(PaymentTermsError, match="INV-9 has commission but an amount of 0"):
        release(PAYMENT, [CommissionLine("INV-9", MAR, D(10))], {"INV-9": TransactionEvents("INV-9", D(0))}, MONTHS)
    with pytest.raises(PaymentTermsError, match="the commission on INV-9: 1.5 is a binary float"):
        CommissionLine("INV-9", MAR, 1.5)
    with pytest.raises(PaymentTermsError, match="give the months in order"):
        release(INVOICE, [], {}, [MONTHS[1], MONTHS[0]])


# Properties

IDS = ("T1", "T2", "T3")
days = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 8, 31))
money = st.decimals(min_value=-500, max_value=60000, places=2)
events_of = st.fixed_dictionaries({
    "amount": st.decimals(min_value=1, max_value=50000, places=2),
    "invoiced_on": st.none() | days,
    "payments": st.lists(st.tuples(days, money), max_size=4),
    "cancelled_on": st.none() | days,
})
commission = st.tuples(st.sampled_from(IDS), st.integers(0, 5), st.decimals(min_value=-3000, max_value=5000,
                                                                          places=2))


def _run(policy, raw_lines, raw_events):
    lines = [CommissionLine(t, MONTHS[m][0], amount) for t, m, amount in raw_lines]
    events = {t: TransactionEvents(t, e["amount"], e["invoiced_on"], tuple(e["payments"]), e["cancelled_on"])
              for t, e in zip(IDS, raw_events, strict=True)}
    return lines, events, release(policy, lines, events, MONTHS[:6])


@given(st.sampled_from(("invoice", "payment")), st.lists(commission, max_size=8), st.tuples(*[events_of] * 3))
def test_earned_to_date_is_released_plus_held_plus_forfeited_every_month(until, raw_lines, raw_events):
    lines, _, months = _run(HoldPolicy(until), raw_lines, raw_events)
    totals = {t: [D(0)] * 3 for t in IDS}  # earned, released, forfeited to date
    earned = released = forfeited = balance = D(0)
    for month in months:
        earned, released, forfeited = earned + month.earned, released + month.released, forfeited + month.forfeited
        assert earned == released + month.balance + forfeited
        assert month.balance - balance == month.earned - month.released - month.forfeited
        balance = month.balance
        for line in month.lines:
            to_date = totals[line.transaction]
            to_date[:] = [to_date[0] + line.earned, to_date[1] + line.released, to_date[2] + line.forfeited]
            assert to_date[0] == to_date[1] + line.balance + to_date[2]
            assert line.balance >= 0 and to_date[2] >= 0


@given(st.sampled_from(("invoice", "payment")), st.lists(commission, max_size=8), st.tuples(*[events_of] * 3))
def test_the_release_never_exceeds_the_commission_and_is_negative_only_for_a_credit_note(until, raw_lines,
                                                                                        raw_events):
    lines, _, months = _run(HoldPolicy(until), raw_lines, raw_events)
    released, positive = dict.fromkeys(IDS, D(0)), dict.fromkeys(IDS, D(0))
    for index, month in enumerate(months):
        credited = {x.transaction for x in lines if x.month == MONTHS[index][0] and x.amount < 0}
        for line in month.lines:
            released[line.transaction] += line.released
            positive[line.transaction] += sum(x.amount for x in lines if x.transaction == line.transaction
                                              and x.month == month.month and x.amount > 0)
            assert released[line.transaction] <= positive[line.transaction]
            assert line.released >= 0 or line.transaction in credited


@given(st.sampled_from(("invoice", "payment")), st.lists(commission, max_size=8), st.tuples(*[events_of] * 3),
       st.randoms(use_true_random=False))
def test_the_order_of_payments_does_not_matter(until, raw_lines, raw_events, random):
    _, _, months = _run(HoldPolicy(until), raw_lines, raw_events)
    for raw in raw_events:
        random.shuffle(raw["payments"])
    assert _run(HoldPolicy(until), raw_lines, raw_events)[2] == months
