"""API tokens: only a hash is kept; a wrong, revoked or expired token (or an inactive user) is 401 with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from attain.apps.api.models import ApiToken
from attain.apps.api.tokens import TokenError, create_token, digest_of, revoke_token
from attain.apps.audit.models import AuditEntry
from attain.apps.org import roles
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/participants"


@pytest.fixture
def rep():
    person = f.participant("E-1")
    person.user = f.user("ada", roles.REP)
    person.save()
    return person


def get(client, secret: str):
    return client.get(URL, headers={"Authorization": f"Bearer {secret}"})


def test_a_token_is_kept_as_a_hash_and_lets_its_user_in(client, rep):
    token, secret = create_token("ada", "laptop")
    assert secret.startswith("att_") and len(secret) >= 44
    assert token.digest == digest_of(secret) and secret not in str(ApiToken.objects.values().get())
    assert token.prefix == secret[:10]
    response = get(client, secret)
    assert response.status_code == 200
    assert [p["employee_id"] for p in response.json()["items"]] == ["E-1"]
    assert ApiToken.objects.get().last_used_at is not None
    entry = AuditEntry.objects.get(object_type="api.ApiToken")
    assert entry.action == "created" and "digest" not in entry.after


def test_no_wrong_revoked_or_expired_token_gets_in_and_the_answer_says_why(client, rep):
    assert client.get(URL).status_code == 401
    assert "Authorization: Bearer" in client.get(URL).json()["detail"]
    _, secret = create_token("ada", "laptop")
    wrong = get(client, secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    assert wrong.status_code == 401 and "not known" in wrong.json()["detail"]
    assert client.get(URL, headers={"Authorization": f"Token {secret}"}).status_code == 401
    revoke_token("ada", "laptop")
    revoked = get(client, secret)
    assert revoked.status_code == 401 and "was revoked" in revoked.json()["detail"]

    token, later = create_token("ada", "ci", expires_at=timezone.now() + timedelta(days=1))
    assert get(client, later).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = get(client, later)
    assert expired.status_code == 401 and "expired on" in expired.json()["detail"]


def test_an_inactive_users_token_is_refused(client, rep):
    _, secret = create_token("ada", "laptop")
    rep.user.is_active = False
    rep.user.save()
    assert get(client, secret).status_code == 401


def test_token_names_are_unique_per_user_and_mistakes_are_explained(rep):
    create_token("ada", "laptop")
    with pytest.raises(TokenError, match="has a token named 'laptop' already"):
        create_token("ada", "laptop")
    with pytest.raises(TokenError, match="no user 'nobody'"):
        create_token("nobody", "x")
    with pytest.raises(TokenError, match="in the past"):
        create_token("ada", "old", expires_at=timezone.now() - timedelta(days=1))
    revoke_token("ada", "laptop")
    with pytest.raises(TokenError, match="revoked on .* already"):
        revoke_token("ada", "laptop")


def test_the_command_line_creates_lists_and_revokes_tokens(rep, client):
    from attain.cli.main import app

    runner = CliRunner()
    made = runner.invoke(app, ["token", "create", "--user", "ada", "--name", "script", "--expires", "2099-12-31"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert get(client, secret).status_code == 200
    listed = runner.invoke(app, ["token", "list", "--user", "ada"])
    assert "script" in listed.output and secret not in listed.output and "active" in listed.output
    assert runner.invoke(app, ["token", "revoke", "--user", "ada", "--name", "script"]).exit_code == 0
    assert get(client, secret).status_code == 401
    refused = runner.invoke(app, ["token", "create", "--user", "ada", "--name", "x", "--expires", "soon"])
    assert refused.exit_code == 1 and "not a day" in refused.output


def test_the_browser_session_works_and_needs_csrf_to_write(rep):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(rep.user)
    assert browser.get(URL).status_code == 200
    refused = browser.post("/api/adjustments", {}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
