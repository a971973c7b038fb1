"""Customers (accounts) and what we sell (products in families)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from attain.apps.core.fields import currency, money


class Account(models.Model):
    class Segment(models.TextChoices):
        ENTERPRISE = "enterprise"
        MID_MARKET = "mid_market", "Mid-market"
        SMB = "smb", "SMB"

    external_id = models.CharField(max_length=64, unique=True, help_text="The CRM's account id; the import key.")
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=60, blank=True, db_index=True)
    segment = models.CharField(max_length=12, choices=Segment.choices, blank=True, db_index=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    annual_revenue = money("annual revenue", null=True, blank=True)
    country = models.CharField(max_length=2, db_index=True, help_text="ISO 3166 alpha-2.")
    region = models.CharField(max_length=60, blank=True, help_text="State, province or county.")
    city = models.CharField(max_length=80, blank=True)
    postal_code = models.CharField(max_length=16, blank=True, db_index=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductFamily(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product families"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(max_length=64, unique=True, help_text="The import key.")
    name = models.CharField(max_length=200)
    family = models.ForeignKey(ProductFamily, on_delete=models.PROTECT, related_name="products")
    list_price = money("list price", validators=[MinValueValidator(0)])
    unit_cost = money("unit cost", validators=[MinValueValidator(0)])
    currency = currency()
    recurring = models.BooleanField(default=True, help_text="Subscription (priced per year) rather than one-off.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"
