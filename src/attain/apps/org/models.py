"""People and the sales organisation: participants, positions, hierarchy, position holders and leaves.

Credit follows positions; pay follows participants. The reporting hierarchy links positions, not
people, and is effective-dated, as is who holds which position. A leave of absence does not change
who holds a position; it changes how many days count when amounts are prorated.
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


class LeaveOfAbsence(models.Model):
    """participant is away from start_date to end_date (both inclusive).

    A leave that prorates takes its days out of the days that count when quotas, target incentives,
    guarantees, MBO objectives and draws are prorated. It does not vacate the participant's position:
    credits during the leave still go to the position's holder.
    """

    class Kind(models.TextChoices):
        PAID = "paid", "Paid leave"
        UNPAID = "unpaid", "Unpaid leave"
        PARENTAL = "parental", "Parental leave"
        SABBATICAL = "sabbatical", "Sabbatical"
        OTHER = "other", "Other"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="leaves")
    start_date = models.DateField(help_text="First day away.")
    end_date = models.DateField(help_text="Last day away (inclusive).")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UNPAID)
    prorate = models.BooleanField(
        default=True, help_text="Take the leave's days out of the days quotas, targets, guarantees, objectives and "
                                "draws are prorated by.")
    note = models.CharField(max_length=200, blank=True, help_text="A short reason; no health details.")

    overlap_keys = (("participant",),)  # one leave at a time per participant
    span_fields = ("start_date", "end_date")  # what the importer's overlap check reads (not valid_from/valid_to)

    class Meta:
        ordering = ["participant", "start_date"]
        verbose_name_plural = "leaves of absence"
        constraints = [
            models.UniqueConstraint(fields=["participant", "start_date"], name="org_leave_unique_start"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="org_leave_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.name} away {self.start_date} – {self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def clean(self) -> None:
        super().clean()
        if self.start_date is None or self.end_date is None:
            return
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": f"The leave ends ({self.end_date}) before it starts ({self.start_date}): "
                                               "swap or correct the dates."})
        participant = self.participant if self.participant_id else None
        if participant and participant.hire_date and self.start_date < participant.hire_date:
            raise ValidationError({"start_date": f"{participant.name} was hired on {participant.hire_date}."})
        if participant and participant.termination_date and self.end_date > participant.termination_date:
            raise ValidationError({"end_date": f"{participant.name} left on {participant.termination_date}: end the "
                                               "leave on or before that day."})
        for key in self.overlap_keys:
            clash = self.overlapping(key).first()
            if clash is not None:
                raise ValidationError(f"This leave overlaps {clash} for the same participant: end the earlier leave "
                                      f"the day before {self.start_date} or change the dates.")

    def overlapping(self, key: tuple[str, ...]) -> models.QuerySet:
        """Other leaves with the same key values (the participant) that share a day with this one."""
        columns = [self._meta.get_field(name).attname for name in key]
        others = type(self)._default_manager.filter(**{c: getattr(self, c) for c in columns}).exclude(pk=self.pk)
        return others.filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
