"""The month page's run summary: payees and total earnings against the previous month, the biggest movers, the
run's exceptions by kind with the negative totals and missing quotas, and the change since an earlier run of the
same month.

On tests/portal_world.py's company (USD):
  Ada (E-1)  January 12,500.00  February 10,000.00  March 2,500.00
  Bo  (E-2)  January  1,500.00  February  3,000.00  March none (no deal)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.calc.models import CalculationRun
from attain.apps.org import roles
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from attain.apps.workspace.runs_summary import (
    MonthEarnings,
    biggest_movers,
    exception_groups,
    positions_without_quota,
)
from tests import factories as f
from tests import portal_world

pytestmark = pytest.mark.django_db
world = portal_world.world
D = Decimal


@pytest.fixture
def admin(world, client):
    user = f.user("compadmin", roles.COMP_ADMIN)
    client.force_login(user)
    return user


def figures(summary):
    return {"payees": (summary.payees, summary.previous_payees, summary.payees_change),
            "totals": [(t.currency, t.this_month, t.previous, t.change) for t in summary.totals],
            "movers": [(m.employee_id, m.previous, m.this_month, m.change) for m in summary.movers]}


def test_february_against_january(admin, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # the page's 9, the summary's 3 (runs, previous run, both months' lines)
        page = client.get("/workspace/months/FY2026-M02/")
    summary = page.context["summary"]
    january = CalculationRun.objects.get(period__name="FY2026-M01")
    assert summary.previous_run == january and summary.recalculation is None  # February was calculated once
    # totals: February 10,000 + 3,000 = 13,000; January 12,500 + 1,500 = 14,000; 13,000 − 14,000 = −1,000
    # movers: Ada 10,000 − 12,500 = −2,500; Bo 3,000 − 1,500 = +1,500 (the larger change first)
    assert figures(summary) == {"payees": (2, 2, 0), "totals": [("USD", D("13000.00"), D("14000.00"), D("-1000.00"))],
                                "movers": [("E-1", D("12500.00"), D("10000.00"), D("-2500.00")),
                                           ("E-2", D("1500.00"), D("3000.00"), D("1500.00"))]}
    assert summary.totals[0].change_fraction == D(-1000) / D(14000)  # −0.0714… → −7.1%
    html = page.content.decode()
    assert ('<td class="num">13,000.00</td><td class="num">14,000.00</td><td class="num">\u22121,000.00</td>'
            '<td class="num">\u22127.1%</td>') in html
    assert '<a href="/portal/people/E-1/">Ada' in html and "+1,500.00" in html and "\u22122,500.00" in html
    assert (summary.negative_payees, summary.positions_without_quota, summary.exceptions) == (0, 0, ())
    assert "The run has no exceptions" in html and "Changes since run" not in html


def test_march_against_february(admin, client):
    summary = client.get("/workspace/months/FY2026-M03/").context["summary"]
    # totals: March 2,500 (Ada only); February 13,000; 2,500 − 13,000 = −10,500 = −80.8% of 13,000
    # movers: Ada 2,500 − 10,000 = −7,500; Bo 0 − 3,000 = −3,000 (no March line: he is still a mover)
    assert figures(summary) == {"payees": (1, 2, -1), "totals": [("USD", D("2500.00"), D("13000.00"), D("-10500.00"))],
                                "movers": [("E-1", D("10000.00"), D("2500.00"), D("-7500.00")),
                                           ("E-2", D("3000.00"), D("0"), D("-3000.00"))]}
    html = client.get("/workspace/months/FY2026-M03/").content.decode()
    assert "\u221280.8%" in html and "\u22121" in html  # one payee fewer


def test_recalculating_march_after_a_credit_note_shows_the_change_against_the_run_before(
        admin, client, django_assert_max_num_queries):
    before = CalculationRun.objects.get(period__name="FY2026-M03")
    Transaction.objects.create(external_id="A-4", booked_date=date(2026, 3, 20), account=f.account("ACC-2"),
                               amount=D(-100000), currency=f.usd(), owner_position=f.position("AE-1"))
    client.post("/workspace/months/FY2026-M03/calculate/")  # the runner is inline in the tests
    with django_assert_max_num_queries(16):  # 12 as February's, and diff_runs's 4 (two runs, their lines)
        page = client.get("/workspace/months/FY2026-M03/")
    summary = page.context["summary"]
    assert summary.run.pk != before.pk and summary.recalculation.first == before
    # Ada's YTD: 250,000 + 200,000 + 50,000 − 100,000 = 400,000 × 5% = 20,000 − 22,500 earned before = −2,500
    # against run before: −2,500 − 2,500 = −5,000 on the one line; against February: −2,500 − 10,000 = −12,500
    assert [(c.participant, c.component, c.before, c.after, c.difference) for c in summary.recalculation.changes] == [
        ("E-1", "Commission", D("2500"), D("-2500"), D("-5000"))]
    assert summary.recalculated_totals == [("USD", D("-5000"))] and summary.recalculation.unchanged == 0
    assert figures(summary)["movers"][0] == ("E-1", D("10000.00"), D("-2500.00"), D("-12500.00"))
    assert summary.negative_payees == 1  # Ada's March total is −2,500
    html = page.content.decode()
    assert f"Changes since run {before.pk}" in html and '<td class="num">\u22125,000.00</td>' in html
    assert "1 payee with a negative month total" in html


def test_a_missing_quota_is_counted_from_the_runs_exceptions(admin, client):
    Quota.objects.filter(position__code="AE-1").delete()
    client.post("/workspace/months/FY2026-M04/calculate/")
    run = CalculationRun.objects.get(period__name="FY2026-M04")
    summary = client.get("/workspace/months/FY2026-M04/").context["summary"]
    assert summary.run == run
    assert [(g.kind, len(g.messages)) for g in summary.exceptions] == [("Missing quota", len(run.exceptions))]
    assert run.exceptions and all("(AE-1)" in x for x in run.exceptions)
    assert summary.positions_without_quota == 1
    # April: nobody has a line (Ada unpaid for want of a quota, Bo no deal); March had Ada's 2,500
    assert figures(summary)["movers"] == [("E-1", D("2500.00"), D("0"), D("-2500.00"))]
    html = client.get("/workspace/months/FY2026-M04/").content.decode()
    assert "1 position not paid for want of a quota" in html and "Missing quota (" in html


def test_exceptions_are_grouped_by_kind_in_the_engines_words():
    runs = ["E2: E-1 (AE-1), Commission, not paid for FY2026-M01: this table's tiers are on attainment; give the "
            "participant's quota for the period",
            "E2: E-3 (AE-1), Commission, not paid for FY2026-M02: quota is 0; attainment needs a quota above 0 (set "
            "the quota, or use an amount-basis table)",
            "E2: E-2 (AE-2), Commission, not paid for FY2026-M02: this matrix reads attainment; give the "
            "participant's quota (above 0)",
            "FLAT: credits to AE-9 while the position was vacant are not paid (2 credits)",
            "FLAT: E-2 (AE-2), Commission, not paid for FY2026-M02: the formula failed",
            "FLAT: something new"]
    groups = exception_groups(runs)
    assert [(g.kind, len(g.messages)) for g in groups] == [
        ("Missing quota", 3), ("Credits to a vacant position", 1), ("Not paid for another reason", 1), ("Other", 1)]
    assert positions_without_quota(groups) == 2  # AE-1 (twice: Ada and her successor) and AE-2


def test_the_biggest_movers_are_the_largest_changes_either_way_per_currency():
    names = {"A": "Al A", "B": "Bea B", "C": "Cy C", "D": "Di D"}
    before = MonthEarnings(names, {("A", "USD"): D(100), ("B", "USD"): D(1000), ("C", "EUR"): D(50),
                                   ("D", "USD"): D(7)})
    this = MonthEarnings(names, {("A", "USD"): D(5000), ("D", "USD"): D(27), ("D", "EUR"): D(7)})
    # A 5,000 − 100 = +4,900; B 0 − 1,000 = −1,000; C (EUR) 0 − 50 = −50; D 27 − 7 = +20; D (EUR) +7: the 4th and
    # 5th are left out by the limit of 3
    assert [(m.employee_id, m.currency, m.change) for m in biggest_movers(this, before, limit=3)] == [
        ("A", "USD", D(4900)), ("B", "USD", D(-1000)), ("C", "EUR", D(-50))]


def test_a_negative_month_total_is_counted_once_per_payee():
    month = MonthEarnings({"A": "Al A", "B": "Bea B"}, {("A", "USD"): D(0), ("B", "USD"): D("-0.01"),
                                                       ("B", "EUR"): D(-5)})
    assert month.negative_payees() == 1  # B, negative in two currencies; A's nothing is not negative


def test_a_month_without_a_successful_run_has_no_summary(admin, client):
    page = client.get("/workspace/months/FY2026-M05/")
    assert page.context["summary"] is None and "Summary of run" not in page.content.decode()
