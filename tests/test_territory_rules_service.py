from datetime import date

import pytest

from attain.apps.territories.models import AccountTerritory, Territory, TerritoryRule
from attain.apps.territories.services import apply_territory_rules
from tests import factories as f

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def west():
    w1 = Territory.objects.create(code="WEST-1", name="West 1")
    w2 = Territory.objects.create(code="WEST-2", name="West 2")
    TerritoryRule.objects.create(territory=w1, kind="postal_prefix", value="941", valid_from=D(2026, 1, 1),
                                 valid_to=D(2026, 6, 30))
    TerritoryRule.objects.create(territory=w2, kind="postal_prefix", value="941", valid_from=D(2026, 7, 1))
    return w1, w2


def history(account):
    return [(a.territory.code, a.valid_from, a.valid_to, a.source)
            for a in AccountTerritory.objects.filter(account=account).order_by("valid_from")]


def test_rules_applied_on_two_dates_give_e10_history(west):
    account = f.account("ACC-941")
    first = apply_territory_rules(D(2026, 1, 1))
    assert (first.assigned, first.moved, first.unchanged) == (1, 0, 0)
    second = apply_territory_rules(D(2026, 7, 1))
    assert (second.assigned, second.moved) == (0, 1)
    assert history(account) == [("WEST-1", D(2026, 1, 1), D(2026, 6, 30), "rule"), ("WEST-2", D(2026, 7, 1), None, "rule")]
    again = apply_territory_rules(D(2026, 7, 1))
    assert (again.assigned, again.moved, again.unchanged) == (0, 0, 1)  # idempotent


def test_dry_run_writes_nothing_and_manual_assignments_stay(west):
    w1, _ = west
    manual = f.account("ACC-MANUAL")
    AccountTerritory.objects.create(account=manual, territory=w1, valid_from=D(2026, 1, 1), source="manual")
    manual.postal_code = "94105"
    manual.save()
    f.account("ACC-941")
    report = apply_territory_rules(D(2026, 7, 1), dry_run=True)
    assert (report.assigned, report.kept_manual) == (1, 1)
    assert AccountTerritory.objects.count() == 1
    apply_territory_rules(D(2026, 7, 1))
    assert history(manual) == [("WEST-1", D(2026, 1, 1), None, "manual")]


def test_accounts_no_rule_covers_are_reported(west):
    f.account("ACC-941")
    nyc = f.account("ACC-NYC")
    nyc.postal_code = "10001"
    nyc.save()
    assert apply_territory_rules(D(2026, 3, 1)).unassigned == ["ACC-NYC"]
