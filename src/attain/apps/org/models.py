"""People and the sales organisation: participants, positions, hierarchy and position holders.

Credit follows positions; pay follows participants. The reporting hierarchy links positions, not
people, and is effective-dated, as is who holds which position.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from attain.apps.core.effective import EffectiveDated
from attain.apps.core.fields import currency


class Participant(models.Model):
    """A person who can be paid (a payee)."""

    employee_id = models.CharField(max_length=40, unique=True, help_text="The HR system's id; the import key.")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    hire_date = models.DateField()
    termination_date = models.DateField(null=True, blank=True)
    currency = currency(help_text="Currency the participant is paid in.")
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2, e.g. US.")
    pay_group = models.CharField(max_length=40, blank=True, help_text="Payroll group (e.g. US-MONTHLY).")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="participant"
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.employee_id})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if self.termination_date and self.hire_date and self.termination_date < self.hire_date:
            raise ValidationError({"termination_date": "The termination date is before the hire date."})


class Position(models.Model):
    """A seat in the sales organisation."""

    class Kind(models.TextChoices):
        AE = "ae", "Account executive"
        SDR = "sdr", "Sales development rep"
        OVERLAY = "overlay", "Overlay specialist"
        CHANNEL = "channel", "Channel manager"
        MANAGER = "manager", "Sales manager"
        DIRECTOR = "director", "Director"
        EXECUTIVE = "executive", "Sales executive"

    code = models.CharField(max_length=40, unique=True, help_text="Stable code, e.g. AE-WEST-03; the import key.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quota_carrying = models.BooleanField(default=True)
    product_family = models.ForeignKey(
        "catalog.ProductFamily",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For overlay specialists: the product family they cover.",
    )
    created_on = models.DateField(help_text="First day the position exists.")
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReportingLine(EffectiveDated):
    """position reports to manager_position from valid_from to valid_to."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="reporting_lines")
    manager_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="direct_report_lines")

    overlap_keys = (("position",),)

    class Meta:
        ordering = ["position", "valid_from"]
        indexes = [models.Index(fields=["manager_position", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.position.code} → {self.manager_position.code}"

    def clean(self) -> None:
        if self.position_id and self.position_id == self.manager_position_id:
            raise ValidationError("A position cannot report to itself.")
        super().clean()


class PositionHolder(EffectiveDated):
    """participant holds position from valid_from to valid_to."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="positions_held")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holders")

    overlap_keys = (("participant",), ("position",))

    class Meta:
        ordering = ["participant", "valid_from"]

    def __str__(self) -> str:
        return f"{self.participant.name} in {self.position.code}"

    def clean(self) -> None:
        participant = self.participant if self.participant_id else None
        if participant and self.valid_from and self.valid_from < participant.hire_date:
            raise ValidationError({"valid_from": f"{participant.name} was hired on {participant.hire_date}."})
        super().clean()
