"""Leaves of absence in the application: the model's rules, the `leaves` import, the calculation and draws.

A leave that prorates takes its days out of the days quotas, target incentives, guarantees, objectives
and draws are prorated by (tests/test_proration.py works the engine's arithmetic); it does not vacate
the position: credits during it still go to the holder.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from attain.apps.calc.fx import Converter
from attain.apps.calc.inputs import leaves_in, load_inputs
from attain.apps.calc.models import Earning
from attain.apps.calc.services import calculate_period
from attain.apps.core.models import Period
from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.imports.services import import_file
from attain.apps.org.models import LeaveOfAbsence, Participant, PositionHolder
from attain.apps.org.roles import COMP_ADMIN, MANAGER, REP, ensure_roles
from attain.apps.payments.models import DrawAgreement
from attain.apps.sales.models import Transaction
from import_world import load_world, write
from tests import factories as f
from tests.test_payments_service import FLAT

pytestmark = pytest.mark.django_db
D = date
N = Decimal


def leave(person, first, last, **more) -> LeaveOfAbsence:
    return LeaveOfAbsence(participant=person, start_date=first, end_date=last, **more)


# ---------------------------------------------------------------------------------------- the model

def test_a_leave_ends_on_or_after_its_start_within_employment_and_never_overlaps_another():
    person = f.participant("E-1", hire_date=D(2025, 3, 1))
    leave(person, D(2026, 8, 1), D(2026, 8, 31)).save()
    with pytest.raises(ValidationError, match=r"ends \(2026-07-01\) before it starts \(2026-07-31\)"):
        leave(person, D(2026, 7, 31), D(2026, 7, 1)).full_clean()
    with pytest.raises(ValidationError, match="was hired on 2025-03-01"):
        leave(person, D(2025, 2, 1), D(2025, 3, 10)).full_clean()
    with pytest.raises(ValidationError, match=r"overlaps .* end the earlier leave the day before 2026-08-31"):
        leave(person, D(2026, 8, 31), D(2026, 9, 5)).full_clean()
    leave(person, D(2026, 9, 1), D(2026, 9, 1), kind="paid").full_clean()  # the next day: fine (one day)
    Participant.objects.filter(employee_id="E-1").update(termination_date=D(2026, 10, 31))
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="left on 2026-10-31"):
        leave(person, D(2026, 10, 20), D(2026, 11, 5)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a reversed leave too
        leave(person, D(2026, 12, 2), D(2026, 12, 1)).save()
    assert LeaveOfAbsence.objects.get().days == 31


def test_only_roles_that_administer_or_approve_pay_see_leaves():
    groups = ensure_roles()

    def sees(role):
        return groups[role].permissions.filter(codename="view_leaveofabsence").exists()

    assert sees(COMP_ADMIN) and not sees(REP) and not sees(MANAGER)
    # managers work in the manager portal (their effective-dated team only), not in the admin's lists of everyone
    assert not groups[MANAGER].permissions.filter(content_type__app_label__in=["org", "catalog", "sales"]).exists()
    # reps see their own pay in the portal, nothing in the admin: they may only raise disputes and comment
    assert sorted(groups[REP].permissions.values_list("codename", flat=True)) == ["add_dispute", "add_disputecomment"]


# --------------------------------------------------------------------------------------- the import

def test_leaves_import_upsert_and_reject_overlaps_and_reversed_dates(tmp_path):
    load_world(tmp_path, upto="accounts")  # the world's leaves included
    assert [(x.participant.employee_id, x.start_date, x.kind, x.prorate, x.note) for x in LeaveOfAbsence.objects.all()] \
        == [("E1", D(2026, 8, 1), "parental", True, ""), ("E2", D(2026, 2, 2), "unpaid", False, "Unpaid week")]
    text = ("participant,start_date,end_date\nE1,2026-08-01,2026-08-20\nE1,2026-10-01,2026-10-10\n"
            "E1,2026-10-05,2026-10-20\nE2,2026-05-10,2026-05-01\n")
    result = import_file("leaves", write(tmp_path, "leaves", text))
    assert result.status == "rejected" and LeaveOfAbsence.objects.count() == 2
    problems = [(p.row, p.column, p.reason) for p in result.problems]
    assert (5, "end_date", "is before start_date: correct either date") in problems
    assert (3, "start_date", "2026-10-01 – 2026-10-10 overlaps 2026-10-05 – 2026-10-20 in row 4 of this file for the "
                             "same participant: end one the day before the other starts") in problems
    clash = import_file("leaves", write(tmp_path, "leaves", "participant,start_date,end_date\nE1,2026-08-15,2026-08-16\n"))
    assert "leave of absence #" in clash.problems[0].reason and "already in the database" in clash.problems[0].reason
    fine = "participant,start_date,end_date\nE1,2026-08-01,2026-08-20\nE1,2026-10-01,2026-10-10\n"
    result = import_file("leaves", write(tmp_path, "leaves", fine))
    assert (result.counts.created, result.counts.updated, result.problems) == (1, 1, [])
    assert LeaveOfAbsence.objects.get(participant__employee_id="E1", start_date=D(2026, 8, 1)).end_date == D(2026, 8, 20)


# -------------------------------------------------------------------------------------- calculation

QUARTERLY = """
plan: QUARTERLY
name: Quarterly commission
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - name: Commission
    measure: bookings
    scope: quarter_to_date
    quota: quarter
    rate_table: {method: marginal, basis: attainment, tiers: [{from: 0, rate: 0.05}]}
"""


@pytest.fixture
def rep():
    """E-1 holds AE-1 all year, on a quarterly plan; on leave 1–31 August (and a leave that does not prorate)."""
    person, usd, seat = f.seated("QUARTERLY", QUARTERLY, 60000), f.usd(), f.position("AE-1")
    from attain.apps.quotas.models import Quota

    Quota.objects.create(position=seat, period=Period.objects.get(name="FY2026-Q3"), measure="bookings",
                         amount=N(90000), currency=usd)
    LeaveOfAbsence.objects.create(participant=person, start_date=D(2026, 8, 1), end_date=D(2026, 8, 31),
                                  kind="parental")
    LeaveOfAbsence.objects.create(participant=person, start_date=D(2026, 11, 2), end_date=D(2026, 11, 6),
                                  kind="paid", prorate=False)
    Transaction.objects.create(external_id="T-1", booked_date=D(2026, 8, 15), account=f.account(),
                               amount=N(45000), currency=usd, owner_position=seat)
    return person


def test_the_fiscal_years_leaves_that_prorate_are_loaded(rep):
    assert leaves_in(D(2026, 1, 1), D(2026, 12, 31)) == {"E-1": ((D(2026, 8, 1), D(2026, 8, 31)),)}
    assert leaves_in(D(2026, 9, 1), D(2026, 12, 31)) == {}
    inputs = load_inputs(Period.objects.get(name="FY2026-M03"), Converter("USD"))
    assert inputs.leaves == {"E-1": ((D(2026, 8, 1), D(2026, 8, 31)),)}  # the whole year's, known in March


def test_a_leave_prorates_the_quarterly_quota_and_the_holder_keeps_the_credit(rep):
    calculate_period("FY2026-M08")
    line = Earning.objects.get(period__name="FY2026-M08")
    # Q3 has 92 days, 31 on leave: 90,000 × 61/92 = 59,673.91; the deal booked on 15 August is E-1's: 5% = 2,250
    assert (line.participant.employee_id, line.base, line.amount_rounded) == ("E-1", 45000, N("2250.00"))
    assert round(line.quota, 2) == N("59673.91")
    assert "quota 90,000.00 × 61/92 days held (92 held less 31 on leave) = 59,673.91" in line.explanation


# ------------------------------------------------------------------------------------------- draws



def test_a_draw_is_paid_for_the_days_after_a_hire_on_the_16th_and_not_for_days_on_leave():
    usd = f.usd()
    generate_periods(default_calendar(), 2026)
    seat, person = f.position("AE-1"), f.participant("E-1", hire_date=D(2026, 4, 16))
    PositionHolder.objects.create(participant=person, position=seat, valid_from=D(2026, 4, 16))
    f.published_plan("FLAT", FLAT, seat, 48000)
    DrawAgreement.objects.create(participant=person, amount=N(4000), currency_id="USD", recoverable=True,
                                 valid_from=D(2026, 4, 16))
    LeaveOfAbsence.objects.create(participant=person, start_date=D(2026, 5, 11), end_date=D(2026, 5, 20))
    Transaction.objects.create(external_id="T-1", booked_date=D(2026, 5, 25), account=f.account(),
                               amount=N(5000), currency=usd, owner_position=seat)
    paid = [p for m in range(1, 6) for p in f.calculate_and_pay(f"FY2026-M{m:02d}").payments.all()]
    april, may = paid[-2:]
    # April: hired on the 16th, 15 of 30 days: 4,000 × 15/30 = 2,000, all of it advanced (owed)
    assert (april.period.name, april.paid, april.draw_owed) == ("FY2026-M04", N("2000.00"), N(2000))
    assert april.explanation == "earned 0.00; draw 4,000.00 × 15/30 days = 2,000.00 adds 2,000.00; pay 2,000.00"
    # May: 10 days on leave, 21 of 31 days: 4,000 × 21/31 = 2,709.68; earned 5,000 × 10% = 500 → the draw adds
    # 2,209.68 (owed 2,000 + 2,209.68 = 4,209.68)
    assert (may.paid, round(may.draw_owed, 2)) == (N("2709.68"), N("4209.68"))
    assert "draw 4,000.00 × 21/31 days = 2,709.68 adds 2,209.68" in may.explanation
    assert len(paid) == 2  # January to March: not hired yet, no draw: no payment
