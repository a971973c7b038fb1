"""A record of every import: what file, by whom, with what outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        VALIDATED = "validated", "Validated (dry run)"
        IMPORTED = "imported"
        PARTIAL = "partial", "Imported valid rows, rejected others"
        REJECTED = "rejected", "Rejected (nothing written)"
        FAILED = "failed", "Could not be read"

    entity = models.CharField(max_length=40, db_index=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    messages = models.JSONField(default=list, blank=True, help_text="The first problems found, for display.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.entity} from {self.file_name} ({self.status})"
