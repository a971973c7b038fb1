"""The team page before any month is calculated."""

import pytest

from attain.apps.calc.models import CalculationRun
from attain.apps.org import roles
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_no_calculated_month_says_so(client):
    client.force_login(f.user("lonely", roles.MANAGER))
    assert not CalculationRun.objects.exists()
    assert "No month is calculated yet" in client.get("/portal/team/").content.decode()
