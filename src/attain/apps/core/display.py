"""Showing exact amounts to people: thousands separators and the currency's minor units."""

from __future__ import annotations

from django.contrib import admin

from attain.engine.money import show_amount


def amount_column(field: str, description: str | None = None, sortable: bool = True):
    """An admin list column for a money field of a model with a `currency` foreign key.

    The admin must `list_select_related` the currency, or each row costs a query.
    """

    @admin.display(description=description or field.replace("_", " "), ordering=field if sortable else None)
    def column(obj) -> str:
        amount = getattr(obj, field)
        return "–" if amount is None else show_amount(amount, obj.currency.minor_units)

    column.__name__ = f"{field}_display"
    return column
