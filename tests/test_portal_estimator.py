"""The rep's estimator: the extra earning of a deal closed on a day, by the live plan (worked by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.portal.estimator import Deal, EstimateError, estimate
from tests import portal_world

pytestmark = pytest.mark.django_db
D = date
world = portal_world.world


def test_a_deal_crossing_quota_is_paid_at_both_rates(world):
    # Ada (E2: year to date, quota 600,000, marginal 5% to 100% of quota, 10% above) has 500,000 to date in March.
    # 150,000 more on 20 March: 650,000 to date. Before: 500,000 × 5% = 25,000.00 earned to date.
    # After: 600,000 × 5% + 50,000 × 10% = 35,000.00. Extra = 10,000.00 = 100,000 × 5% + 50,000 × 10%.
    found = estimate(world.ada, Deal(Decimal(150000), "USD", D(2026, 3, 20)))
    assert found.extra == Decimal("10000.00")
    assert found.currency == "USD" and [str(v) for v in found.versions] == ["E2 v1 (published)"]
    [change] = found.changes
    assert (change.component, change.base_before, change.base_after) == ("Commission", 500000, 650000)
    assert (change.earned_before, change.earned_after, change.extra) == (25000, 35000, Decimal("10000.00"))
    assert [(t.label, t.portion, t.rate) for t in change.tiers] == [
        ("0–100% of quota", 100000, Decimal("0.05")), ("above 100%", 50000, Decimal("0.10"))]
    assert change.crossed == ("100% of quota",)
    assert change.attainment_before == Decimal(500000) / 600000 and change.attainment_after == Decimal(650000) / 600000
    assert found.problems == []


def test_a_deal_below_quota_earns_the_first_tier_only(world):
    # 40,000 on 31 March: 540,000 to date, below 600,000: 40,000 × 5% = 2,000.00.
    found = estimate(world.ada, Deal(Decimal(40000), "USD", D(2026, 3, 31)))
    assert found.extra == Decimal("2000.00")
    assert found.changes[0].crossed == ()


def test_a_paid_month_or_no_amount_cannot_be_estimated(world):
    with pytest.raises(EstimateError, match="FY2026-M02 is paid: choose a close date in a month not yet paid"):
        estimate(world.ada, Deal(Decimal(1000), "USD", D(2026, 2, 10)))
    with pytest.raises(EstimateError, match="the amount must be above 0"):
        estimate(world.ada, Deal(Decimal(0), "USD", D(2026, 3, 10)))
