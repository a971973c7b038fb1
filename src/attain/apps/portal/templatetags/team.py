"""Template filters of the manager portal (loaded by the base template for its navigation)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def leads_teams(user) -> bool:
    """Whether the navigation offers the team pages (sales managers and the roles that see everyone)."""
    from attain.apps.portal.views_team import may_view_teams

    return may_view_teams(user)


@register.filter
def times(ratio) -> str:
    """Coverage: 2.456 → 2.5×"""
    return "" if ratio is None else f"{Decimal(ratio).quantize(Decimal('0.1'), ROUND_HALF_UP)}×"


@register.simple_tag
def leaderboard_rows(team):
    """The leaderboard's rows (`portal.team_rows`: made in Python, a company has many)."""
    from attain.apps.portal.team_rows import leaderboard_rows as rows

    return rows(team)
