"""Currencies, exchange rates and the fiscal calendar."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from attain.apps.core.fields import currency, ratio
from attain.engine.money import ROUNDING_MODES

iso_currency = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code in capitals, e.g. USD.")


class Currency(models.Model):
    code = models.CharField(max_length=3, primary_key=True, validators=[iso_currency])
    name = models.CharField(max_length=60)
    minor_units = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(4)], help_text="Digits after the decimal point (JPY 0, USD 2)."
    )
    rounding = models.CharField(
        max_length=10, choices=[(m, m.replace("_", " ")) for m in ROUNDING_MODES], default="half_up"
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return self.code


class FxRate(models.Model):
    """1 unit of from_currency = rate units of to_currency, on rate_date."""

    from_currency = currency(related_name="rates_from")
    to_currency = currency(related_name="rates_to")
    rate_date = models.DateField(db_index=True)
    rate = ratio("rate", validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-rate_date", "from_currency", "to_currency"]
        constraints = [
            models.UniqueConstraint(fields=["from_currency", "to_currency", "rate_date"], name="fx_rate_unique_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="fx_rate_positive"),
        ]
        verbose_name = "FX rate"

    def __str__(self) -> str:
        return f"1 {self.from_currency_id} = {self.rate} {self.to_currency_id} on {self.rate_date}"

    def clean(self) -> None:
        if self.from_currency_id and self.from_currency_id == self.to_currency_id:
            raise ValidationError("An FX rate converts between two different currencies.")


class FiscalCalendar(models.Model):
    name = models.CharField(max_length=60, unique=True)
    start_month = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month in which the fiscal year starts (1 = January). FY is named after the year it ends in.",
    )
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month"
        QUARTER = "quarter"
        YEAR = "year"

    class State(models.TextChoices):
        OPEN = "open"
        CALCULATED = "calculated"
        APPROVED = "approved"
        PAID = "paid"
        CLOSED = "closed"

    calendar = models.ForeignKey(FiscalCalendar, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="1 for a year, 1–4 for quarters, 1–12 for months.")
    name = models.CharField(max_length=20, help_text="e.g. FY2026-M03, FY2026-Q1, FY2026")
    start_date = models.DateField()
    end_date = models.DateField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    class Meta:
        ordering = ["calendar", "start_date", "-end_date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "kind", "fiscal_year", "number"], name="period_unique"),
            models.UniqueConstraint(fields=["calendar", "name"], name="period_unique_name"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="period_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED
