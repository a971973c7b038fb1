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
    step = models.CharField(max_length=200, blank=True, help_text="What the run is doing now (or did last).")
    steps_done = models.PositiveIntegerField(default=0, help_text="Steps finished, for the progress bar.")
    steps_total = models.PositiveIntegerField(default=0, help_text="Steps expected (an estimate until it ends).")
    worker = models.CharField(max_length=120, blank=True,
                              help_text="Where a background run works: host:process id (calc.jobs).")
    engine = models.CharField(max_length=200, blank=True, default="duckdb",
                              help_text="What ran the queries: duckdb, or spark with its master URL.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} for {self.period} ({self.status})"


class Earning(models.Model):
    """What a participant earned on one plan component in one period, as the run computed it.

    A prior-period adjustment is an earning line too: posted in the run's (open) period, it corrects
    `for_period`, a period already paid or closed, by the difference between the recalculated and the
    booked amounts; `corrects` names the booked lines it corrects (their ids).
    """

    class Kind(models.TextChoices):
        EARNING = "earning"
        PRIOR_PERIOD = "prior_period", "Prior-period adjustment"

    run = models.ForeignKey(CalculationRun, on_delete=models.CASCADE, related_name="earnings")
    participant = models.ForeignKey("org.Participant", on_delete=models.PROTECT, related_name="earnings")
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="earnings")
    plan_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="earnings")
    component = models.CharField(max_length=80)
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="earnings",
                               help_text="The period the line is posted (paid) in.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.EARNING)
    for_period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="+",
                                   help_text="The period the line is for: the run's own, or the closed period an "
                                             "adjustment corrects.")
    corrects = models.JSONField(default=list, blank=True, help_text="For an adjustment: the ids of the booked "
                                                                     "lines it corrects.")
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
        indexes = [models.Index(fields=["participant", "period"]), models.Index(fields=["run", "for_period"])]
        indexes += [models.Index(fields=["component"], name="calc_earning_component")]  # the admin's search, filter

    def __str__(self) -> str:
        return f"{self.participant} {self.component} {self.period}: {self.amount_rounded} {self.currency_id}"


class Approval(models.Model):
    """A calculated month submitted for approval (maker) and approved or rejected by someone else (checker).

    Escalations name the payouts above the policy's threshold or changed more than its percentage
    from the month before: approving them needs the permission "Can approve escalated results".
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted"
        APPROVED = "approved"
        REJECTED = "rejected"
        SUPERSEDED = "superseded", "Superseded by a new calculation"

    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="approvals")
    run = models.ForeignKey(CalculationRun, on_delete=models.PROTECT, related_name="approvals")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    escalations = models.JSONField(default=list, help_text="[{participant, currency, payout, previous, reasons}]")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [("approve_results", "Can approve calculated results"),
                       ("approve_escalated", "Can approve escalated results")]

    def __str__(self) -> str:
        return f"{self.period} run {self.run_id}: {self.state}"


class ApprovalPolicy(models.Model):
    """When a payout needs escalated approval: above an amount, or changed more than a percentage."""

    name = models.CharField(max_length=60, unique=True, default="Default")
    payout_threshold = money("payout threshold", null=True, blank=True,
                             help_text="A participant's month payout above this (in the policy currency) escalates.")
    currency = currency()
    change_percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                         help_text="A payout changed more than this percentage from the month before "
                                                   "escalates (e.g. 50 for 50%).")

    class Meta:
        verbose_name_plural = "approval policies"

    def __str__(self) -> str:
        return f"{self.name}: above {self.payout_threshold} {self.currency_id} or ±{self.change_percent}%"
