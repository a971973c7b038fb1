"""What the portals keep: failed logins, to refuse a username from an address after repeated failures."""

from __future__ import annotations

from django.db import models


class FailedLogin(models.Model):
    """One refused login: the username typed and the address it came from (no password is ever kept)."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "address", "at"])]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
