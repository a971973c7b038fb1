"""The admin's earning list searches through the indexes (people and positions first) and reads the run filter in
one query: the same rows as a search of the joined names, for a fixed number of queries
(tests/portal_world.py: Ada E-1 on AE-1 has a line in each of January, February and March, Bo E-2 on AE-2 two)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attain.apps.calc.admin import searched_earnings
from attain.apps.calc.models import CalculationRun, Earning
from tests import portal_world

pytestmark = pytest.mark.django_db
world = portal_world.world
URL = "/admin/calc/earning/"


def test_a_search_finds_the_lines_of_a_person_a_position_or_a_component(world):
    lines = Earning.objects.all()
    assert sorted(searched_earnings(lines, "e-1").values_list("period__name", flat=True)) == [
        "FY2026-M01", "FY2026-M02", "FY2026-M03"]
    assert sorted(searched_earnings(lines, "AE-2").values_list("period__name", flat=True)) == [
        "FY2026-M01", "FY2026-M02"]
    assert searched_earnings(lines, "E-1 AE-2").count() == 0  # every term must match
    assert searched_earnings(lines, "Commission").count() == 5  # E2's and FLAT's component are both "Commission"
    assert searched_earnings(lines, "nobody").count() == 0


def test_the_earning_list_costs_the_same_queries_whatever_it_shows(world, admin_client):
    def queries(**query):
        with CaptureQueriesContext(connection) as ctx:
            page = admin_client.get(URL, query)
        assert page.status_code == 200
        return len(ctx), page.content.decode()

    everyone, shown = queries()
    searched, found = queries(q="E-1")
    assert searched <= everyone and "Ada E-1 (E-1)" in found and "(E-2)" not in found
    march = CalculationRun.objects.get(period__name="FY2026-M03")
    by_run, found = queries(run=str(march.pk))
    assert by_run == everyone and f"Run {march.pk} for FY2026-M03 (succeeded)" in found
    assert found.count("field-participant") == 1 and ">Ada E-1 (E-1)</a>" in found  # March: Ada's line only
