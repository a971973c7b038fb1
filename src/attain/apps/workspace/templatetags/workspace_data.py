"""Filters of the workspace's data pages: a run's duration and progress."""

from __future__ import annotations

from django import template

from attain.apps.workspace.runs_months import duration, percent_done

register = template.Library()


@register.filter
def run_duration(run) -> str:
    return duration(run)


@register.filter
def run_percent(run) -> int:
    return percent_done(run)
