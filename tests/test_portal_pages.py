"""The rep's pages show the stored numbers exactly (tests/portal_world.py works them out by hand), in a
number of queries that does not grow with the lines."""

from __future__ import annotations

import re

import pytest

from attain.apps.calc.models import Earning
from attain.apps.portal.home import rep_home
from tests import portal_world

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', html))


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rows(html: str) -> list[list[str]]:
    """The cells of every table body row, as text."""
    bodies = "".join(re.findall(r"<tbody>(.*?)</tbody>", html, re.S))
    return [[text(cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", bodies, re.S)]


@pytest.fixture
def ada(world, lineage, client):
    client.force_login(world.users["ada"])
    return client


def test_the_rep_home_shows_the_year_the_open_month_attainment_and_recent_credits(ada, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        html = ada.get("/portal/people/E-1/").content.decode()
    assert figures(html) == {"earned-USD": "22,500.00", "paid-USD": "22,500.00", "expected-USD": "2,500.00",
                             "attainment-bookings": "83.3%"}
    shown = text(html)
    assert "2 months paid: FY2026-M01, FY2026-M02" in shown
    assert "of quota, year to date: 500,000.00 USD of 600,000.00 USD." in shown
    assert "100,000.00 USD more to reach the 10% tier." in shown
    assert rows(html) == [["2026-03-10", "A-3", "Account ACC-1", "50,000.00", "bookings (direct)"],
                          ["2026-02-15", "A-2", "Account ACC-1", "200,000.00", "bookings (direct)"],
                          ["2026-01-20", "A-1", "Account ACC-1", "250,000.00", "bookings (direct)"]]
    assert '<title id="gauge-1">83.3% of quota</title>' in html and 'class="arc below"' in html


def test_the_home_service_keeps_the_exact_amounts(world, lineage):
    from decimal import Decimal

    home = rep_home(world.ada)
    assert (home.open_month.name, home.paid_months) == ("FY2026-M03", ["FY2026-M01", "FY2026-M02"])
    assert [(y.currency, y.earned, y.paid) for y in home.year] == [("USD", Decimal("22500.00"), Decimal("22500.00"))]
    assert home.expected == [("USD", Decimal("2500.00"))]
    (bookings,) = home.attainments
    assert (bookings.measure, bookings.value, bookings.quota) == ("bookings", Decimal(500000), Decimal(600000))
    assert bookings.to_next_tier == (Decimal(100000), Decimal("0.10"))


def test_a_rep_lands_on_their_own_home_and_a_flat_plan_has_no_gauge(world, lineage, client):
    client.force_login(world.users["bo"])
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/portal/", 302), ("/portal/people/E-2/", 302)]
    html = response.content.decode()
    # nothing calculated for Bo in March: the expected amount is 0; attainment falls back to February's run
    assert figures(html) == {"earned-USD": "4,500.00", "paid-USD": "4,500.00", "expected": "0.00"}
    assert "No calculated quota to compare with yet." in html


def test_the_statement_list_names_every_paid_month(ada):
    html = ada.get("/portal/people/E-1/statements/").content.decode()
    assert re.findall(r'<a href="/portal/people/E-1/statements/(FY2026-M\d\d)/">[^<]*</a></td>\s*<td class="num">([^<]*)',
                      html) == [("FY2026-M02", "10,000.00"), ("FY2026-M01", "12,500.00")]


def test_the_statement_shows_the_payment_and_each_line_opens_onto_its_earning_lines(ada,
                                                                                     django_assert_max_num_queries):
    # session, user, roles, month, participant; the statement service's own (payment, its lines, the earning lines
    # once for the statement and the drill-down, rounding per currency, year to date); permissions (dispute links)
    with django_assert_max_num_queries(15):
        html = ada.get("/portal/people/E-1/statements/FY2026-M02/").content.decode()
    assert figures(html) == {"paid": "10,000.00", "ytd-earned": "22,500.00", "ytd-adjustments": "0.00",
                             "ytd-paid": "22,500.00"}
    assert re.findall(r"<summary>([^<]*)<span", html) == ["E2 Commission"]
    line = Earning.objects.get(participant__employee_id="E-1", period__name="FY2026-M02")
    assert ("10,000.00 USD. Commission, year to date (quota 600,000.00, attainment 75%): 450,000.00 at 5% "
            "(0–100% of quota) = 22,500.00; earned before 12,500.00, so this period 10,000.00") in html
    assert f'hx-get="/portal/people/E-1/earnings/{line.pk}/" hx-target="#why-{line.pk}"' in html


def test_an_earning_line_names_its_plan_and_the_credited_deals(ada, django_assert_max_num_queries):
    line = Earning.objects.get(participant__employee_id="E-1", period__name="FY2026-M02")
    with django_assert_max_num_queries(8):
        page = ada.get(f"/portal/people/E-1/earnings/{line.pk}/").content.decode()
    fragment = ada.get(f"/portal/people/E-1/earnings/{line.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in page and "<html" not in fragment  # htmx gets the part to put under the line
    for html in (page, fragment):
        assert "Plan E2 version 1 (valid 2026-01-01 – open)." in html
        assert "bookings: 1 credit in FY2026-M02" in html
        assert rows(html) == [["A-2", "2026-02-15", "Account ACC-1", "200,000.00 USD", "200,000.00", "direct"]]
    assert figures(page) == {"line-amount": "10,000.00"}


def test_a_month_not_paid_yet_says_why_there_is_no_statement(ada):
    response = ada.get("/portal/people/E-1/statements/FY2026-M03/")
    assert response.status_code == 404
    assert "has no payment for FY2026-M03: the month is calculated" in response.content.decode()
    assert ada.get("/portal/people/E-1/statements/FY2031-M01/").status_code == 404


def test_the_credits_of_a_run_not_kept_are_said_so(world, client):
    client.force_login(world.users["ada"])  # without the lineage fixture: this test's var folder is empty
    assert "The credits of this calculation were not kept." in client.get("/portal/people/E-1/").content.decode()
