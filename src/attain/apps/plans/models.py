"""Plans (versioned, effective-dated documents), their assignment to positions, and goals.

The compensation engine (a later issue) gives the plan document its schema and meaning; here a
version is stored as text (YAML or JSON) with its dates and status.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from attain.apps.core.effective import EffectiveDated
from attain.apps.core.fields import currency, money, ratio


class Plan(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    currency = currency()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PlanVersion(EffectiveDated):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        RETIRED = "retired"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    document = models.TextField(help_text="The plan document (YAML or JSON).")
    change_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    overlap_keys = ()  # drafts may overlap; published versions are checked in clean()

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.version} ({self.status})"

    def clean(self) -> None:
        self.overlap_keys = (("plan", "status"),) if self.status == self.Status.PUBLISHED else ()
        super().clean()
        if self.document:
            self.check_document()

    def check_document(self) -> None:
        """The document must be a valid plan (docs/plan-language.md); every problem is listed."""
        from attain.engine.plans import load_plan

        label = f"{self.plan.code} v{self.version}" if self.plan_id else f"v{self.version}"
        _plan, problems = load_plan(self.document, label)
        if problems:
            raise ValidationError({"document": [str(p) for p in problems]})


class PlanAssignment(EffectiveDated):
    """A position is on a plan from valid_from to valid_to, with its target incentive."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="assignments")
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, related_name="plan_assignments")
    target_incentive = money("target incentive", validators=[MinValueValidator(0)],
                             help_text="Variable pay at 100% attainment, per plan year.")
    currency = currency()

    overlap_keys = (("position", "plan"),)

    class Meta:
        ordering = ["position", "valid_from"]

    def __str__(self) -> str:
        return f"{self.position.code} on {self.plan.code}"


class Goal(models.Model):
    """A target that cascades (company → region → team → rep); quantitative or a scored MBO."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative"
        MBO = "mbo", "MBO (scored)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.QUANTITATIVE)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.ForeignKey("org.Position", null=True, blank=True, on_delete=models.CASCADE, related_name="goals",
                                 help_text="Empty for a company-level goal.")
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="goals")
    measure = models.CharField(max_length=60, blank=True, help_text="For quantitative goals: the measure tracked.")
    target = money("target", null=True, blank=True)
    weight = ratio("weight", default=1, help_text="Weight among siblings (0.3 = 30%).")
    score = ratio("score", null=True, blank=True, help_text="For MBOs: the manager's score, 0–1.")

    class Meta:
        ordering = ["period", "position", "name"]

    def __str__(self) -> str:
        return self.name


class PlanScenario(models.Model):
    """A plan's scenario tests (docs/plan-language.md, "Scenario tests"), kept with the plan so that every draft
    of it is tested again after each edit. The scenarios run against the version being tested: the `plan:` each
    names is not read."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120, help_text="What the file tests, e.g. 'accelerators above quota'.")
    text = models.TextField(help_text="The scenario file (YAML: scenario, plan, given, expect; several separated "
                                      "by ---).")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["plan", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="plan_scenario_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.name}"
