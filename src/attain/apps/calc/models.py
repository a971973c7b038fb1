"""Calculation runs and their earnings (precise and rounded), with the explanation of each."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from attain.apps.core.fields import PreciseDecimalField, currency, money


class CalculationRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="calculation_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    inputs_fingerprint = models.CharField(max_length=64, blank=True,
                                          help_text="SHA-256 of the inputs: equal inputs and plans give equal results.")
    plan_versions = models.JSONField(default=list, help_text="The plan versions used: [{plan, version}].")
    counts = models.JSONField(default=dict)
    timings = models.JSONField(default=dict, help_text="Seconds per step.")
    exceptions = models.JSONField(default=list, help_text="What could not be paid, and why.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} for {self.period} ({self.status})"


class Earning(models.Model):
    """What a participant earned on one plan component in one period, as the run computed it."""

    run = models.ForeignKey(CalculationRun, on_delete=models.CASCADE, related_name="earnings")
    participant = models.ForeignKey("org.Participant", on_delete=models.PROTECT, related_name="earnings")
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="earnings")
    plan_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="earnings")
    component = models.CharField(max_length=80)
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="earnings")
    base = PreciseDecimalField("measure value", help_text="The measure value the rate table was applied to.")
    quota = PreciseDecimalField(null=True, blank=True)
    earned_to_date = PreciseDecimalField()
    earned_before = PreciseDecimalField()
    amount = PreciseDecimalField("precise amount", help_text="Earned to date − earned before, unrounded.")
    amount_rounded = money("amount", help_text="The amount rounded once to the currency's minor unit.")
    currency = currency()
    explanation = models.TextField()

    class Meta:
        ordering = ["run", "participant", "component"]
        indexes = [models.Index(fields=["participant", "period"])]

    def __str__(self) -> str:
        return f"{self.participant} {self.component} {self.period}: {self.amount_rounded} {self.currency_id}"
