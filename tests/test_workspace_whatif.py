"""The what-if page: a draft with a 15% accelerator against live E2, year to March, worked out by hand.

  Ada (E-1): YTD 650,000 on a 600,000 quota → live 600,000 × 5% + 50,000 × 10% = 35,000.00;
             draft 30,000 + 50,000 × 15% = 37,500.00 (+2,500.00).
  Bo  (E-2): 100,000 × 5% = 5,000.00 on both.
  Totals 40,000.00 → 42,500.00; revenue 750,000 → cost of sales 5.33% → 5.67% (to the hundredth of a percent).
  Per payee (two payees, interpolated): live 5,000 / 12,500 / 20,000 / 27,500 / 35,000;
  draft 5,000 / 13,125 / 21,250 / 29,375 / 37,500 (e.g. the draft's 25th percentile 5,000 + 32,500 × 0.25).
"""

from __future__ import annotations

import pytest

from attain.apps.plans.services import new_draft_from, save_draft
from tests import plans_ws_world
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = plans_ws_world.build()
    draft = new_draft_from("E2", 1, valid_from=plans_ws_world.D(2027, 1, 1))
    save_draft("E2", 2, E2_PLAN.replace("rate: 0.10", "rate: 0.15"), valid_from=plans_ws_world.D(2027, 1, 1))
    world["draft"] = draft
    return world


def query(world, **more) -> dict:
    return {"draft": world["draft"].pk, "against": "E2", "period": "FY2026-M03", "compare": "1", **more}


def test_the_cost_and_its_spread_as_worked_out_by_hand(client, world, django_assert_max_num_queries):
    client.force_login(world["users"]["fin"])  # finance may look: nothing is stored
    with django_assert_max_num_queries(36):
        html = client.get("/workspace/plans/what-if/", query(world)).content.decode()
    rows = ['<th scope="row">Total earnings</th><td class="num">40,000.00</td><td class="num">42,500.00</td>'
            '<td class="num">2,500.00</td>',
            '<th scope="row">Payees</th><td class="num">2</td><td class="num">2</td><td class="num">0</td>',
            '<th scope="row">Cost of sales</th><td class="num">5.33%</td><td class="num">5.67%</td>',
            '<th scope="row">Payee 25th percentile</th><td class="num">12,500.00</td><td class="num">13,125.00</td>'
            '<td class="num">625.00</td>',
            '<th scope="row">Payee median</th><td class="num">20,000.00</td><td class="num">21,250.00</td>'
            '<td class="num">1,250.00</td>']
    for row in rows:
        assert row in html, row
    assert ('<th scope="row">E-1</th><td>Ada E-1</td><td class="num">35,000.00</td><td class="num">37,500.00</td>'
            '<td class="num">2,500.00</td>') in html
    assert "E2 v2 (draft) against E2 v1 (live), year to FY2026-M03" in html


def test_each_chart_has_its_caption_label_and_numbers(client, world):
    client.force_login(world["users"]["carla"])
    html = client.get("/workspace/plans/what-if/", query(world), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html  # htmx gets the results only
    assert ('aria-label="Cost to date, live and draft: To FY2026-M03, the draft pays 42,500.00 against 40,000.00 '
            'live: 2,500.00 more."') in html
    assert ("<strong>Payout per payee, live and draft.</strong> The 2 payees whose pay changes most; the largest "
            "change is E-1&#x27;s, 35,000.00 live and 37,500.00 on the draft.") in html
    assert '<th scope="row">E-2</th><td class="num">5,000.00</td><td class="num">5,000.00</td><td class="num">0.00</td>' in html
    assert html.count('role="img"') == 3


def test_the_form_alone_computes_nothing_and_says_what_is_wrong(client, world):
    client.force_login(world["users"]["carla"])
    html = client.get("/workspace/plans/what-if/", {"draft": world["draft"].pk}).content.decode()
    assert 'hx-indicator="#comparing"' in html and "Comparing…" in html and "Total earnings" not in html
    assert f'<option value="{world["draft"].pk}" selected>E2 v2 (from 2027-01-01)</option>' in html
    html = client.get("/workspace/plans/what-if/", query(world, period="FY2031-M01")).content.decode()
    assert "Cannot compare: there is no period &#x27;FY2031-M01&#x27;" in html
