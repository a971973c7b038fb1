"""The results browser on tests/portal_world.py's company (its docstring gives the numbers).

February's run (FY2026-M02, paid) has two lines: Ada (E-1, AE-1, plan E2) 10,000.00 USD — YTD 450,000 at 5% =
22,500 less January's 12,500 — and Bo (E-2, AE-2, plan FLAT) 3,000.00 USD — 30,000 at 10%. Total 13,000.00 USD.
On 28 February AE-2 no longer reports to MGR-1 (its line ended 31 January): MGR-1's team is AE-1 only.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from attain.apps.calc.models import Earning
from attain.apps.org import roles
from tests import factories as f
from tests import portal_world

pytestmark = pytest.mark.django_db
world = portal_world.world


@pytest.fixture
def admin(world, client):
    client.force_login(f.user("compadmin", roles.COMP_ADMIN))


def shown(client, query: str):
    page = client.get(f"/workspace/results/?{query}")
    assert page.status_code == 200
    return [e.participant.employee_id for e in page.context["page"]], page.context["totals"]


def test_the_months_lines_with_their_totals_per_currency(admin, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        page = client.get("/workspace/results/?period=FY2026-M02")
    lines = [(e.participant.employee_id, e.plan_version.plan.code, e.component, e.amount_rounded)
             for e in page.context["page"]]
    assert lines == [("E-1", "E2", "Commission", Decimal("10000.0000")),
                     ("E-2", "FLAT", "Commission", Decimal("3000.0000"))]
    assert page.context["totals"] == [("USD", 2, Decimal("13000.0000"), Decimal("13000"))]
    html = page.content.decode()
    assert 'data-figure="total-USD" title="precise 13000' in html and ">13,000.00<" in html
    ada = Earning.objects.get(run__period__name="FY2026-M02", participant__employee_id="E-1")
    assert f'href="/portal/people/E-1/earnings/{ada.pk}/"' in html  # the explanation and lineage


def test_the_latest_month_is_shown_first(admin, client):
    assert shown(client, "") == (["E-1"], [("USD", 1, Decimal("2500.0000"), Decimal("2500"))])  # March: 2,500.00


def test_filters_narrow_the_lines_and_the_totals(admin, client):
    assert shown(client, "period=FY2026-M02&plan=FLAT") == (["E-2"], [("USD", 1, Decimal("3000.0000"), Decimal("3000"))])
    assert shown(client, "period=FY2026-M02&team=MGR-1")[0] == ["E-1"]  # AE-2 left MGR-1's team on 31 January
    assert shown(client, "period=FY2026-M01&team=MGR-1")[0] == ["E-1", "E-2"]  # both on 31 January (inclusive)
    assert shown(client, "period=FY2026-M02&position=AE-2")[0] == ["E-2"]
    assert shown(client, "period=FY2026-M02&q=e-2")[0] == ["E-2"]
    assert shown(client, "period=FY2026-M02&component=Bonus") == ([], [])
    assert shown(client, "period=FY2026-M02&sort=-amount")[0] == ["E-1", "E-2"]  # 10,000 before 3,000
    assert shown(client, "period=FY2026-M02&sort=amount")[0] == ["E-2", "E-1"]
    choices = client.get("/workspace/results/?period=FY2026-M02").context["choices"]
    assert (choices.plans, choices.components, choices.positions, choices.managers) == (
        ["E2", "FLAT"], ["Commission"], ["AE-1", "AE-2"], ["MGR-1"])


def test_the_csv_has_the_filtered_lines_with_exact_amounts(admin, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        answer = client.get("/workspace/results/earnings.csv?period=FY2026-M02&plan=E2")
        rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert answer["Content-Disposition"].startswith('attachment; filename="earnings-FY2026-M02-run-')
    assert [(r["employee_id"], r["plan"], r["component"], r["amount_precise"], r["amount"], r["currency"])
            for r in rows] == [("E-1", "E2", "Commission", "10000.00000000000000", "10000.0000", "USD")]
    everything = client.get("/workspace/results/earnings.csv?period=FY2026-M02")
    assert len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode())))) == 3
    assert client.get("/workspace/results/earnings.csv?period=FY2026-M09").status_code == 404


def test_a_month_without_results_says_so(admin, client):
    html = client.get("/workspace/results/?period=FY2026-M09").content.decode()
    assert "There are no results for that month" in html


def test_pages_of_fifty_lines_stay_within_a_few_queries(admin, client, django_assert_max_num_queries):
    """120 more lines in March's run: three pages, each read in the same number of queries (no N+1); 121 lines of
    2,500.00 add up to 302,500.00."""
    march = Earning.objects.get(run__period__name="FY2026-M03")
    copies = []
    for n in range(120):
        march.pk = None
        march.component = f"SPIFF {n:03}"
        copies.append(Earning(**{k: v for k, v in march.__dict__.items() if not k.startswith("_")}))
    Earning.objects.bulk_create(copies)
    for number in (1, 3):
        with django_assert_max_num_queries(14):
            page = client.get(f"/workspace/results/?period=FY2026-M03&page={number}").context["page"]
        assert len(page.object_list) == (50 if number == 1 else 21)  # 121 lines: 50, 50, 21
    assert shown(client, "period=FY2026-M03")[1] == [("USD", 121, Decimal("302500.0000"), Decimal("302500"))]
