"""Shared field definitions.

Money columns are exact decimals. On SQLite, Django stores decimals with NUMERIC affinity and
reads them back quantised to at most 15 significant digits, so every money column here declares
`max_digits=15`: any value that fits the column round-trips exactly on SQLite and PostgreSQL
(tests/test_money_columns.py checks it).
"""

from django.db import models

MONEY_DIGITS = 15


def money(verbose_name: str = "amount", **kwargs) -> models.DecimalField:
    """An exact amount: up to 99,999,999,999.9999."""
    kwargs.setdefault("max_digits", MONEY_DIGITS)
    kwargs.setdefault("decimal_places", 4)
    return models.DecimalField(verbose_name, **kwargs)


def ratio(verbose_name: str, **kwargs) -> models.DecimalField:
    """A rate or share, e.g. 0.25 for 25%, with 8 decimal places."""
    kwargs.setdefault("max_digits", MONEY_DIGITS)
    kwargs.setdefault("decimal_places", 8)
    return models.DecimalField(verbose_name, **kwargs)


def currency(related_name: str = "+", **kwargs) -> models.ForeignKey:
    kwargs.setdefault("on_delete", models.PROTECT)
    return models.ForeignKey("core.Currency", related_name=related_name, **kwargs)
