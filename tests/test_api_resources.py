"""The API's numbers are the stored ones, exact and as strings; lists are pages with a fixed number of queries."""

from __future__ import annotations

import pytest

from attain.apps.calc.models import CalculationRun
from tests import portal_world
from tests.api_world import bearer

pytestmark = pytest.mark.django_db
world = portal_world.world


def test_a_statement_has_the_portals_numbers_as_exact_strings(world, client, django_assert_max_num_queries):
    ada = bearer("ada")
    with django_assert_max_num_queries(17):  # the statement service, as on the portal
        paid = client.get("/api/participants/E-1/statements/FY2026-M02", headers=ada).json()
    assert paid["paid"] == "10000.0000" and paid["currency"] == "USD"
    assert paid["year_to_date"] == {"earned": "22500.00", "adjustments": "0.00", "paid": "22500.00"}
    (line,) = paid["earnings"]
    assert line["label"] == "E2 Commission" and line["amount"] == "10000.00"
    assert "earned before 12,500.00, so this period 10,000.00" in line["explanation"]
    assert paid["payment"]["draw_top_up"] == "0" and paid["adjustments"] == [] and paid["manual"] == []
    months = client.get("/api/participants/E-1/statements", headers=ada).json()
    assert [(m["period"], m["paid"]) for m in months] == [("FY2026-M02", "10000.0000"), ("FY2026-M01", "12500.0000")]
    march = client.get("/api/participants/E-1/statements/FY2026-M03", headers=ada)
    assert march.status_code == 404 and "the month is calculated" in march.json()["detail"]


def test_results_are_the_runs_lines_precise_and_rounded(world, client):
    lines = client.get("/api/results?period=FY2026-M03&employee_id=E-1", headers=bearer("ada")).json()["items"]
    (march,) = lines
    assert march["amount_rounded"] == "2500.0000" and march["earned_to_date"].startswith("25000.")
    assert march["base"].startswith("500000") and march["plan"] == "E2" and march["position"] == "AE-1"
    none = client.get("/api/results?period=FY2026-M05", headers=bearer("ada", "2"))
    assert none.status_code == 404 and "no successful calculation run" in none.json()["detail"]
    unknown = client.get("/api/results?period=FY2031-M01", headers=bearer("ada", "3"))
    assert unknown.status_code == 404 and "No such month" in unknown.json()["detail"]


@pytest.mark.parametrize("url", ["/api/participants", "/api/transactions", "/api/results?period=FY2026-M01",
                                 "/api/adjustments", "/api/plans", "/api/runs"])
def test_lists_make_a_fixed_number_of_queries(world, client, url, django_assert_max_num_queries):
    headers = bearer("compadmin")
    with django_assert_max_num_queries(8):
        assert client.get(url, headers=headers).status_code == 200


def test_a_manager_list_makes_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    headers = bearer("mia")
    for url in ("/api/participants", "/api/transactions", "/api/results?period=FY2026-M01"):
        with django_assert_max_num_queries(10):
            assert client.get(url, headers=headers).status_code == 200


def test_lists_are_pages(world, client):
    headers = bearer("fin")
    first = client.get("/api/transactions?limit=2", headers=headers).json()
    second = client.get("/api/transactions?limit=2&offset=2", headers=headers).json()
    assert first["count"] == second["count"] == 5
    assert [t["external_id"] for t in first["items"] + second["items"]] == ["A-3", "A-2", "B-2", "A-1"]
    assert first["items"][0]["amount"] == "50000.0000"
    too_many = client.get("/api/transactions?limit=501", headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["detail"].startswith("Invalid request: query.limit: Input should be less than or equal")


def test_a_comp_admin_calculates_a_month_through_the_api(world, client):
    made = client.post("/api/runs", {"period": "FY2026-M04"}, content_type="application/json",
                       headers=bearer("compadmin"))
    assert made.status_code == 202, made.json()  # started; run inline in the tests, so already ended
    run = made.json()
    assert run["status"] == "succeeded" and run["period"] == "FY2026-M04" and run["created_by"] == "compadmin"
    # E2 and FLAT, saving, keeping the credits: 4 steps, all done
    assert (run["step"], run["steps_done"], run["steps_total"]) == ("Done", 4, 4)
    polled = client.get(f"/api/runs/{run['id']}", headers=bearer("compadmin", "3")).json()
    assert polled["status"] == "succeeded" and polled["steps_done"] == 4
    assert CalculationRun.objects.get(pk=run["id"]).created_by.username == "compadmin"
    paid = client.post("/api/runs", {"period": "FY2026-M01"}, content_type="application/json",
                       headers=bearer("compadmin", "2"))
    assert paid.status_code == 400 and "FY2026-M01 is paid" in paid.json()["detail"]


def test_unknown_addresses_and_the_docs(client):
    assert client.get("/api/nothing-here").json()["detail"].startswith("There is no API address /api/nothing-here")
    schema = client.get("/api/openapi.json").json()
    assert {"401", "404", "422"} <= set(schema["paths"]["/api/participants"]["get"]["responses"])
    money = schema["components"]["schemas"]["EarningOut"]["properties"]["amount"]
    assert money["type"] == "string" and "never a binary float" in money["description"]
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
