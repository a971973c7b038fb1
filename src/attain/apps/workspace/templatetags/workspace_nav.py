"""The "Workspace" link of the site's navigation, for the users who may open the comp admin workspace."""

from __future__ import annotations

from django import template

from attain.apps.workspace.access import may_look

register = template.Library()


@register.filter
def sees_workspace(user) -> bool:
    return may_look(user)
