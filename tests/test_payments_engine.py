"""Payments from earnings: draws (DOMAIN E4), a negative balance after a clawback (E5), recovery, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.payments import Draw, Opening, PaymentTermsError, PeriodDue, pay_periods

D = Decimal
MONTHS = [f"FY2026-M{m:02d}" for m in range(1, 13)]


def dues(*earned, **adjust) -> list[PeriodDue]:
    return [PeriodDue(MONTHS[i], D(e), adjust.get(MONTHS[i].replace("FY2026-", "").lower(), ()))
            for i, e in enumerate(earned)]


def test_e4_a_recoverable_draw():
    lines = pay_periods(dues(1500, 3000, 9000, 2000), Draw(D(4000), recoverable=True))
    assert [(x.paid, x.draw_owed) for x in lines] == [(4000, 2500), (4000, 3500), (5500, 0), (4000, 2000)]
    assert lines[2].explain() == ("earned 9,000.00; recovers 3,500.00 of the draw (left 0.00); pay 5,500.00")


def test_e4_a_non_recoverable_draw():
    lines = pay_periods(dues(1500, 3000, 9000, 2000), Draw(D(4000), recoverable=False))
    assert [(x.paid, x.draw_owed) for x in lines] == [(4000, 0), (4000, 0), (9000, 0), (4000, 0)]
    assert lines[0].explain() == "earned 1,500.00; draw 4,000.00 adds 2,500.00; pay 4,000.00"


def test_e5_a_clawback_larger_than_the_month_is_owed_and_recovered_later():
    lines = pay_periods(dues(8000, 2000, 3000, m02=(("clawback T-1", D(-4500)),)))
    # Jan 8,000; Feb 2,000 − 4,500 = −2,500: pay 0, owed 2,500; Mar 3,000 − 2,500 recovered = 500
    assert [(x.paid, x.owed) for x in lines] == [(8000, 0), (0, 2500), (500, 0)]
    assert lines[1].explain() == "earned 2,000.00; clawback T-1 -4,500.00; 2,500.00 below zero is owed; pay 0.00"


def test_recovery_can_start_late_and_be_limited_per_period():
    draw = Draw(D(4000), recoverable=True, valid_to="FY2026-M02", recovery_from="FY2026-M04", max_recovery=D(1000))
    lines = pay_periods(dues(1000, 1000, 9000, 9000, 9000), draw)
    # shortfalls 3,000 + 3,000 = 6,000; Mar: the draw has ended, recovery not started: 9,000 paid;
    # Apr and May recover 1,000 each
    assert [(x.paid, x.draw_owed) for x in lines] == [(4000, 3000), (4000, 6000), (9000, 6000), (8000, 5000),
                                                      (8000, 4000)]


def test_a_negative_balance_is_recovered_up_to_its_cap():
    lines = pay_periods(dues(-3000, 1000, 5000), recovery_cap=D(800))
    assert [(x.paid, x.owed) for x in lines] == [(0, 3000), (200, 2200), (4200, 1400)]


def test_a_draw_balance_is_forgiven_at_the_end_and_balances_at_termination_are_reported():
    draw = Draw(D(4000), recoverable=True, valid_to="FY2026-M02", forgive_at_end=True)
    lines = pay_periods(dues(1000, 1000, 500), draw)
    assert [(x.paid, x.forgiven, x.draw_owed) for x in lines] == [(4000, 0, 3000), (4000, 6000, 0), (500, 0, 0)]
    leaving = [*dues(1000, -700)[:1], PeriodDue(MONTHS[1], D(-700), terminated=True)]
    assert pay_periods(leaving)[1].report == ("left at termination: 700.00 owed and 0.00 of the draw; collect or "
                                              "write off")


def test_rounding_happens_once_and_the_difference_is_carried():
    lines = pay_periods([PeriodDue(m, D("33.335")) for m in MONTHS[:3]])
    assert [x.paid for x in lines] == [D("33.34"), D("33.33"), D("33.34")]  # 100.01 in all (DOMAIN E7)
    assert lines[1].explain() == "earned 33.34; pay 33.33 (33.335, less 0.005 paid earlier by rounding up)"
    tiny = pay_periods([PeriodDue(MONTHS[0], D("0.004")), PeriodDue(MONTHS[1], D("-0.004"))])
    assert [str(x.paid) for x in tiny] == ["0.00", "0.00"]  # never "-0.00"


def test_draw_terms_are_checked():
    with pytest.raises(PaymentTermsError, match="a draw has no field 'amout'"):
        Draw.load({"amout": 4000, "recoverable": True})
    with pytest.raises(PaymentTermsError, match="recovery_from 'FY2027-M01' is not one of the periods paid"):
        pay_periods(dues(1000), Draw(D(4000), True, recovery_from="FY2027-M01"))
    assert Draw.load({"amount": "4000", "recoverable": False}) == Draw(D(4000), False)


amounts = st.decimals(min_value=-20000, max_value=20000, places=4)


@given(st.lists(amounts, min_size=1, max_size=12), st.booleans(), st.integers(0, 11), st.booleans())
def test_what_is_paid_and_owed_reconciles_with_what_was_earned(earned, recoverable, end, forgive):
    draw = Draw(D(3000), recoverable, valid_to=MONTHS[min(end, len(earned) - 1)], forgive_at_end=forgive)
    lines = pay_periods([PeriodDue(MONTHS[i], e) for i, e in enumerate(earned)], draw)
    last = lines[-1]
    free = sum((x.draw_top_up for x in lines), D(0)) if not recoverable else D(0)
    forgiven = sum((x.forgiven for x in lines), D(0))
    assert sum(x.precise for x in lines) - last.owed - last.draw_owed == sum(earned) + free + forgiven
    assert abs(sum(x.paid for x in lines) - sum(x.precise for x in lines)) <= D("0.005")
    order = {m: i for i, m in enumerate(MONTHS)}
    for x in lines:  # never below the draw while it is active, never negative
        assert x.precise >= (D(3000) if draw.active(x.period, order) else 0)
        assert x.paid >= 0


def test_e5_clawback_full_and_pro_rata():
    from datetime import date

    from attain.engine.payments.clawbacks import ClawbackPolicy, clawback
    booked, cancelled = date(2026, 3, 10), date(2026, 6, 20)
    assert clawback(ClawbackPolicy(180, "full"), D(6000), booked, cancelled, 12).amount == -6000
    pro_rata = clawback(ClawbackPolicy(180, "pro_rata"), D(6000), booked, cancelled, 12)
    assert pro_rata.amount == -4500
    assert pro_rata.text == ("cancelled after 3 of 12 months, inside the 180-day window: 6,000.00 × 9/12 = "
                             "4,500.00 taken back")
    assert clawback(ClawbackPolicy(90, "full"), D(6000), booked, cancelled, 12) is None  # 102 days: outside


@given(st.lists(amounts, min_size=1, max_size=12), st.booleans(), st.integers(0, 11), st.booleans())
def test_each_line_says_how_the_balances_moved(earned, recoverable, end, forgive):
    draw = Draw(D(3000), recoverable, valid_to=MONTHS[min(end, len(earned) - 1)], forgive_at_end=forgive)
    owed = draw_owed = D(0)
    for x in pay_periods([PeriodDue(MONTHS[i], e) for i, e in enumerate(earned)], draw):
        assert x.recovered == x.recovered_owed + x.recovered_draw
        assert x.became_owed == max(-(x.earned + x.adjustments), D(0))
        assert x.draw_advanced == (x.draw_top_up if recoverable else 0)
        owed += x.became_owed - x.recovered_owed
        draw_owed += x.draw_advanced - x.recovered_draw - x.forgiven
        assert (owed, draw_owed) == (x.owed, x.draw_owed)


def test_a_half_unit_paid_earlier_is_not_taken_back_from_a_period_with_nothing_to_pay():
    lines = pay_periods([PeriodDue(MONTHS[0], D("107.445")), PeriodDue(MONTHS[1], D(0)),
                         PeriodDue(MONTHS[2], D("10.005"))])
    # 107.445 → 107.45 (0.005 paid ahead); nothing to pay: 0.00, not -0.01; 10.005 − 0.005 → 10.00
    assert [str(x.paid) for x in lines] == ["107.45", "0.00", "10.00"]


def test_balances_brought_forward_from_last_year_are_recovered_and_the_rounding_carried_on():
    """Last year ended with 2,500 owed, 1,200 of a draw owed and half a cent held back by rounding down."""
    opening = Opening(owed=D(2500), draw_owed=D(1200), residue=D("0.005"))
    draw = Draw(D(1000), recoverable=True, max_recovery=D(600))
    lines = pay_periods(dues("1800.001", 5000), draw, recovery_cap=D(1000), opening=opening)
    # Jan: 1,800.001 − the draw 1,000 leaves 800.001 to recover: all of it from the 2,500 owed (cap 1,000);
    # pay 1,000 + 0.005 carried → 1,000.01 (−0.005 carried on)
    # Feb: 5,000 − 1,000 = 4,000 above the draw: 1,000 owed (its cap), then 600 of the draw (its max); pay 3,400
    # less the 0.005 paid earlier = 3,399.995 → 3,400.00 (half up)
    assert [(x.paid, x.owed, x.draw_owed) for x in lines] == [
        (D("1000.01"), D("1699.999"), 1200), (D("3400.00"), D("699.999"), 600)]
    assert lines[0].explain() == ("brought forward: 2,500.00 owed and 1,200.00 of the draw owed; earned 1,800.00; "
                                  "recovers 800.00 owed (left 1,700.00); pay 1,000.01 (1000, plus 0.005 held "
                                  "back earlier by rounding down)")
    assert lines[1].explain().startswith("earned 5,000.00; recovers 1,000.00 owed, at most 1,000.00 a period (left "
                                         "700.00); recovers 600.00 of the draw (left 600.00)")
