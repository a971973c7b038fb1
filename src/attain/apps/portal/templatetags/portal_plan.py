"""Template helpers of the rep's plan pages: a form field's label, a difference, a scope in words."""

from __future__ import annotations

from django import template

from attain.apps.portal.plans import SCOPES

register = template.Library()


@register.filter
def field_label(form, name: str) -> str:
    return form.fields[name].label if name in form.fields else name


@register.filter
def sub(value, other):
    return value - other


@register.filter
def scope_words(scope: str) -> str:
    return SCOPES.get(scope, scope.replace("_", " "))
