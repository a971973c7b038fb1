"""Quotas: the expected value of a measure for a position in a period, with ramp and relief."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from attain.apps.core.fields import currency, money, ratio


class Quota(models.Model):
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, related_name="quotas")
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="quotas")
    measure = models.CharField(max_length=60, help_text="Code of the measure, e.g. new_bookings.")
    amount = money("full quota", validators=[MinValueValidator(0)])
    currency = currency()
    ramp = ratio(
        "ramp", default=Decimal(1), validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of the full quota that applies while the holder ramps (0.25 = 25%).",
    )
    relief = money("relief", default=Decimal(0), validators=[MinValueValidator(0)],
                   help_text="Amount taken off the quota, e.g. after a territory change.")
    relief_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "period__start_date", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["position", "period", "measure"], name="quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position.code} {self.period} {self.measure}: {self.effective_amount}"

    @property
    def effective_amount(self) -> Decimal:
        """The quota that applies: full quota × ramp − relief, never below zero."""
        return max(self.amount * self.ramp - self.relief, Decimal(0))
