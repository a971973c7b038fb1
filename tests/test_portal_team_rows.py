"""The leaderboard's rows, made in Python (portal/team_rows.py), escape every text as the template did, and link
each member's pages (tests/team_world.py: Mia's team in March; Cy E-3 is first, 112.5%)."""

from __future__ import annotations

import pytest

from attain.apps.org.models import Participant
from tests import team_world

pytestmark = pytest.mark.django_db
team = team_world.team


def test_names_are_escaped_and_links_lead_to_the_members_pages(team, client):
    Participant.objects.filter(employee_id="E-3").update(first_name='<i onclick="x()">Cy</i> &')
    client.force_login(team.users["mia"])
    html = client.get("/portal/team/?month=FY2026-M03").content.decode()
    assert "<i onclick" not in html
    assert ('<td><a href="/portal/people/E-3/">&lt;i onclick=&quot;x()&quot;&gt;Cy&lt;/i&gt; &amp; E-3</a> '
            '<span class="who">AE-3</span></td>') in html
    assert '<td class="nowrap"><a href="/portal/people/E-3/statements/">Statements</a></td>' in html  # March unpaid
