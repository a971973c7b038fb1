"""The API's row-level security is the portal's: someone else's id is 404, a missing permission 403."""

from __future__ import annotations

import pytest

from attain.apps.calc.models import Earning
from attain.apps.org import roles
from attain.apps.payments.adjustments import create_adjustment
from tests import factories as f
from tests import portal_world
from tests.api_world import bearer

pytestmark = pytest.mark.django_db
world = portal_world.world


@pytest.fixture
def bo_adjustment(world):
    return create_adjustment("E-2", 100, "FY2026-M04", "SPIFF", f.user("compadmin", roles.COMP_ADMIN))


def a_line_of(person) -> int:
    return Earning.objects.filter(participant=person, period__name="FY2026-M01").values_list("pk", flat=True)[0]


def others_urls(world, adjustment) -> list[str]:
    return ["/api/participants/E-2", "/api/participants/E-2/statements", "/api/participants/E-2/statements/FY2026-M01",
            "/api/results?period=FY2026-M01&employee_id=E-2", f"/api/results/{a_line_of(world.bo)}",
            f"/api/adjustments/{adjustment.pk}", "/api/adjustments?employee_id=E-2",
            "/api/transactions?employee_id=E-2", "/api/participants/NOBODY"]


def test_a_rep_asking_for_another_reps_data_by_id_gets_not_found_every_time(world, client, bo_adjustment):
    ada = bearer("ada")
    for url in others_urls(world, bo_adjustment):
        response = client.get(url, headers=ada)
        assert response.status_code == 404, url
        assert response.json()["detail"], url
    assert client.get("/api/participants/E-1/statements/FY2026-M01", headers=ada).status_code == 200


def test_a_rep_lists_only_their_own_rows(world, client, bo_adjustment):
    ada = bearer("ada")
    assert ids(client.get("/api/participants", headers=ada)) == ["E-1"]
    lines = client.get("/api/results?period=FY2026-M02", headers=ada).json()["items"]
    assert {line["employee_id"] for line in lines} == {"E-1"}
    assert client.get("/api/adjustments", headers=ada).json() == {"items": [], "count": 0}
    deals = client.get("/api/transactions", headers=ada).json()["items"]
    assert [d["external_id"] for d in deals] == ["A-3", "A-2", "A-1"]


def test_a_manager_sees_their_effective_dated_team_only(world, client):
    mia = bearer("mia")
    assert ids(client.get("/api/participants?on=2026-01-31", headers=mia)) == ["E-1", "E-2", "M-1"]
    assert ids(client.get("/api/participants?on=2026-02-01", headers=mia)) == ["E-1", "M-1"]
    # Bo's January is in Mia's team, his February is not
    assert client.get("/api/participants/E-2/statements/FY2026-M01", headers=mia).status_code == 200
    assert client.get("/api/participants/E-2/statements/FY2026-M02", headers=mia).status_code == 404
    january = client.get("/api/results?period=FY2026-M01", headers=mia).json()["items"]
    assert {line["employee_id"] for line in january} == {"E-1", "E-2"}
    february = client.get("/api/results?period=FY2026-M02", headers=mia).json()["items"]
    assert {line["employee_id"] for line in february} == {"E-1"}
    deals = client.get("/api/transactions?period=FY2026-M01", headers=mia).json()["items"]
    assert sorted(d["external_id"] for d in deals) == ["A-1", "B-1"]


def test_runs_are_for_the_roles_that_see_everyone(world, client):
    assert client.get("/api/runs", headers=bearer("ada")).status_code == 403
    assert client.get("/api/runs", headers=bearer("mia")).status_code == 403
    runs = client.get("/api/runs?period=FY2026-M03", headers=bearer("fin")).json()
    assert runs["count"] == 1 and runs["items"][0]["status"] == "succeeded"
    detail = client.get(f"/api/runs/{runs['items'][0]['id']}", headers=bearer("fin", "2")).json()
    assert detail["counts"]["participants"] == 1 and detail["plan_versions"] == [{"plan": "E2", "version": 1},
                                                                                 {"plan": "FLAT", "version": 1}]


def test_writes_need_the_permission(world, client, bo_adjustment):
    body = {"employee_id": "E-1", "amount": "100", "period": "FY2026-M04", "reason": "SPIFF"}
    for name in ("ada", "mia", "fin"):
        made = client.post("/api/adjustments", body, content_type="application/json", headers=bearer(name))
        assert made.status_code == 403 and "payments.add_adjustment" in made.json()["detail"], name
    assert client.post("/api/runs", {"period": "FY2026-M04"}, content_type="application/json",
                       headers=bearer("fin", "2")).status_code == 403
    decided = client.post(f"/api/adjustments/{bo_adjustment.pk}/approve", {}, content_type="application/json",
                          headers=bearer("mia", "2"))
    assert decided.status_code == 404  # Bo is not in Mia's team today: not found before forbidden


def test_an_adjustment_made_by_one_is_approved_by_another_never_its_maker(world, client):
    f.user("boss", roles.ADMINISTRATOR)  # may make and approve adjustments, never both on one
    boss = bearer("boss")
    body = {"employee_id": "E-1", "amount": "250.50", "period": "FY2026-M04", "reason": "Q1 SPIFF"}
    made = client.post("/api/adjustments", body, content_type="application/json", headers=boss)
    assert made.status_code == 201, made.json()
    adjustment = made.json()
    assert adjustment["amount"] == "250.5000" and adjustment["state"] == "pending"
    own = client.post(f"/api/adjustments/{adjustment['id']}/approve", {}, content_type="application/json",
                      headers=boss)
    assert own.status_code == 403 and "segregation of duties" in own.json()["detail"]
    approved = client.post(f"/api/adjustments/{adjustment['id']}/approve", {"note": "ok"},
                           content_type="application/json", headers=bearer("controller"))
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    again = client.post(f"/api/adjustments/{adjustment['id']}/reject", {"note": "no"},
                        content_type="application/json", headers=bearer("controller", "2"))
    assert again.status_code == 400 and "approved already" in again.json()["detail"]
    assert client.get(f"/api/adjustments/{adjustment['id']}", headers=bearer("ada")).json()["state"] == "approved"


def test_a_refused_adjustment_says_why(world, client):
    compadmin = bearer("compadmin")
    paid = {"employee_id": "E-1", "amount": "100", "period": "FY2026-M01", "reason": "late"}
    refused = client.post("/api/adjustments", paid, content_type="application/json", headers=compadmin)
    assert refused.status_code == 400 and "FY2026-M01 is paid: adjust an open month" in refused.json()["detail"]
    floats = client.post("/api/adjustments", {**paid, "amount": 100.5}, content_type="application/json",
                         headers=compadmin)
    assert floats.status_code == 422 and "body.amount" in floats.json()["detail"]


def test_plans_reps_read_their_own_live_versions_comp_admins_all(world, client):
    mine = client.get("/api/plans", headers=bearer("ada")).json()["items"]
    assert [p["code"] for p in mine] == ["E2"]
    assert client.get("/api/plans/FLAT/versions/1", headers=bearer("ada", "2")).status_code == 404
    version = client.get("/api/plans/E2/versions/1", headers=bearer("ada", "3")).json()
    assert version["document"].startswith("\nplan: E2") or "plan: E2" in version["document"]
    everything = client.get("/api/plans", headers=bearer("compadmin")).json()["items"]
    assert [p["code"] for p in everything] == ["E2", "FLAT"]


def ids(response) -> list[str]:
    return sorted(p["employee_id"] for p in response.json()["items"])
