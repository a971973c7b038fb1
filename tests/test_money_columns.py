"""Money columns hold exact decimals on every database (SQLite stores NUMERIC; see core/fields.py)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from attain.apps.sales.models import Transaction
from tests import factories as f

amounts = st.decimals(min_value=Decimal("-99999999999.9999"), max_value=Decimal("99999999999.9999"), places=4,
                      allow_nan=False, allow_infinity=False)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=amounts)
@example(amount=Decimal("99999999999.9999"))
@example(amount=Decimal("-12345678901.2345"))
@example(amount=Decimal("0.0001"))
def test_every_amount_that_fits_the_column_reads_back_exactly(amount):
    account, usd = f.account(), f.usd()
    line = Transaction.objects.create(external_id="T-1", booked_date="2026-01-01", account=account,
                                      amount=amount, currency=usd)
    assert Transaction.objects.get(pk=line.pk).amount == amount
    Transaction.objects.all().delete()
    account.delete()
