"""A month's way from open to closed: maker–checker approval, escalation, the lock, prior-period adjustments.

The plan is DOMAIN E2 (YTD true-up, annual quota 600,000: 5% below 100%, 10% from 100%).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from attain.apps.calc.approvals import ApprovalError, approve, reject, submit
from attain.apps.calc.locking import NAMESPACE, period_lock
from attain.apps.calc.models import Approval, ApprovalPolicy, CalculationRun, Earning
from attain.apps.calc.services import CalculationError, calculate_period
from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.org.models import PositionHolder
from attain.apps.payments.models import Payment
from attain.apps.payments.services import PaymentError, close_period, pay_period
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def world():
    ada = f.seated("E2", E2_PLAN, 60000)
    Quota.objects.create(position=f.position("AE-1"), period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=Decimal(600000), currency=f.usd())
    book("T-1", 250000, D(2026, 1, 20))
    book("T-2", 400000, D(2026, 2, 15))
    return ada


def book(external_id: str, amount, day: date, **more) -> Transaction:
    from attain.apps.catalog.models import Account
    from attain.apps.org.models import Position

    more.setdefault("owner_position", Position.objects.get(code="AE-1"))
    account = Account.objects.first() or f.account()
    return Transaction.objects.create(external_id=external_id, booked_date=day, account=account,
                                      amount=Decimal(amount), currency_id="USD", **more)


def lines(run):
    return [(e.kind, e.for_period.name, e.amount_rounded) for e in Earning.objects.filter(run=run).order_by("id")]


def state(name: str) -> str:
    return Period.objects.get(name=name).state


@pytest.fixture
def people():
    return {"maker": f.user("compadmin", roles.COMP_ADMIN), "finance": f.user("finance", roles.FINANCE),
            "controller": f.user("controller", roles.CONTROLLER), "rep": f.user("rep", roles.REP)}


def test_a_month_goes_open_calculated_approved_paid_closed(world, people):
    assert state("FY2026-M01") == "open"
    run = calculate_period("FY2026-M01")
    assert state("FY2026-M01") == "calculated"
    approval = submit("FY2026-M01", people["maker"], note="January")
    assert (approval.run, approval.state, approval.escalations) == (run, "submitted", [])
    approve("FY2026-M01", people["finance"])
    assert state("FY2026-M01") == "approved"
    [payment] = pay_period("FY2026-M01").payments.all()
    assert (payment.paid, state("FY2026-M01")) == (Decimal("12500.00"), "paid")
    with pytest.raises(CalculationError, match="FY2026-M01 is paid: its results never change"):
        calculate_period("FY2026-M01")
    with pytest.raises(PaymentError, match="FY2026-M01 is paid: it was paid already"):
        pay_period("FY2026-M01")
    assert close_period("FY2026-M01").state == "closed"


def test_the_submitter_never_approves_and_a_rep_cannot(world, people):
    calculate_period("FY2026-M01")
    submit("FY2026-M01", people["maker"])
    with pytest.raises(ApprovalError, match="compadmin submitted these results and so cannot approve them"):
        approve("FY2026-M01", people["maker"])
    with pytest.raises(ApprovalError, match="rep may not approve results"):
        approve("FY2026-M01", people["rep"])
    with pytest.raises(ApprovalError, match="say why"):
        reject("FY2026-M01", people["finance"], " ")
    assert reject("FY2026-M01", people["finance"], "T-1 is a duplicate").state == "rejected"
    assert state("FY2026-M01") == "calculated"
    with pytest.raises(ApprovalError, match="FY2026-M01 has no submission waiting"):
        approve("FY2026-M01", people["finance"])


def test_a_new_calculation_supersedes_the_approval(world, people):
    calculate_period("FY2026-M01")
    submit("FY2026-M01", people["maker"])
    approve("FY2026-M01", people["finance"])
    calculate_period("FY2026-M01")
    assert state("FY2026-M01") == "calculated"
    assert list(Approval.objects.values_list("state", flat=True)) == ["superseded"]
    with pytest.raises(PaymentError, match="FY2026-M01 is calculated: a month is paid once its results are approved"):
        pay_period("FY2026-M01")


def test_large_or_changed_payouts_escalate_to_a_controller(world, people):
    ApprovalPolicy.objects.create(payout_threshold=Decimal(20000), currency_id="USD", change_percent=Decimal(50))
    f.calculate_and_pay("FY2026-M01")
    calculate_period("FY2026-M02")
    approval = submit("FY2026-M02", people["maker"])
    # Feb: YTD 650,000 → 30,000 + 5,000 = 35,000 − 12,500 = 22,500: above 20,000, and +80% from 12,500
    assert approval.escalations == [{"participant": "E-1", "currency": "USD", "payout": "22500", "previous": "12500",
                                     "reasons": ["above 20,000.00 USD", "+80.0% from 12,500.00 the month before"]}]
    with pytest.raises(ApprovalError, match="FY2026-M02 has 1 escalated payouts .*E-1 22500 USD: above 20,000.00"):
        approve("FY2026-M02", people["finance"])
    assert approve("FY2026-M02", people["controller"]).state == "approved"


@contextmanager
def held_elsewhere(period: Period):
    """The period's lock held by another session (PostgreSQL) or another open file (SQLite)."""
    if connection.vendor != "postgresql":
        with period_lock(period):
            yield
        return
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [NAMESPACE, period.pk])
        yield
    finally:
        other.close()


def test_two_runs_of_a_period_never_interleave(world, people):
    january = Period.objects.get(name="FY2026-M01")
    with held_elsewhere(january):
        with pytest.raises(CalculationError, match="FY2026-M01 is busy: another calculation, approval or payment"):
            calculate_period("FY2026-M01")
        assert not CalculationRun.objects.exists()
    assert calculate_period("FY2026-M01").status == "succeeded"


def test_a_run_killed_midway_is_marked_interrupted_and_the_next_succeeds(world):
    killed = CalculationRun.objects.create(period=Period.objects.get(name="FY2026-M01"))  # what a kill leaves
    run = calculate_period("FY2026-M01")
    killed.refresh_from_db()
    assert (killed.status, killed.earnings.count()) == ("failed", 0)
    assert killed.error.startswith("interrupted: the run stopped before it finished")
    assert run.status == "succeeded"


def test_a_late_deal_in_a_closed_month_is_paid_as_a_prior_period_adjustment(world):
    f.calculate_and_pay("FY2026-M01")
    close_period("FY2026-M01", user=None)
    [january_line] = Earning.objects.filter(period__name="FY2026-M01")
    book("LATE-1", 100000, D(2026, 1, 28))  # entered in February, booked in January
    run = calculate_period("FY2026-M02")
    # January now: 350,000 × 5% = 17,500, booked 12,500 → +5,000 for January, posted in February.
    # February: YTD 750,000 → 30,000 + 150,000 × 10% = 45,000, less January recalculated 17,500 = 27,500.
    assert lines(run) == [("earning", "FY2026-M02", Decimal("27500.00")),
                          ("prior_period", "FY2026-M01", Decimal("5000.00"))]
    adjustment = Earning.objects.get(run=run, kind="prior_period")
    assert adjustment.corrects == [january_line.pk]
    assert adjustment.explanation.startswith(
        f"Prior-period adjustment for FY2026-M01 (E2 Commission): recalculated 17,500.00, booked 12,500.00 "
        f"(lines {january_line.pk}) → 5,000.00. Recalculated: Commission, year to date")
    f.approve("FY2026-M02")
    [payment] = pay_period("FY2026-M02").payments.all()
    assert (payment.earned, payment.adjustments, payment.paid) == (Decimal(27500), Decimal(5000), Decimal(32500))
    assert payment.explanation == ("earned 27,500.00; prior-period adjustment for FY2026-M01 5,000.00; "
                                   "pay 32,500.00")
    # 12,500 + 32,500 = 45,000: the year to date earned, to the cent
    assert Period.objects.get(name="FY2026-M01").earnings.get().amount_rounded == Decimal("12500.00")  # untouched


def test_an_unchanged_closed_month_gives_no_adjustment_and_one_is_posted_once(world):
    f.calculate_and_pay("FY2026-M01")
    assert lines(calculate_period("FY2026-M02")) == [("earning", "FY2026-M02", Decimal("22500.00"))]
    book("LATE-1", 100000, D(2026, 1, 28))
    f.calculate_and_pay("FY2026-M02")  # posts +5,000 for January
    run = calculate_period("FY2026-M03")  # January and February both booked now, and unchanged since
    assert lines(run) == []  # no March deal: no line at all, and no adjustment


def test_a_credit_note_on_a_paid_month_takes_back_through_the_adjustment(world):
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    # a February deal cancelled: recorded in March, dated back into February
    book("CN-2", -100000, D(2026, 2, 20), kind="credit_note", owner_position=None,
         original=Transaction.objects.get(external_id="T-2"))
    run = calculate_period("FY2026-M03")
    # February now: YTD 550,000 → 27,500 − 12,500 = 15,000, booked 22,500 → −7,500 (E2's March figure)
    assert lines(run) == [("prior_period", "FY2026-M02", Decimal("-7500.00"))]
    f.approve("FY2026-M03")
    [payment] = pay_period("FY2026-M03").payments.all()
    assert (payment.paid, payment.owed) == (Decimal(0), Decimal(7500))
    assert Payment.objects.filter(period__name="FY2026-M02").get().paid == Decimal(22500)


GUARANTEED = """
plan: GUAR
name: Ten percent with a guarantee
currency: USD
timing: booked
credit_rules: [{name: direct, kind: direct}]
measures: [{name: bookings}]
components:
  - {name: Commission, measure: bookings, scope: period, rate_table: {method: flat, rate: 0.10}}
guarantee: {percent_of_target: 1, first_months: 3}
"""


def test_a_target_in_another_currency_gives_the_same_months_when_recalculated_later(world):
    """The target is converted at one rate for the year, so a month-end rate moving restates nothing."""
    from attain.apps.core.models import Currency, FxRate
    from attain.apps.org.models import Participant, Position
    from attain.apps.plans.models import PlanAssignment

    eur = Currency.objects.create(code="EUR", name="Euro")
    for month, rate in ((1, "1.10"), (2, "1.20"), (3, "1.30")):
        FxRate.objects.create(from_currency=eur, to_currency_id="USD", rate_date=D(2026, month, 1), rate=Decimal(rate))
    seat, person = f.position("AE-2"), f.participant("E-2")
    PositionHolder.objects.create(participant=person, position=seat, valid_from=D(2026, 1, 1))  # hired on 1 January
    f.published_plan("GUAR", GUARANTEED, seat, 12000)
    PlanAssignment.objects.filter(position=seat).update(currency=eur)  # a target of 12,000 EUR a year
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    run = calculate_period("FY2026-M03")
    assert not run.earnings.filter(kind="prior_period").exists()
    # 12,000 EUR at 1.10 (the rate on 1 January) = 13,200 USD a year: 1,100 a month guaranteed
    guarantees = Earning.objects.filter(participant=Participant.objects.get(employee_id="E-2"), component="Guarantee",
                                        kind="earning", position=Position.objects.get(code="AE-2"))
    assert sorted({e.amount_rounded for e in guarantees}) == [Decimal("1100.00")]


def test_a_plan_converts_at_the_average_rate_of_the_fiscal_month_when_it_says_so(world):
    from attain.apps.core.models import Currency, FxRate

    eur = Currency.objects.create(code="EUR", name="Euro")
    for day, rate in ((D(2025, 12, 31), "1.00"), (D(2026, 1, 5), "1.10"), (D(2026, 1, 19), "1.20"),
                      (D(2026, 1, 26), "1.30")):
        FxRate.objects.create(from_currency=eur, to_currency_id="USD", rate_date=day, rate=Decimal(rate))
    book("EU-1", 100000, D(2026, 1, 20), currency=eur)
    Transaction.objects.filter(external_id="EU-1").update(currency=eur)
    on_the_day = calculate_period("FY2026-M01").earnings.get()
    # 250,000 USD + 100,000 EUR × 1.20 (the rate of 19 January, the latest on or before the 20th) = 370,000 → 5%
    assert on_the_day.amount_rounded == Decimal("18500.00")
    from attain.apps.plans.models import PlanVersion

    version = PlanVersion.objects.get(plan__code="E2")
    version.document = version.document.replace("timing: booked", "timing: booked\nfx_rate: period_average")
    version.save()
    averaged = calculate_period("FY2026-M01").earnings.get()
    # January's rates 1.10, 1.20, 1.30 average 1.20 → the same here; move one to see the average at work
    assert averaged.amount_rounded == Decimal("18500.00")
    FxRate.objects.filter(rate_date=D(2026, 1, 26)).update(rate=Decimal("1.60"))
    # average (1.10 + 1.20 + 1.60) / 3 = 1.30: 250,000 + 130,000 = 380,000 → 19,000; the day's rate stays 1.20
    assert calculate_period("FY2026-M01").earnings.get().amount_rounded == Decimal("19000.00")
    assert "fx_rate" in PlanVersion.objects.get(plan__code="E2").document


def test_every_step_of_the_month_is_in_the_audit_log(world, people):
    from attain.apps.audit.models import AuditEntry

    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # the log only grows
    calculate_period("FY2026-M01", user=people["maker"])
    submit("FY2026-M01", people["maker"], note="January")
    approve("FY2026-M01", people["finance"], note="checked against the CRM")
    pay_period("FY2026-M01", user=people["finance"])
    close_period("FY2026-M01", user=people["finance"])
    logged = AuditEntry.objects.filter(pk__gt=before)
    steps = [(e.action, e.object_type, e.username) for e in logged.order_by("pk")]
    assert steps == [("calculated", "calc.CalculationRun", "compadmin"), ("submitted", "calc.Approval", "compadmin"),
                     ("approved", "calc.Approval", "finance"), ("paid", "payments.PaymentRun", "finance"),
                     ("closed", "core.Period", "finance")]
    approved = logged.get(action="approved")
    assert (approved.before["state"], approved.after["state"], approved.reason) == (
        "submitted", "approved", "checked against the CRM")
    assert logged.get(action="paid").after["paid"] == {"USD": "12500.00"}


def test_the_month_s_way_from_the_command_line(world, people):
    from typer.testing import CliRunner

    from attain.cli.main import app

    runner, wide = CliRunner(), {"COLUMNS": "200"}
    calculate_period("FY2026-M01")
    said = runner.invoke(app, ["period", "submit", "FY2026-M01", "--user", "compadmin", "--note", "January"], env=wide)
    assert said.exit_code == 0 and "FY2026-M01 run" in said.output and "submitted by compadmin" in said.output
    refused = runner.invoke(app, ["period", "approve", "FY2026-M01", "--user", "compadmin"], env=wide)
    assert refused.exit_code == 1 and "segregation of duties" in refused.output
    unknown = runner.invoke(app, ["period", "approve", "FY2026-M01", "--user", "nobody"], env=wide)
    assert unknown.exit_code == 1 and "There is no user 'nobody'" in unknown.output
    assert runner.invoke(app, ["period", "approve", "FY2026-M01"], env={**wide, "ATTAIN_USER": "finance"}).exit_code == 0
    assert runner.invoke(app, ["pay", "FY2026-M01"], env=wide).exit_code == 0
    closed = runner.invoke(app, ["period", "close", "FY2026-M01", "--user", "finance"], env=wide)
    assert closed.exit_code == 0 and "FY2026-M01 is closed." in closed.output
    status = runner.invoke(app, ["period", "status", "2026"], env=wide)
    assert "FY2026-M01" in status.output and "closed" in status.output and "approved (by compadmin, finance)" in status.output
