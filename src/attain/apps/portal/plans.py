"""What the portal reads from plan documents: a component's measure, scope and rate table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from attain.engine.plans import load_plan
from attain.engine.plans.model import Component, Plan

SCOPES = {"period": "this month", "quarter_to_date": "quarter to date", "year_to_date": "year to date"}


@lru_cache(maxsize=64)
def plan_of(document: str) -> Plan | None:
    """The loaded plan of a stored document (each document parsed once per process)."""
    return load_plan(document)[0]


def component_of(document: str, name: str) -> Component | None:
    return _components_of(document).get(name)


@lru_cache(maxsize=64)
def _components_of(document: str) -> dict[str, Component]:
    """A stored document's components by name (a team page asks for thousands of lines' components)."""
    found: dict[str, Component] = {}
    for component in plan_of(document).components if plan_of(document) else ():
        found.setdefault(component.name, component)  # the first of a name, as a search would find
    return found


def next_tier(component: Component, day: date, base: Decimal, quota: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """(how much more of the measure, the rate of the next tier) for a tiered table; None at the top or without tiers."""
    found = component.table_on(day)
    if found is None or not found[1].tiers:
        return None
    table = found[1]
    factor = quota if table.basis == "attainment" else Decimal(1)
    if factor is None or factor <= 0:
        return None
    for tier in table.tiers:
        if tier.lower is not None and tier.lower * factor > base and "rate" in tier.values:
            return tier.lower * factor - base, tier.values["rate"]
    return None
