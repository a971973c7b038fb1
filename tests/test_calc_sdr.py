"""An SDR plan from the database: activities, opportunities with their stage history, sourced deals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from attain.apps.calc.models import Earning
from attain.apps.calc.services import calculate_period
from attain.apps.core.models import Currency, FxRate, Period
from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.org.models import PositionHolder
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Activity, Opportunity, OpportunityStageEvent, Transaction
from tests import factories as f

pytestmark = pytest.mark.django_db
D = date
SDR_PLAN = (Path(__file__).parents[1] / "examples" / "plans" / "sdr.yaml").read_text()


@pytest.fixture
def world():
    usd = f.usd()
    eur = Currency.objects.create(code="EUR", name="Euro")
    FxRate.objects.create(from_currency=eur, to_currency=usd, rate_date=D(2026, 1, 1), rate=Decimal("1.08"))
    FxRate.objects.create(from_currency=eur, to_currency=usd, rate_date=D(2026, 2, 1), rate=Decimal("1.1"))
    generate_periods(default_calendar(), 2026)
    sdr, ae = f.position("SDR-1", kind="sdr"), f.position("AE-1")
    sid, zoe = f.participant("S-1"), f.participant("Z-1")
    PositionHolder.objects.create(participant=sid, position=sdr, valid_from=D(2025, 1, 1))
    f.published_plan("SDR-2026", SDR_PLAN, sdr, 25000)
    Quota.objects.create(position=sdr, period=Period.objects.get(name="FY2026-Q1"), measure="sourced_new_bookings",
                         amount=Decimal(150000), currency=usd)
    account = f.account()

    def opportunity(external_id, amount, currency, created, stages):
        opp = Opportunity.objects.create(external_id=external_id, name=external_id, account=account,
                                         owner_position=ae, sourced_by_position=sdr, amount=Decimal(amount),
                                         currency=currency, stage="qualified", created_date=created,
                                         expected_close_date=D(2026, 6, 30))
        for day, stage_amount in stages:
            OpportunityStageEvent.objects.create(opportunity=opp, stage="qualified", entered_on=day,
                                                 amount=stage_amount and Decimal(stage_amount))
        return opp

    # O-1 was first qualified in December 2025: re-qualifying it in February earns nothing
    opportunity("O-1", "50000", usd, D(2025, 12, 1), [(D(2025, 12, 15), "50000"), (D(2026, 2, 10), "60000")])
    # O-2's stage event has no amount: the opportunity's, converted on the day it was qualified
    o2 = opportunity("O-2", "100000", eur, D(2026, 1, 20), [(D(2026, 2, 2), None)])
    for external_id, who, day in (("A-0", sid, D(2026, 1, 10)), ("A-1", sid, D(2026, 2, 3)),
                                  ("A-2", zoe, D(2026, 2, 5))):
        Activity.objects.create(external_id=external_id, participant=who, account=account, kind="meeting",
                                occurred_on=day, qualified=True)
    Transaction.objects.create(external_id="T-1", booked_date=D(2026, 2, 20), account=account,
                               amount=Decimal(90000), currency=usd, owner_position=ae, opportunity=o2)


def test_sdr_february_from_the_database(world):
    run = calculate_period("FY2026-M02")
    got = {e.component: e.amount_rounded for e in Earning.objects.filter(run=run)}
    assert got == {
        "Per qualified meeting": Decimal("150.00"),  # A-1 (A-0 is January's)
        "Sourced pipeline": Decimal("1100.00"),  # O-2 qualified on 2 February: EUR 100,000 × 1.1 (not the
        # 1.08 of its created date) = 110,000 USD × 1% = 1,100
        "Sourced bookings commission": Decimal("1800.00"),  # T-1 on O-2: QTD 90,000 = 60% of 150,000 → 2%
    }
    assert run.exceptions == [
        "SDR-2026: 1 activity of Z-1 (A-2 on 2026-02-05) not credited: Z-1 held no position on that day; record "
        "the position they held (position holders) or correct the activity's participant"]
