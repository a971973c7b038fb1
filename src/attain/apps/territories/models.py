"""Territories: a hierarchy, assignment rules, and effective-dated assignments.

Rules describe which accounts belong to a territory (by geography, industry, segment or by name);
assignments record the outcome over time: account → territory and territory → position. Crediting
reads the assignments as of the crediting date.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from attain.apps.core.effective import EffectiveDated


class Territory(models.Model):
    class Level(models.TextChoices):
        COMPANY = "company"
        REGION = "region"
        AREA = "area"
        TERRITORY = "territory"

    code = models.CharField(max_length=40, unique=True, help_text="e.g. WEST-1; the import key.")
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.TERRITORY)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TerritoryRule(EffectiveDated):
    """One condition for an account to belong to a territory.

    Rules of the same kind are alternatives (OR); rules of different kinds must all hold (AND).
    A named-account rule wins over every other rule; among territories that match, the lowest
    priority number wins.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country"
        REGION = "region", "Region / state"
        POSTAL_PREFIX = "postal_prefix", "Postal code prefix"
        INDUSTRY = "industry"
        SEGMENT = "segment"
        NAMED_ACCOUNT = "named_account", "Named account"

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    value = models.CharField(max_length=120, blank=True, help_text="The value to match (empty for named accounts).")
    account = models.ForeignKey("catalog.Account", null=True, blank=True, on_delete=models.CASCADE)
    priority = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["territory", "priority", "kind"]

    def __str__(self) -> str:
        target = self.account if self.kind == self.Kind.NAMED_ACCOUNT else self.value
        return f"{self.territory.code}: {self.get_kind_display()} = {target}"

    def clean(self) -> None:
        if self.kind == self.Kind.NAMED_ACCOUNT and not self.account_id:
            raise ValidationError({"account": "A named-account rule needs the account."})
        if self.kind != self.Kind.NAMED_ACCOUNT and not self.value:
            raise ValidationError({"value": f"A {self.get_kind_display()} rule needs a value to match."})
        super().clean()


class TerritoryPosition(EffectiveDated):
    """A position covers a territory from valid_from to valid_to."""

    class Role(models.TextChoices):
        PRIMARY = "primary"
        OVERLAY = "overlay"

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="position_assignments")
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, related_name="territory_assignments")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.PRIMARY)

    overlap_keys = (("territory", "position"),)

    class Meta:
        ordering = ["territory", "valid_from"]

    def __str__(self) -> str:
        return f"{self.position.code} covers {self.territory.code} ({self.role})"


class AccountTerritory(EffectiveDated):
    """An account belongs to a territory from valid_from to valid_to."""

    class Source(models.TextChoices):
        RULE = "rule"
        MANUAL = "manual"

    account = models.ForeignKey("catalog.Account", on_delete=models.CASCADE, related_name="territory_assignments")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="account_assignments")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)

    overlap_keys = (("account",),)

    class Meta:
        ordering = ["account", "valid_from"]
        verbose_name_plural = "account territories"

    def __str__(self) -> str:
        return f"{self.account} in {self.territory.code}"
