"""The manager's team page: exact numbers (tests/team_world.py works them out by hand), who may see what, and a
number of queries that does not grow with the team."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from attain.apps.portal.team import build_team, calculated_months, team_of
from attain.apps.portal.team_money import overlap_days
from attain.apps.portal.team_org import OrgChart
from tests import team_world
from tests.test_portal_pages import figures, rows, text

pytestmark = pytest.mark.django_db
team = team_world.team
D = team_world.D


@pytest.fixture
def mia(team, client):
    client.force_login(team.users["mia"])
    return client


def march_team(world, leader="M-1", **more):
    months = calculated_months()
    march, run = next(pair for pair in months.values() if pair[0].name == "FY2026-M03")
    org = OrgChart()
    seats, positions = team_of(org, world.people[leader], march.end_date, False)
    return build_team(org, world.people[leader], seats, positions, march, run, [m for m, _ in months.values()], **more)


def test_the_team_service_works_the_numbers_out_exactly(team):
    shown = march_team(team)
    assert [(r.rank, r.member.participant.employee_id, r.attainment) for r in shown.rows] == [
        (1, "E-3", Decimal("1.125")), (2, "E-5", Decimal(1)), (3, "E-1", Decimal(500000) / Decimal(600000)),
        (4, "E-4", Decimal("0.2"))]
    assert (shown.measure, shown.scope, shown.measured, shown.at_quota, shown.at_threshold) == (
        "bookings", "year to date", 4, 2, 3)
    assert (shown.share_at_quota, shown.share_at_threshold) == (Decimal("0.5"), Decimal("0.75"))
    assert {b.label: b.names for b in shown.bins if b.count} == {
        "20–30%": ("Di E-4",), "80–90%": ("Ada E-1",), "100–110%": ("Ed E-5",), "110–120%": ("Cy E-3",)}
    assert len(shown.bins) == 16 and shown.bins[0].label == "under 10%" and shown.bins[-1].label == "150% or more"
    earned = {r.member.participant.employee_id: r.earned for r in shown.rows}
    assert earned == {"E-1": [("USD", Decimal("25000.00"))], "E-3": [("USD", Decimal("25000.00"))],
                      "E-4": [("USD", Decimal("5000.00"))], "E-5": [("USD", Decimal("10000.00"))]}
    budget = shown.budget
    assert budget.rows() == [("USD", Decimal("65000.00"), Decimal("41917.81"), Decimal("170000.00"),
                              Decimal("65000.00") / Decimal("41917.81"))]
    assert [(m.month.name, m.earned, m.budget) for m in budget.months] == [
        ("FY2026-M01", {"USD": Decimal(27500)}, {"USD": Decimal(170000) * 31 / 365}),
        ("FY2026-M02", {"USD": Decimal(15000)}, {"USD": Decimal(170000) * 28 / 365}),
        ("FY2026-M03", {"USD": Decimal(22500)}, {"USD": Decimal(170000) * 31 / 365})]


def test_pipeline_coverage_counts_what_was_open_on_the_months_last_day_until_the_quotas_window_ends(team):
    shown = march_team(team)
    assert shown.window_end == D(2026, 12, 31) and shown.deal_types is None
    by_id = {r.member.participant.employee_id: r for r in shown.rows}
    ada, di, cy, ed = by_id["E-1"], by_id["E-4"], by_id["E-3"], by_id["E-5"]
    assert (ada.pipeline, ada.deals, ada.remaining, ada.coverage) == (Decimal(200000), 2, Decimal(100000), Decimal(2))
    assert (di.pipeline, di.remaining, di.coverage) == (Decimal("110000.0"), Decimal(400000), Decimal("0.275"))
    assert (cy.pipeline, cy.remaining, cy.coverage, cy.quota_reached) == (Decimal(10000), Decimal(0), None, True)
    assert (ed.pipeline, ed.remaining, ed.coverage) == (Decimal(0), Decimal(0), None)
    assert shown.elapsed == Decimal(90) / Decimal(365)  # 24.7% of the year gone by on 31 March
    assert [(r.member.participant.employee_id, r.behind_pace) for r in shown.rows] == [
        ("E-3", False), ("E-5", False), ("E-1", False), ("E-4", True)]
    assert [r.member.participant.employee_id for r in shown.at_risk] == ["E-4"]  # 20.0% < 24.7%, coverage 0.3


def test_a_month_is_counted_by_its_days_both_ends_included():
    assert overlap_days(D(2026, 1, 1), None, D(2026, 1, 1), D(2026, 3, 31)) == 90
    assert overlap_days(D(2026, 2, 15), D(2026, 2, 20), D(2026, 2, 1), D(2026, 2, 28)) == 6
    assert overlap_days(D(2026, 4, 1), None, D(2026, 1, 1), D(2026, 3, 31)) == 0


def test_the_team_page_shows_the_numbers_the_leaderboard_and_the_charts_text(mia, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):
        html = mia.get("/portal/team/?month=FY2026-M03").content.decode()
    assert figures(html) == {"share-quota": "50.0%", "share-threshold": "75.0%", "earned-USD": "65,000.00",
                             "budget-USD": "41,917.81", "budget-used-USD": "155.1%", "budget-year-USD": "170,000.00",
                             "attainment": "20.0%", "earned": "5,000.00 USD", "coverage": "0.3× ", "at-risk": "1"}
    board = [row for row in rows(html) if len(row) == 8]
    assert [row[:3] + row[4:7] for row in board] == [
        ["1", "Cy E-3 AE-3", "112.5%", "25,000.00 USD", "10,000.00 (1)", "quota reached"],
        ["2", "Ed E-5 AE-5", "100.0%", "10,000.00 USD", "0.00 (0)", "quota reached"],
        ["3", "Ada E-1 AE-1", "83.3%", "25,000.00 USD", "200,000.00 (2)", "2.0×"],
        ["4", "Di E-4 AE-4", "20.0% as of FY2026-M02: no credit since", "5,000.00 USD", "110,000.00 (1)",
         "0.3× at risk"]]
    shown = text(html)
    assert "2 of 4 at or above 100% of quota (50.0%); 3 of 4 at or above 50% (75.0%)." in shown
    assert "The team earned 65,000.00 USD in FY2026 to FY2026-M03, against a budget to date of 41,917.81 USD (155.1%)." \
        in shown
    assert ["FY2026-M02", "15,000.00", "42,500.00", "27,479.45"] in rows(html)  # the trend's table
    assert ["80–90%", "1", "Ada E-1"] in rows(html)  # the histogram's table
    assert 'role="img"' in html and 'aria-label="Attainment on bookings, FY2026-M03: 2 of 4' in html
    figure = json.loads(re.search(r'id="attainment-distribution-figure" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    assert figure["data"][0]["y"][2] == 1 and figure["data"][0]["type"] == "bar"
    assert '/static/plotly/plotly.min.js' in html and '/static/attain/charts.js' in html
    assert 'data-chart-config="{&quot;displaylogo&quot;: false, &quot;responsive&quot;: true' in html
    assert 'href="/portal/people/E-1/statements/"' in html  # March is not paid: the list of statements


def test_the_page_makes_the_same_number_of_queries_for_a_bigger_team(team, mia, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attain.apps.portal.team import _earnings_of

    _earnings_of.cache_clear()  # the year's lines read from the database each time (not kept from another test)
    with CaptureQueriesContext(connection) as before:
        mia.get("/portal/team/?month=FY2026-M03")
    from attain.apps.org.models import PositionHolder, ReportingLine
    for n in range(10, 16):
        seat = team_world.f.position(f"AE-{n}")
        ReportingLine.objects.create(position=seat, manager_position=team_world.f.position("MGR-1"),
                                     valid_from=D(2025, 1, 1))
        PositionHolder.objects.create(participant=team_world.f.participant(f"X-{n}"), position=seat,
                                      valid_from=D(2025, 1, 1))
    _earnings_of.cache_clear()
    with django_assert_num_queries(len(before.captured_queries)):
        html = mia.get("/portal/team/?month=FY2026-M03").content.decode()
    assert "X-15" in html


def test_the_years_lines_are_kept_for_the_same_runs_and_team_and_read_again_for_a_new_run(team, mia):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attain.apps.calc.services import calculate_period
    from attain.apps.portal.team import _earnings_of

    _earnings_of.cache_clear()

    def earning_queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert mia.get("/portal/team/?month=FY2026-M03").status_code == 200
        return sum('FROM "calc_earning"' in q["sql"] for q in done.captured_queries)

    assert (earning_queries(), earning_queries()) == (1, 0)
    calculate_period("FY2026-M03")  # a new run of March: its lines are read
    assert earning_queries() == 1


def test_the_default_month_is_the_latest_calculated(mia):
    assert "numbers from FY2026-M03" in text(mia.get("/portal/team/").content.decode())
    assert mia.get("/portal/team/?month=FY2026-M09").status_code == 404  # not calculated
    assert mia.get("/portal/team/?month=nonsense").status_code == 404
    assert "numbers from FY2026-M02" in text(mia.get("/portal/team/?month=FY2026-M02").content.decode())
    feb = mia.get("/portal/team/?month=FY2026-M02").content.decode()
    assert 'href="/portal/people/E-1/statements/FY2026-M02/"' in feb  # a paid month links its statement


def test_the_threshold_can_be_chosen_and_a_wrong_one_falls_back_to_50(mia):
    assert figures(mia.get("/portal/team/?month=FY2026-M03&threshold=90").content.decode())["share-threshold"] == "50.0%"
    assert figures(mia.get("/portal/team/?month=FY2026-M03&threshold=x").content.decode())["share-threshold"] == "75.0%"


def test_a_leader_opens_the_team_of_a_manager_under_them(team, client):
    client.force_login(team.users["dee"])
    html = client.get("/portal/team/?month=FY2026-M03").content.decode()
    assert "Mia M-1" in html and 'href="/portal/team/M-1/?month=FY2026-M03"' in html
    sub = client.get("/portal/team/M-1/?month=FY2026-M03").content.decode()
    assert "The team under Mia M-1 (M-1), read-only." in text(sub)
    assert figures(sub)["earned-USD"] == "65,000.00"


def test_a_manager_opening_another_team_or_someone_above_gets_not_found(team, mia):
    for url in ("/portal/team/N-1/", "/portal/team/E-6/", "/portal/team/D-1/", "/portal/team/NOBODY/"):
        assert mia.get(url).status_code == 404, url
    assert mia.get("/portal/team/E-1/").status_code == 404  # in the team, but leads no team
    html = mia.get("/portal/team/?month=FY2026-M03").content.decode()
    assert "Flo" not in html and "AE-6" not in html


def test_a_rep_may_not_open_the_team_pages(team, client):
    client.force_login(team.users["ada"])
    for url in ("/portal/team/", "/portal/team/M-1/", "/portal/team/adjustments/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "The team pages are for managers" in response.content.decode()
    assert client.post("/portal/team/adjustments/1/", {"action": "approve"}).status_code == 403
    assert "/portal/team/" not in client.get("/portal/people/E-1/").content.decode()  # no Team link


def test_managers_and_executives_land_on_the_team_page_and_reps_on_their_own(team, client):
    for user, landing in (("mia", "/portal/team/"), ("exec", "/portal/team/"), ("ada", "/portal/")):
        client.force_login(team.users[user])
        assert client.get("/")["Location"] == landing, user


def test_an_executive_without_a_seat_sees_the_whole_company_read_only(team, client):
    client.force_login(team.users["exec"])
    html = client.get("/portal/team/?month=FY2026-M03").content.decode()
    assert "The company" in html and "Flo E-6" in html and "Dee D-1" in html
    assert figures(html)["earned-USD"] == "69,500.00"  # with Flo's 4,500 (90,000 × 5% in February)
    assert "<form method=\"post\"" not in html.split("</header>")[1]


def test_the_manager_reads_a_reps_statement_without_any_way_to_act(team, mia, settings):
    settings.VAR_DIR = team.var_dir
    html = mia.get("/portal/people/E-1/statements/FY2026-M02/").content.decode()
    assert "You are looking at Ada E-1's pay (E-1), read-only." in text(html)
    body = html.split("</header>")[1]
    assert "<form" not in body and 'method="post"' not in body


def test_plotly_is_served_by_the_app(client):
    from django.contrib.staticfiles import finders

    assert finders.find("plotly/plotly.min.js").endswith("package_data/plotly.min.js")
    response = client.get("/static/plotly/plotly.min.js")
    assert response.status_code == 200
    assert b"plotly" in b"".join(response.streaming_content)[:2000].lower()


def test_pages_without_charts_do_not_load_plotly(team, client):
    client.force_login(team.users["ada"])
    assert "plotly" not in client.get("/portal/people/E-1/statements/").content.decode()

