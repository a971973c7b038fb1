"""The finance workspace's deferred-commission roll-forward, on a hand-worked contract (its own world, not the
portal world of tests/test_portal_finance.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.org import roles
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_payments_service import FLAT
from tests.test_portal_pages import figures

pytestmark = pytest.mark.django_db


def test_the_roll_forward_of_a_three_year_contract_by_hand(client):
    """A 3-year contract of 360,000 on a flat 10%: 36,000.00 capitalised in January (longer than the policy's 12
    months), amortised over its 36 months from January 2026: 1,000.00 a month."""
    f.seated("FLAT", FLAT, 48000)
    Transaction.objects.create(external_id="C-3Y", booked_date=date(2026, 1, 10), account=f.account(),
                               amount=Decimal(360000), currency_id="USD", owner_position=f.position("AE-1"),
                               contract_start=date(2026, 1, 1), contract_end=date(2028, 12, 31))
    f.calculate_and_pay("FY2026-M01")
    f.calculate_and_pay("FY2026-M02")
    client.force_login(f.user("controller", roles.CONTROLLER))
    html = client.get("/portal/finance/reports/?year=2026&from=FY2026-M01&to=FY2026-M02").content.decode()
    assert figures(html) == {"opening-USD": "0.00", "capitalised-USD": "36,000.00", "amortised-USD": "2,000.00",
                             "clawed-USD": "0.00", "impaired-USD": "0.00", "closing-USD": "34,000.00"}
    html = client.get("/portal/finance/reports/?year=2026&from=FY2026-M02&to=FY2026-M03").content.decode()
    assert figures(html) == {"opening-USD": "35,000.00", "capitalised-USD": "0.00", "amortised-USD": "2,000.00",
                             "clawed-USD": "0.00", "impaired-USD": "0.00", "closing-USD": "33,000.00"}
