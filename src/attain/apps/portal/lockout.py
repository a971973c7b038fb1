"""A brake on password guessing: a username is refused from an address after repeated failed logins.

LOGIN_FAILURE_LIMIT failures (settings, default 5) of one username from one address within
LOGIN_FAILURE_MINUTES (default 15) refuse every further try — the right password included — until
the oldest of them is that old. A successful login forgets the address's failures for the username.
Failures are rows in the database, so every server process sees the same count.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from attain.apps.portal.models import FailedLogin


def _limit() -> int:
    return getattr(settings, "LOGIN_FAILURE_LIMIT", 5)


def _window() -> timedelta:
    return timedelta(minutes=getattr(settings, "LOGIN_FAILURE_MINUTES", 15))


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR: behind a proxy, have it set the client's)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _failures(username: str, address: str | None, now: datetime):
    return FailedLogin.objects.filter(username=username.casefold(), address=address, at__gt=now - _window())


def minutes_locked(username: str, address: str | None, now: datetime | None = None) -> int:
    """0 when the username may try from the address; otherwise the minutes (rounded up) to wait."""
    now = now or timezone.now()
    recent = list(_failures(username, address, now).order_by("-at").values_list("at", flat=True)[:_limit()])
    if len(recent) < _limit():
        return 0
    return max(1, ceil((recent[-1] + _window() - now).total_seconds() / 60))


def record_failure(username: str, address: str | None) -> None:
    FailedLogin.objects.filter(at__lte=timezone.now() - _window()).delete()  # old failures count for nothing
    FailedLogin.objects.create(username=username.casefold()[:150], address=address)


def forget_failures(username: str, address: str | None) -> None:
    FailedLogin.objects.filter(username=username.casefold(), address=address).delete()


def locked_message(username: str, minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return (f"Too many failed logins for “{username}” from this address: wait {minutes} {unit} and try again, "
            "or ask an administrator to reset the password.")
