import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_asks_for_a_login(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


def test_home_counts_the_records_with_separators(admin_client):
    for i in range(3):
        f.account(f"ACC-{i}")
    html = admin_client.get("/").content.decode()
    assert '<td><a href="/admin/catalog/account/">Accounts</a></td><td class="num">3</td>' in html


def test_health_check_reports_the_database(client):
    from django.db import connection

    assert client.get("/healthz").json() == {"status": "ok", "database": connection.vendor}


def test_every_response_says_how_long_the_server_took(client):
    response = client.get("/healthz")
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])
