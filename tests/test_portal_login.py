"""Logging in and out, each role's landing page, and the lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from attain.apps.org import roles
from attain.apps.portal.models import FailedLogin
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rep():
    person = f.participant("E-1")
    user = f.user("ada", roles.REP)
    user.set_password(PASSWORD)
    user.save()
    person.user = user
    person.save()
    return user


def log_in(client, username="ada", password=PASSWORD, address="10.0.0.1", **more):
    return client.post("/login/", {"username": username, "password": password, **more}, REMOTE_ADDR=address)


def test_the_login_page_is_a_labelled_form_with_a_csrf_token(client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">Username</label>' in html and '<label for="id_password">Password</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'autocomplete="current-password"' in html


def test_a_rep_logs_in_lands_on_the_rep_portal_and_logs_out(client, rep):
    response = log_in(client, next="/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/", follow=True).redirect_chain[-1] == ("/portal/people/E-1/", 302)
    assert client.post("/logout/").status_code == 302
    assert client.get("/portal/people/E-1/")["Location"] == "/login/?next=/portal/people/E-1/"


def test_other_roles_land_on_the_company_overview(client):
    user = f.user("fin", roles.FINANCE)
    user.set_password(PASSWORD)
    user.save()
    log_in(client, "fin")
    assert "Your company's sales data" in client.get("/").content.decode()
    assert client.get("/portal/").status_code == 404  # no participant: the page says why
    assert "Your login is not linked to a participant" in client.get("/portal/").content.decode()


def test_a_wrong_password_is_refused_with_a_message_and_counted(client, rep):
    response = log_in(client, password="wrong")
    assert response.status_code == 200
    assert "The username or password is not right (both are case-sensitive)." in response.content.decode()
    assert list(FailedLogin.objects.values_list("username", "address")) == [("ada", "10.0.0.1")]


def test_five_failures_lock_the_username_out_from_that_address_even_with_the_right_password(client, rep):
    for _ in range(5):
        log_in(client, password="wrong")
    refused = log_in(client)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert ("Too many failed logins for “ada” from this address: wait 15 minutes and try again, or ask an "
            "administrator to reset the password.") in refused.content.decode()
    assert FailedLogin.objects.count() == 5  # a refused try is not a password check: nothing more is counted
    assert log_in(client, address="10.0.0.2").status_code == 302  # another address is not locked out


def test_the_lockout_ends_after_the_window_and_a_success_forgets_the_failures(client, rep):
    for _ in range(5):
        log_in(client, password="wrong")
    FailedLogin.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert log_in(client).status_code == 302
    assert FailedLogin.objects.count() == 0


def test_four_failures_then_success_do_not_lock_out(client, rep):
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302


def test_the_admin_login_locks_out_too(client, admin_user):
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    refused = client.post("/admin/login/", {"username": "admin", "password": "password"}, REMOTE_ADDR="10.0.0.9")
    assert "Too many failed logins for “admin”" in refused.content.decode()


def test_a_rep_has_no_admin(client, rep):
    log_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
