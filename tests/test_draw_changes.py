"""A participant's draw changes during the year: agreements one after another, prorated by days, one balance.

The cases, worked by hand (30-day April; both ends of a span counted):

1. SDR draw 2,000 (recoverable) until 15 April, AE draw 4,000 (recoverable, recovery from June, at most 500 a
   month) from 16 April. April: 2,000 × 15/30 + 4,000 × 15/30 = 3,000. What was owed under the SDR draw is
   recovered under the AE draw, from June, 500 a month.
2. The same with a leave 10–19 April: the SDR draw pays 1–9 April (9 days), the AE draw 20–30 April (11
   days): (2,000 × 9 + 4,000 × 11) / 30 = 2,066.67.
3. The same, terminated on 24 April: 2,000 × 15/30 + 4,000 × 9/30 = 2,200; the AE draw forgives at the end:
   the whole balance (3,000 carried from the SDR draw + 1,700) is forgiven.
4. Recoverable 3,000 until 10 April, then a non-recoverable 6,000 guarantee: April 3,000 × 10/30 + 6,000 ×
   20/30 = 5,000, of which 1,000 recoverable; earned 2,000, the shortfall 3,000 splits pro rata to the
   prorated amounts: 3,000 × 1,000/5,000 = 600 owed, 2,400 a guarantee. May recovers the 2,600 from
   earnings above the guarantee.
5. The SDR draw forgives at its end (15 April): what is owed then (3,000 + its share of April's shortfall,
   2,000 × 1,000/3,000) is forgiven; the AE draw's share, 2,000 × 2,000/3,000 = 1,333.33, stays owed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from attain.apps.org.models import LeaveOfAbsence
from attain.apps.payments.models import DrawAgreement
from attain.apps.payments.services import PaymentError, pay_period
from attain.apps.sales.models import Transaction
from attain.engine.money import round_money
from attain.engine.payments import Draw, PaymentTermsError, PeriodDue, pay_periods
from tests import factories as f
from tests.test_payments_service import FLAT

N = Decimal
MONTHS = [f"FY2026-M{m:02d}" for m in range(1, 13)]
APR = "FY2026-M04"
THIRD = N(1) / 3  # a third, to 28 digits


def dues(*earned, start: int = 0, **more) -> list[PeriodDue]:
    return [PeriodDue(MONTHS[start + i], N(e), **more.get(MONTHS[start + i], {})) for i, e in enumerate(earned)]


def sdr_then_ae(sdr_days=15, ae_days=15, **ae) -> tuple[Draw, Draw]:
    """2,000 until 15 April, 4,000 from 16 April (in April: the days each pays for, of 30)."""
    return (Draw(N(2000), True, valid_to=APR, days_paid=((APR, sdr_days, 30),), name="the SDR draw"),
            Draw(N(4000), True, valid_from=APR, days_paid=((APR, ae_days, 30),), name="the AE draw", **ae))


# ------------------------------------------------------------------------------------------- engine

def test_a_draw_changing_on_16_april_counts_each_for_its_days_and_recovers_under_the_next():
    draws = sdr_then_ae(recovery_from="FY2026-M06", max_recovery=N(500))
    lines = pay_periods(dues(1000, 2500, 1500, 1000, 5000, 6000, 6000), draws)
    # Jan: 2,000 − 1,000 owed; Feb: 500 above the draw recovers 500 (SDR terms: at once); Mar: 500 more owed;
    # Apr: 3,000 − 1,000 = 2,000 owed (3,000); May: the AE draw recovers from June only: 5,000 paid;
    # Jun and Jul: 500 recovered each (the AE draw's maximum)
    assert [(x.paid, x.draw_owed) for x in lines] == [(2000, 1000), (2000, 500), (2000, 1000), (3000, 3000),
                                                      (5000, 3000), (5500, 2500), (5500, 2000)]
    assert lines[3].explain() == ("earned 1,000.00; draw 2,000.00 × 15/30 days + 4,000.00 × 15/30 days = 3,000.00 "
                                  "adds 2,000.00; pay 3,000.00")
    assert (lines[3].draw_top_up, lines[3].draw_advanced) == (2000, 2000)


def test_a_leave_inside_the_month_of_the_change_takes_its_days_from_each_draw():
    lines = pay_periods(dues(2000, 2000, 2000, 1000), sdr_then_ae(sdr_days=9, ae_days=11))
    april = lines[3]
    assert april.precise == N(62000) / 30 and april.paid == N("2066.67")
    assert april.draw_owed == N(62000) / 30 - 1000
    assert april.explain() == ("earned 1,000.00; draw 2,000.00 × 9/30 days + 4,000.00 × 11/30 days = 2,066.67 "
                               "adds 1,066.67; pay 2,066.67")


def test_a_termination_after_the_change_forgives_the_whole_balance_when_the_draw_in_force_says_so():
    leaving = {APR: {"terminated": True}}
    lines = pay_periods(dues(1000, 1000, 1000, 500, **leaving), sdr_then_ae(ae_days=9))
    assert (lines[3].paid, lines[3].draw_owed, lines[3].forgiven) == (2200, 4700, 0)
    assert lines[3].report == "left at termination: 0.00 owed and 4,700.00 of the draw; collect or write off"
    forgiving = pay_periods(dues(1000, 1000, 1000, 500, **leaving), sdr_then_ae(ae_days=9, forgive_at_end=True))
    assert (forgiving[3].paid, forgiving[3].draw_owed, forgiving[3].forgiven, forgiving[3].report) == (
        2200, 0, 4700, "")
    assert forgiving[3].explain() == ("earned 500.00; draw 2,000.00 × 15/30 days + 4,000.00 × 9/30 days = 2,200.00 "
                                      "adds 1,700.00; the draw balance 4,700.00 is forgiven; pay 2,200.00")


def test_from_a_recoverable_draw_to_a_guarantee_the_shortfall_splits_pro_rata():
    draws = (Draw(N(3000), True, valid_to=APR, days_paid=((APR, 10, 30),)),
             Draw(N(6000), False, valid_from=APR, days_paid=((APR, 20, 30),)))
    lines = pay_periods(dues(1000, 2000, 9000, start=2), draws)
    march, april, may = lines
    assert (march.paid, march.draw_owed) == (3000, 2000)
    assert (april.paid, april.draw_top_up, april.draw_advanced, april.draw_owed) == (5000, 3000, 600, 2600)
    assert april.explain() == ("earned 2,000.00; draw 3,000.00 × 10/30 days + 6,000.00 × 20/30 days = 5,000.00 adds "
                               "3,000.00 (600.00 recoverable, owed; 2,400.00 not); pay 5,000.00")
    assert (may.paid, may.recovered_draw, may.draw_owed) == (6400, 2600, 0)  # 9,000 − 6,000 = 3,000 recovers 2,600


def test_a_draw_that_forgives_at_its_end_mid_month_keeps_what_the_next_draw_advanced():
    sdr, ae = sdr_then_ae()
    sdr = Draw(sdr.amount, True, valid_to=APR, days_paid=sdr.days_paid, forgive_at_end=True)
    april = pay_periods(dues(1000, 1000, 1000, 1000), (sdr, ae))[3]
    kept = 2000 * 2 * THIRD  # the AE draw's share of April's 2,000 shortfall: 4,000 × 15 of 90,000
    assert april.draw_owed == kept and round_money(kept) == N("1333.33")
    assert april.forgiven == 3000 + 2000 - kept and april.paid == 3000
    assert april.explain() == ("earned 1,000.00; draw 2,000.00 × 15/30 days + 4,000.00 × 15/30 days = 3,000.00 adds "
                               "2,000.00; the draw balance 3,666.67 is forgiven (1,333.33 advanced by the next draw "
                               "stays owed); pay 3,000.00")


def test_draws_that_overlap_are_refused():
    whole = Draw(N(2000), True, valid_to=APR)
    with pytest.raises(PaymentTermsError, match="the draw of 2,000.00 from the first period and the AE draw overlap: "
                                                "a payee's draws follow one another"):
        pay_periods(dues(0, 0, 0, 0), (whole, sdr_then_ae()[1]))
    with pytest.raises(PaymentTermsError, match=r"the SDR draw and the AE draw overlap.*\(in FY2026-M04, which they "
                                                r"share, give each the days it pays for\)"):
        pay_periods(dues(0, 0, 0, 0), sdr_then_ae(sdr_days=16))
    with pytest.raises(PaymentTermsError, match="the SDR draw pays 9 of 30 days in 'FY2026-M05'"):
        pay_periods(dues(0, 0, 0, 0, 0), (Draw(N(2000), True, valid_to=APR, days_paid=(("FY2026-M05", 9, 30),),
                                               name="the SDR draw"),))


# ---------------------------------------------------------------------------------------- properties

amounts = st.decimals(min_value=-5000, max_value=20000, places=2)
month_days = {0: 31, 1: 28, 2: 31, 3: 30, 4: 31, 5: 30}


@given(st.lists(amounts, min_size=6, max_size=6), st.integers(0, 5), st.data(), st.booleans(), st.booleans(),
       st.sampled_from([None, N(500)]))
def test_a_draw_split_in_two_on_any_day_pays_exactly_as_one(earned, month, data, recoverable, forgive, most):
    days = month_days[month]
    cut = data.draw(st.integers(0, days))
    terms = {"recovery_from": MONTHS[2], "max_recovery": most}
    one = Draw(N(3000), recoverable, forgive_at_end=forgive, valid_to=MONTHS[5], **terms)
    split = (Draw(N(3000), recoverable, valid_to=MONTHS[month], days_paid=((MONTHS[month], cut, days),), **terms),
             Draw(N(3000), recoverable, valid_from=MONTHS[month], valid_to=MONTHS[5], forgive_at_end=forgive,
                  days_paid=((MONTHS[month], days - cut, days),), **terms))
    periods = [PeriodDue(MONTHS[i], e) for i, e in enumerate(earned)]
    assert pay_periods(periods, split) == pay_periods(periods, one)  # every amount, to the last digit


@given(st.lists(amounts, min_size=6, max_size=6), st.integers(0, 5), st.data(), st.booleans(), st.booleans(),
       st.booleans(), st.booleans())
def test_with_two_draws_what_is_paid_and_owed_reconciles(earned, month, data, first_recoverable, second_recoverable,
                                                         forgive, leaving):
    days = month_days[month]
    cut = data.draw(st.integers(0, days))
    draws = (Draw(N(2000), first_recoverable, valid_to=MONTHS[month], forgive_at_end=forgive,
                  days_paid=((MONTHS[month], cut, days),)),
             Draw(N("4000.01"), second_recoverable, valid_from=MONTHS[month], max_recovery=N(700),
                  days_paid=((MONTHS[month], days - cut, days),)))
    lines = pay_periods([PeriodDue(MONTHS[i], e, terminated=leaving and i == 5) for i, e in enumerate(earned)], draws)
    guarantee = sum((x.draw_top_up - x.draw_advanced for x in lines), N(0))
    forgiven = sum((x.forgiven for x in lines), N(0))
    last = lines[-1]
    exact = N("1e-20")  # days in a 31-day month: amounts exact to 28 digits
    assert abs(sum(x.precise for x in lines) - last.owed - last.draw_owed - sum(earned) - guarantee - forgiven) < exact
    draw_owed = N(0)
    for x in lines:
        assert 0 <= x.draw_advanced <= x.draw_top_up and x.forgiven >= 0 and x.paid >= 0
        if first_recoverable == second_recoverable:
            assert x.draw_advanced == (x.draw_top_up if first_recoverable else 0)
        draw_owed += x.draw_advanced - x.recovered_draw - x.forgiven
        assert abs(draw_owed - x.draw_owed) < exact


# ----------------------------------------------------------------------------------------- database

@pytest.fixture
def rep():
    """E-1 on 10% of bookings since 2025 (USD); an SDR draw until 15 April, an AE draw from 16 April."""
    person = f.seated("FLAT", FLAT, 48000)
    DrawAgreement.objects.create(participant=person, amount=N(2000), currency_id="USD", recoverable=True,
                                 valid_from=date(2026, 1, 1), valid_to=date(2026, 4, 15), note="SDR")
    DrawAgreement.objects.create(participant=person, amount=N(4000), currency_id="USD", recoverable=True,
                                 valid_from=date(2026, 4, 16), recovery_from=date(2026, 6, 1), max_recovery=N(500),
                                 note="AE")
    return person


def earn(*amounts) -> None:
    """Bookings earning `amounts` (10%) on the 10th of January, February, …"""
    for month, amount in enumerate(amounts, start=1):
        if not amount:
            continue
        Transaction.objects.create(external_id=f"T-{month}", booked_date=date(2026, month, 10), account=f.account(
            f"ACC-{month}"), amount=N(amount) * 10, currency_id="USD", owner_position=f.position("AE-1"))


def pay(months: int) -> list:
    return [p for m in range(1, months + 1) for p in f.calculate_and_pay(f"FY2026-M{m:02d}").payments.all()]


@pytest.mark.django_db
def test_the_transfer_on_16_april_is_paid_month_by_month(rep):
    earn(1000, 2500, 1500, 1000, 5000, 6000)
    paid = pay(6)
    assert [(p.period.name[-3:], p.paid, p.draw_owed) for p in paid] == [
        ("M01", 2000, 1000), ("M02", 2000, 500), ("M03", 2000, 1000), ("M04", 3000, 3000), ("M05", 5000, 3000),
        ("M06", 5500, 2500)]
    assert paid[3].explanation == ("earned 1,000.00; draw 2,000.00 × 15/30 days + 4,000.00 × 15/30 days = "
                                   "3,000.00 adds 2,000.00; pay 3,000.00")


@pytest.mark.django_db
def test_a_leave_and_a_termination_in_the_month_of_the_change(rep):
    LeaveOfAbsence.objects.create(participant=rep, start_date=date(2026, 4, 10), end_date=date(2026, 4, 19))
    earn(2000, 2000, 2000, 1000)
    april = pay(4)[-1]
    assert (april.paid, round_money(april.draw_owed)) == (N("2066.67"), N("1066.67"))
    assert "draw 2,000.00 × 9/30 days + 4,000.00 × 11/30 days = 2,066.67 adds 1,066.67" in april.explanation


@pytest.mark.django_db
def test_a_termination_after_the_change_reports_the_balance_carried_across_agreements(rep):
    rep.termination_date = date(2026, 4, 24)
    rep.save()
    earn(1000, 1000, 1000, 500)
    april = pay(4)[-1]
    assert (april.paid, april.draw_owed) == (2200, 4700)
    assert "draw 2,000.00 × 15/30 days + 4,000.00 × 9/30 days = 2,200.00 adds 1,700.00" in april.explanation
    assert april.run.reports == [f"{rep}: left at termination: 0.00 owed and 4,700.00 of the draw; collect or "
                                 "write off"]


@pytest.mark.django_db
def test_statement_payroll_and_journal_agree_after_a_change_to_a_guarantee():
    from attain.apps.core.models import Period
    from attain.apps.payments.exports import journal_entries, payroll_rows
    from attain.apps.payments.statements import statement

    person = f.seated("FLAT", FLAT, 48000)
    person.pay_group = "US-MONTHLY"
    person.save()
    DrawAgreement.objects.create(participant=person, amount=N(3000), currency_id="USD", recoverable=True,
                                 valid_from=date(2026, 3, 1), valid_to=date(2026, 4, 10))
    DrawAgreement.objects.create(participant=person, amount=N(6000), currency_id="USD", recoverable=False,
                                 valid_from=date(2026, 4, 11))
    earn(0, 0, 1000, 2000, 9000)
    paid = pay(5)
    assert [(p.paid, p.draw_top_up, p.draw_advanced, p.draw_owed) for p in paid] == [
        (3000, 2000, 2000, 2000), (5000, 3000, 600, 2600), (6400, 0, 0, 0)]
    for p in paid:
        period = p.period
        payroll = {row.employee_id: row.amount for row in payroll_rows(period, period.end_date)}
        entries = journal_entries(period.name)
        assert all(entry.problems() == [] for entry in entries)
        payable = sum((line.credit - line.debit for entry in entries for line in entry.lines
                       if line.account_code == "2120"), N(0))
        assert payroll["E-1"] == statement("E-1", period.name).paid == payable == p.paid
    assert Period.objects.get(name="FY2026-M05").state == "paid"


@pytest.mark.django_db
def test_overlapping_agreements_are_refused_when_saved_and_when_paid(rep):
    ae = DrawAgreement.objects.get(note="AE")
    overlapping = DrawAgreement(participant=rep, amount=N(1000), currency_id="USD", recoverable=False,
                                valid_from=date(2026, 4, 1), valid_to=date(2026, 4, 30))
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    sdr = DrawAgreement.objects.get(note="SDR")
    assert refused.value.message_dict["valid_from"] == [
        f"{rep} has overlapping draw agreements: draw agreement {sdr.pk} (2,000.00 USD, 2026-01-01 to 2026-04-15) and "
        "draw agreement (new) (1,000.00 USD, 2026-04-01 to 2026-04-30); a participant's draws follow one another: end "
        "the first on 2026-03-31 (the day before the second starts) or earlier, or start the second after the "
        "first ends"]
    ae.valid_from = date(2026, 4, 15)  # shares 15 April with the SDR draw
    with pytest.raises(ValidationError, match="end the first on 2026-04-14"):
        ae.full_clean()
    # saved past the form's check (e.g. by an import), overlapping in January: the payment refuses the month
    DrawAgreement.objects.filter(pk=ae.pk).update(valid_from=date(2026, 1, 20))
    earn(1000)
    from attain.apps.calc.services import calculate_period

    calculate_period("FY2026-M01")
    f.approve("FY2026-M01")
    with pytest.raises(PaymentError, match=rf"draw agreement {sdr.pk} \(2,000.00 USD, 2026-01-01 to 2026-04-15\) and "
                                           rf"draw agreement {ae.pk} \(4,000.00 USD, 2026-01-20 to open\).*end the "
                                           "first on 2026-01-19"):
        pay_period("FY2026-M01")
    DrawAgreement.objects.filter(pk=ae.pk).update(valid_from=date(2026, 4, 16))
    assert pay_period("FY2026-M01").payments.get().paid == 2000
