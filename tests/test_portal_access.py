"""Row-level security: who may see whom, and every portal URL with someone else's id is "not found"."""

from __future__ import annotations

from datetime import date

import pytest

from attain.apps.calc.models import Earning
from attain.apps.portal.access import visible_participants
from tests import portal_world

pytestmark = pytest.mark.django_db
D = date
MARCH = D(2026, 3, 1)
world = portal_world.world


def ids(user, on=MARCH) -> list[str]:
    return sorted(visible_participants(user, on).values_list("employee_id", flat=True))


def test_a_rep_sees_only_themselves(world):
    assert ids(world.users["ada"]) == ["E-1"]
    assert ids(world.users["bo"]) == ["E-2"]


def test_a_manager_sees_their_effective_dated_team_and_themselves(world):
    assert ids(world.users["mia"], D(2026, 1, 31)) == ["E-1", "E-2", "M-1"]  # AE-2 reported to MGR-1 in January
    assert ids(world.users["mia"], D(2026, 2, 1)) == ["E-1", "M-1"]


def test_finance_sees_everyone_and_a_user_without_a_role_or_participant_no_one(world, django_user_model):
    assert ids(world.users["fin"]) == ["E-1", "E-2", "M-1"]
    assert ids(django_user_model.objects.create(username="nobody")) == []


def urls_of(person, earning_id: int) -> list[str]:
    base = f"/portal/people/{person.employee_id}"
    return [f"{base}/", f"{base}/statements/", f"{base}/statements/FY2026-M01/", f"{base}/statements/FY2026-M02/",
            f"{base}/earnings/{earning_id}/"]


def a_line_of(person) -> int:
    return Earning.objects.filter(participant=person, period__name="FY2026-M01").values_list("pk", flat=True)[0]


def test_a_rep_opening_another_reps_pages_by_id_gets_not_found_every_time(world, client):
    client.force_login(world.users["ada"])
    for url in urls_of(world.bo, a_line_of(world.bo)):
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404, url
    assert "it is not one you may see" in client.get(urls_of(world.bo, 0)[0]).content.decode()
    # someone else's line under the rep's own id, and an id that does not exist
    assert client.get(f"/portal/people/E-1/earnings/{a_line_of(world.bo)}/").status_code == 404
    assert client.get("/portal/people/NOBODY/").status_code == 404
    for url in urls_of(world.ada, a_line_of(world.ada)):
        assert client.get(url).status_code == 200, url


def test_a_manager_sees_a_former_team_members_pages_only_for_the_months_they_were_in_the_team(world, client):
    client.force_login(world.users["mia"])
    bo = "/portal/people/E-2"
    assert client.get(f"{bo}/statements/FY2026-M01/").status_code == 200
    assert client.get(f"{bo}/earnings/{a_line_of(world.bo)}/").status_code == 200
    assert client.get(f"{bo}/statements/FY2026-M02/").status_code == 404
    assert client.get(f"{bo}/").status_code == 404  # not in the team today
    assert client.get("/portal/people/E-1/statements/FY2026-M02/").status_code == 200


def test_a_manager_lands_on_the_team_page_with_a_way_to_their_own_pay(world, client):
    client.force_login(world.users["mia"])
    assert client.get("/")["Location"] == "/portal/team/"
    assert '<a href="/portal/">My pay</a>' in client.get("/portal/team/").content.decode()
    assert client.get("/portal/")["Location"] == "/portal/people/M-1/"


def test_the_portal_asks_for_a_login_first(world, client):
    response = client.get("/portal/people/E-1/statements/FY2026-M02/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
