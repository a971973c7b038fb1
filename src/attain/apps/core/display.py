"""Showing exact amounts to people: thousands separators and the currency's minor units."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin

from attain.engine.money import round_money


def format_amount(amount: Decimal | None, minor_units: int = 2) -> str:
    """1234567.5 with 2 minor units → '1,234,567.50'; the stored value keeps its full precision."""
    if amount is None:
        return "–"
    return f"{round_money(amount, minor_units):,}"


def amount_column(field: str, description: str | None = None, sortable: bool = True):
    """An admin list column for a money field of a model with a `currency` foreign key.

    The admin must `list_select_related` the currency, or each row costs a query.
    """

    @admin.display(description=description or field.replace("_", " "), ordering=field if sortable else None)
    def column(obj) -> str:
        return format_amount(getattr(obj, field), obj.currency.minor_units)

    column.__name__ = f"{field}_display"
    return column
