"""In a real browser: a comp admin logs into the admin and opens the transaction list."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from attain.apps.org.roles import COMP_ADMIN, ensure_roles
from attain.apps.sales.models import Transaction
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def comp_admin():
    user = User.objects.create_user("compadmin", password="attain-demo", is_staff=True)
    user.groups.add(ensure_roles()[COMP_ADMIN])
    account = f.account("ACC-941")
    for i, amount in enumerate(["120000.00", "-120000.00"]):
        Transaction.objects.create(
            external_id=f"SO-{i}", booked_date=date(2026, 6, 28), account=account, amount=Decimal(amount),
            currency=f.usd(), kind="credit_note" if i else "booking",
            original=Transaction.objects.first() if i else None,
        )
    return user


def test_comp_admin_logs_in_and_opens_the_transaction_list(live_server, page, comp_admin):
    page.goto(f"{live_server.url}/")
    assert "/admin/login/" in page.url  # the home page asks for a login first
    page.get_by_label("Username").fill("compadmin")
    page.get_by_label("Password").fill("attain-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your company's sales data").wait_for()
    page.get_by_role("link", name="Transactions").click()
    page.get_by_role("heading", name="Select transaction to change").wait_for()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert sorted(rows.locator("th a").all_inner_texts()) == ["SO-0", "SO-1"]
    table = page.locator("#result_list").inner_text()
    assert "\t120,000.00\tUSD" in table and "\t-120,000.00\tUSD" in table


def test_wrong_password_is_refused(live_server, page, comp_admin):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("compadmin")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert "Please enter the correct username and password" in page.locator(".errornote").inner_text()
