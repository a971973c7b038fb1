"""What the portals keep: failed logins, to refuse a username from an address after repeated failures."""

from __future__ import annotations

from django.conf import settings
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


class PlanAcceptance(models.Model):
    """A participant accepted a published plan version's document: when, by whom, from where, and the SHA-256 of
    the very text they were shown (portal/plan_document.py). A new version needs a new acceptance."""

    participant = models.ForeignKey("org.Participant", on_delete=models.CASCADE, related_name="plan_acceptances")
    plan_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    document_sha256 = models.CharField("SHA-256 of the document", max_length=64)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["participant", "plan_version"], name="plan_accepted_once")]

    def __str__(self) -> str:
        return f"{self.participant_id} accepted plan version {self.plan_version_id}"


class AcceptanceRequirement(models.Model):
    """A plan whose participants must accept the version in force before they are paid: the payment run holds
    their commission on it until they do (payments/acceptance_holds.py)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="acceptance_requirement")
    required = models.BooleanField("acceptance required before payout", default=True)

    def __str__(self) -> str:
        return f"{self.plan_id}: acceptance {'required' if self.required else 'not required'}"
