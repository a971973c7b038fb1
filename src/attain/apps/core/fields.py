"""Shared field definitions.

Money columns are exact decimals. On SQLite, Django stores decimals with NUMERIC affinity and
reads them back quantised to at most 15 significant digits, so every money column here declares
`max_digits=15`: any value that fits the column round-trips exactly on SQLite and PostgreSQL
(tests/test_money_columns.py checks it).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
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


class PreciseDecimalField(models.CharField):
    """An exact Decimal of any precision, stored as its canonical text on every database.

    For precise (unrounded) results such as 33.3350000000 that money columns cannot hold exactly on
    SQLite. Not for sums in SQL: add them up in Python.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 60)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise ValidationError(f"{value!r} is not a number") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else format(value, "f")
