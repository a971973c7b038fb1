"""Template helpers of the rep's plan pages and home chart: the earnings trend, a form field's label, a difference."""

from __future__ import annotations

from django import template

from attain.apps.portal.curves import trend_chart
from attain.apps.portal.home import first_open_month
from attain.apps.portal.plans import SCOPES
from attain.apps.portal.trend import earnings_trend

register = template.Library()


@register.simple_tag
def earnings_trend_chart(participant):
    """The participant's earnings trend for the fiscal year of the open month (None with nothing to draw)."""
    month = first_open_month()
    if month is None:
        return None
    return trend_chart(earnings_trend(participant, month.fiscal_year, month.calendar_id))


@register.filter
def field_label(form, name: str) -> str:
    return form.fields[name].label if name in form.fields else name


@register.filter
def sub(value, other):
    return value - other


@register.filter
def scope_words(scope: str) -> str:
    return SCOPES.get(scope, scope.replace("_", " "))
