"""The "Finance" link of the site's navigation, for the users who may open the finance workspace."""

from __future__ import annotations

from django import template

from attain.apps.portal.finance import may_look

register = template.Library()


@register.filter
def sees_finance(user) -> bool:
    return may_look(user)
