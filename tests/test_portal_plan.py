"""The rep's plan pages: the estimator page, the plan document and its acceptance, the payout curve, the trend."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from attain.apps.audit.models import AuditEntry
from attain.apps.core.models import Period
from attain.apps.plans.models import PlanVersion
from attain.apps.portal.models import PlanAcceptance
from attain.apps.portal.plan_document import plan_documents
from attain.apps.portal.trend import earnings_trend
from attain.engine.payout_curve import payout_curve
from attain.engine.plans import load_plan
from tests import portal_world
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
D = date
world = portal_world.world


def test_the_estimator_page_shows_the_extra_earning_and_how(world, client, django_assert_max_num_queries):
    client.force_login(world.users["ada"])
    url = "/portal/people/E-1/estimate/?amount=150000&deal_type=new&close_date=2026-03-20"
    with django_assert_max_num_queries(60):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert '<strong data-figure="estimate-extra">10,000.00</strong> USD more' in text  # 100,000 × 5% + 50,000 × 10%
    assert "An estimate, not a promise: calculated by E2 version 1" in text
    assert "The deal crosses 100% of quota" in text
    assert "83.3% → <span data-figure=\"attainment-after\">108.3%</span>" in text  # 500,000 → 650,000 of 600,000
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"10,000.00" in partial.content


def test_the_estimator_says_what_to_correct(world, client):
    client.force_login(world.users["ada"])
    page = client.get("/portal/people/E-1/estimate/?amount=&deal_type=new&close_date=2026-02-10")
    assert "Amount: Type an amount, or choose one of your opportunities." in page.content.decode()
    page = client.get("/portal/people/E-1/estimate/?amount=5&deal_type=new&close_date=2026-02-10")
    assert "No estimate: FY2026-M02 is paid: choose a close date in a month not yet paid." in page.content.decode()


def test_another_reps_estimate_and_plan_pages_are_not_found(world, client):
    client.force_login(world.users["bo"])
    for url in ("/portal/people/E-1/estimate/", "/portal/people/E-1/plan/"):
        assert client.get(url).status_code == 404
    version = PlanVersion.objects.get(plan__code="E2")
    assert client.post(f"/portal/people/E-1/plan/{version.pk}/accept", {"sha256": "x"}).status_code == 404
    assert client.get("/portal/acceptances/").status_code == 404  # a rep has no list of others


def test_the_plan_document_reads_the_plan_and_draws_its_curve(world, client, django_assert_max_num_queries):
    client.force_login(world.users["ada"])
    with django_assert_max_num_queries(30):
        page = client.get("/portal/people/E-1/plan/")
    text = page.content.decode()
    assert "Year-to-date true-up (E2), version 1" in text
    assert "In force from 1 January 2026 until a new version replaces it." in text
    assert '<th scope="row">0–100% of quota</th><td class="num">5%</td>' in text
    assert '<th scope="row">above 100%</th><td class="num">10%</td>' in text
    assert "Quota on “bookings” for FY2026 (1 January 2026 to 31 December 2026): 600,000.00 USD." in text
    assert "annual target incentive of 60,000.00 USD" in text
    assert "Not yet accepted." in text
    assert "Payout curve: Commission" in text and "You are at 83.3%" in text  # March: 500,000 of 600,000


def test_accepting_records_the_version_and_the_hash_and_a_new_version_needs_another(world, client):
    client.force_login(world.users["ada"])
    [shown] = plan_documents(world.ada, D(2026, 1, 1), D(2026, 12, 31))
    assert shown.sha256 == hashlib.sha256(shown.text.encode()).hexdigest()
    refused = client.post(f"/portal/people/E-1/plan/{shown.version.pk}/accept", {"sha256": "0" * 64}, follow=True)
    assert "the plan document changed since the page was shown" in refused.content.decode()
    assert not PlanAcceptance.objects.exists()
    client.post(f"/portal/people/E-1/plan/{shown.version.pk}/accept", {"sha256": shown.sha256},
                HTTP_USER_AGENT="Test browser", REMOTE_ADDR="10.0.0.7")
    found = PlanAcceptance.objects.get()
    assert (found.participant, found.plan_version, found.user) == (world.ada, shown.version, world.users["ada"])
    assert (found.document_sha256, found.address, found.user_agent) == (shown.sha256, "10.0.0.7", "Test browser")
    entry = AuditEntry.objects.get(object_type="portal.PlanAcceptance")
    assert entry.after["version"] == 1 and entry.after["document_sha256"] == shown.sha256
    assert "Accepted on" in client.get("/portal/people/E-1/plan/").content.decode()
    # version 2 from 1 April: a new document, not accepted yet
    PlanVersion.objects.filter(pk=shown.version.pk).update(valid_to=D(2026, 3, 31))
    v2 = PlanVersion.objects.create(plan=shown.version.plan, version=2, status="published", valid_from=D(2026, 4, 1),
                                    document=E2_PLAN.replace("rate: 0.10", "rate: 0.12"))
    page = client.get("/portal/people/E-1/plan/").content.decode()
    assert "version 2" in page and f'action="/portal/people/E-1/plan/{v2.pk}/accept"' in page
    assert f'action="/portal/people/E-1/plan/{shown.version.pk}/accept"' not in page  # v1 stays accepted


def test_a_manager_sees_who_has_accepted(world, client):
    client.force_login(world.users["mia"])
    page = client.get("/portal/acceptances/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ada E-1" in text or "E-1" in text
    assert "<strong>not yet</strong>" in text


def test_the_payout_curve_is_the_rate_table_exactly():
    plan, _ = load_plan(E2_PLAN)
    [component] = plan.components
    points = payout_curve(component, D(2026, 3, 31), Decimal(600000),
                          [Decimal(0), Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2)])
    # 300,000 × 5% = 15,000; 600,000 × 5% = 30,000; + 300,000 × 10% = 60,000; + 600,000 × 10% = 90,000
    assert [(p.base, p.payout) for p in points] == [(0, 0), (300000, 15000), (600000, 30000), (900000, 60000),
                                                    (1200000, 90000)]
    assert [p.rate for p in points] == [None, Decimal("0.05"), Decimal("0.05"), Decimal(60000) / 900000,
                                        Decimal("0.075")]
    default = payout_curve(component, D(2026, 3, 31), Decimal(600000))
    assert [p.attainment for p in default][:3] == [0, Decimal("0.1"), Decimal("0.2")] and len(default) == 21


def test_the_earnings_trend_adds_up_the_months(world):
    march = Period.objects.get(name="FY2026-M03")
    trend = earnings_trend(world.ada, 2026, march.calendar_id)
    # January 12,500 calculated and paid, February 10,000 and 10,000, March 2,500 calculated, not paid.
    # Target 60,000 a year: 5,000 a month to date.
    got = [(m.name, m.calculated, m.paid, m.cumulative, m.target_to_date) for m in trend.months[:4]]
    assert got == [("FY2026-M01", Decimal("12500.00"), Decimal("12500.00"), Decimal("12500.00"), 5000),
                   ("FY2026-M02", Decimal("10000.00"), Decimal("10000.00"), Decimal("22500.00"), 10000),
                   ("FY2026-M03", Decimal("2500.00"), None, Decimal("25000.00"), 15000),
                   ("FY2026-M04", None, None, None, 20000)]  # nothing to date after the latest month calculated
    assert trend.target == 60000


def test_the_home_loads_the_trend(world, client, django_assert_max_num_queries):
    client.force_login(world.users["ada"])
    assert 'hx-get="/portal/people/E-1/trend/" hx-trigger="load"' in client.get("/portal/people/E-1/").content.decode()
    # session, user, roles, person, calendar, open month, months, runs, earnings, payments, target
    with django_assert_max_num_queries(11):
        part = client.get("/portal/people/E-1/trend/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and "My earnings by month, FY2026" in part
    # 25,000 earned to March against 60,000 × 3 ÷ 12 = 15,000 of target: 166.7%
    assert "Earned 25,000.00 USD in FY2026 to FY2026-M03, against 15,000.00 of target to date (166.7%)." in part
    assert '<th scope="row">FY2026-M02</th><td class="num">10,000.00</td><td class="num">10,000.00</td>' in part
    assert "My earnings by month" in client.get("/portal/people/E-1/trend/").content.decode()  # without htmx: a page
    client.force_login(world.users["bo"])
    assert client.get("/portal/people/E-1/trend/").status_code == 404


def test_the_deal_type_matters_only_where_a_measure_filters_on_it(world, client):
    client.force_login(world.users["ada"])
    page = client.get("/portal/people/E-1/estimate/?amount=150000&deal_type=renewal&close_date=2026-03-20")
    text = page.content.decode()
    # E2's one measure, bookings, has no filter: a renewal counts too (the same 10,000.00 as a new deal)
    assert '<strong data-figure="estimate-extra">10,000.00</strong>' in text


def test_an_open_opportunity_is_estimated_at_its_amount(world, client):
    from attain.apps.catalog.models import Account
    from attain.apps.sales.models import Opportunity
    from tests import factories as f

    Opportunity.objects.create(external_id="OPP-9", name="Big renewal", account=Account.objects.get(external_id="ACC-1"),
                               owner_position=f.position("AE-1"), amount=Decimal(120000), currency=f.usd(),
                               stage="proposal", created_date=D(2026, 2, 1), expected_close_date=D(2026, 3, 25))
    client.force_login(world.users["ada"])
    page = client.get("/portal/people/E-1/estimate/")
    assert "OPP-9 · Big renewal · 120,000.00 USD · closes 2026-03-25" in page.content.decode()
    text = client.get("/portal/people/E-1/estimate/?opportunity=OPP-9&amount=&deal_type=new&close_date=2026-03-25",
                      HTTP_HX_REQUEST="true").content.decode()
    # 500,000 + 120,000 = 620,000: 100,000 × 5% + 20,000 × 10% = 7,000.00
    assert "Closing Big renewal for 120,000.00 USD on 25 March 2026 (FY2026-M03)" in text
    assert '<strong data-figure="estimate-extra">7,000.00</strong>' in text


def test_accepting_and_the_list_of_acceptances_make_few_queries(world, client, django_assert_max_num_queries):
    client.force_login(world.users["ada"])
    [shown] = plan_documents(world.ada, D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_max_num_queries(20):
        client.post(f"/portal/people/E-1/plan/{shown.version.pk}/accept", {"sha256": shown.sha256})
    assert PlanAcceptance.objects.filter(participant=world.ada).count() == 1
    client.force_login(world.users["fin"])
    # session, user, roles, people, seats, assignments, versions, acceptances, requirements, the menu's permissions (2)
    with django_assert_max_num_queries(11):
        text = client.get("/portal/acceptances/").content.decode()
    assert text.count("<strong>not yet</strong>") == 1  # Bo on FLAT; Ada accepted E2 (Mia is on no plan)
    manager = client.post(f"/portal/people/E-1/plan/{shown.version.pk}/accept", {"sha256": shown.sha256}, follow=True)
    assert "Not accepted: only the participant may accept their own plan document." in manager.content.decode()
