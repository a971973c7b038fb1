"""Creating, revoking and checking API tokens.

A token is `att_` and 40 random URL-safe characters (240 bits). Only its SHA-256 digest is stored,
so a stolen database gives no working token; the token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from attain.apps.api.models import ApiToken
from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record, snapshot

PREFIX = "att_"
SHOWN = 10  # characters kept to recognise a token: "att_" and 6 of the secret
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most once a minute per token


class TokenError(ValueError):
    """No token was made or revoked; the message says why and how to fix it."""


@dataclass(frozen=True)
class Checked:
    """What a presented token turned out to be: its user, or why it was refused."""

    user: object | None
    problem: str = ""


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(username: str, name: str, *, expires_at: datetime | None = None,
                 source: str = AuditEntry.Source.CLI) -> tuple[ApiToken, str]:
    """A new token for the user, and the token itself (shown once: only its digest is kept)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"there is no user {username!r}: name an Attain user (e.g. compadmin)")
    name = name.strip()
    if not name:
        raise TokenError("give the token a name that says what it is for, e.g. 'payroll sync'")
    if ApiToken.objects.filter(user=user, name=name).exists():
        raise TokenError(f"{username} has a token named {name!r} already: choose another name or revoke that one")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError(f"the expiry {expires_at:%Y-%m-%d %H:%M} is in the past: give a future day")
    secret = PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:SHOWN], digest=digest_of(secret),
                                    expires_at=expires_at)
    record(AuditEntry.Action.CREATED, token, user=user, after=_safe(token), source=source)
    return token, secret


@transaction.atomic
def revoke_token(username: str, name: str, *, source: str = AuditEntry.Source.CLI) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(user__username=username, name=name.strip()).first()
    if token is None:
        raise TokenError(f"{username} has no token named {name!r}: `attain token list --user {username}` lists them")
    if token.revoked:
        raise TokenError(f"the token {name!r} of {username} was revoked on {token.revoked_at:%Y-%m-%d %H:%M} already")
    before = _safe(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(AuditEntry.Action.CHANGED, token, user=token.user, before=before, after=_safe(token),
           reason="revoked", source=source)
    return token


def check_token(presented: str) -> Checked:
    """The user a presented token acts for, or why it is refused (unknown, revoked, expired, inactive user)."""
    token = ApiToken.objects.filter(digest=digest_of(presented.strip())).select_related("user").first()
    if token is None:
        return Checked(None, "the token is not known: check it was copied whole, or create one with "
                             "`attain token create`")
    now = timezone.now()
    if token.revoked:
        return Checked(None, f"the token {token.prefix}… was revoked: create a new one")
    if token.expired(now):
        return Checked(None, f"the token {token.prefix}… expired on {token.expires_at:%Y-%m-%d %H:%M} UTC: create "
                             "a new one")
    if not token.user.is_active:
        return Checked(None, f"the user {token.user} is deactivated")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Checked(token.user)


def _safe(token: ApiToken) -> dict:
    """The token's record for the audit log, without its digest."""
    return {k: v for k, v in snapshot(token).items() if k != "digest"}
