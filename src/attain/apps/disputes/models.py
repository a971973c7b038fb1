"""Disputes: a payee's question about a statement line (or a deal missing from it), the conversation about it,
and how it ended: resolved (with an adjustment, or without a change) or rejected with a reason."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models


class Dispute(models.Model):
    """An inquiry raised on a paid month's statement: on one of its lines (an earning line), on a deal (a
    transaction's external id, e.g. one missing from the statement), or both.

    open → in review (a comp admin takes it) → resolved (with an adjustment, which still needs someone
    else's approval, or without a change) or rejected (with the reason). The statement line is kept as
    text too (`line_label`, `line_amount`), so the dispute reads the same after a recalculation.
    """

    class Status(models.TextChoices):
        OPEN = "open"
        IN_REVIEW = "in_review", "In review"
        RESOLVED = "resolved"
        REJECTED = "rejected"

    participant = models.ForeignKey("org.Participant", on_delete=models.PROTECT, related_name="disputes")
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="+",
                               help_text="The paid month whose statement is questioned.")
    earning = models.ForeignKey("calc.Earning", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The earning line questioned (one of the statement line's lines).")
    line_label = models.CharField(max_length=200, blank=True, help_text="The statement line as it read then.")
    line_amount = models.CharField(max_length=40, blank=True, help_text="Its amount and currency as shown then.")
    transaction_external_id = models.CharField("deal", max_length=100, blank=True,
                                               help_text="The deal (transaction external id) questioned, e.g. one "
                                                         "missing from the statement.")
    comment = models.TextField(help_text="What the payee asks, in their words.")
    attachment = models.FileField(upload_to="disputes/%Y/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="The comp admin who reviews it.")
    resolution = models.TextField(blank=True, help_text="How it ended: the answer, or the reason for a rejection.")
    adjustment = models.ForeignKey("payments.Adjustment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="The adjustment the resolution made.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("resolve_dispute", "Can review, resolve and reject disputes")]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["participant", "period"])]

    def __str__(self) -> str:
        return f"Dispute {self.pk}: {self.participant} {self.period} ({self.status})"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.REJECTED)

    def attachment_filename(self) -> str:
        return PurePath(self.attachment.name).name if self.attachment else ""

    def subject(self) -> str:
        """What is questioned, in a few words."""
        parts = [self.line_label] if self.line_label else []
        if self.transaction_external_id:
            parts.append(f"deal {self.transaction_external_id}")
        return ", ".join(parts) or "the statement"


class DisputeComment(models.Model):
    """One message of a dispute's conversation (the payee, their manager, a comp admin)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on dispute {self.dispute_id} by {self.author}"
