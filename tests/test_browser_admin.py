"""In a real browser: demo users log into the admin and open the transaction list."""

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.sales.models import Transaction
from attain.demo.users import DEMO_PASSWORD, create_demo_users
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_users():
    create_demo_users()
    account = f.account("ACC-941")
    for i, amount in enumerate(["120000.00", "-120000.00"]):
        Transaction.objects.create(
            external_id=f"SO-{i}", booked_date=date(2026, 6, 28), account=account, amount=Decimal(amount),
            currency=f.usd(), kind="credit_note" if i else "booking",
            original=Transaction.objects.first() if i else None,
        )


@pytest.mark.parametrize("username", ["compadmin", "executive"])
def test_demo_user_logs_in_and_opens_the_transaction_list(live_server, page, demo_users, username):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url  # the home page asks for a login first
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if username == "executive":  # an executive lands on the team page; the data is in the administration
        page.get_by_role("heading", name="Your team").wait_for()
        page.get_by_role("link", name="Administration").click()
    else:
        page.get_by_role("heading", name="Your company's sales data").wait_for()
    page.get_by_role("link", name="Transactions", exact=True).click()
    title = "Select transaction to change" if username == "compadmin" else "Select transaction to view"
    page.get_by_role("heading", name=title).wait_for()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert sorted(rows.locator("th a").all_inner_texts()) == ["SO-0", "SO-1"]
    table = page.locator("#result_list").inner_text()
    assert "\t120,000.00\tUSD" in table and "\t-120,000.00\tUSD" in table


def test_wrong_password_is_refused(live_server, page, demo_users):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("compadmin")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert "Please enter the correct username and password" in page.locator(".errornote").inner_text()
