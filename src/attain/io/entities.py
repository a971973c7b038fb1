"""Every importable entity, in the order a full load should import them."""

from __future__ import annotations

from attain.io.entities_people import (
    CURRENCIES, FX_RATES, GOALS, PARTICIPANTS, PERIODS, PLAN_ASSIGNMENTS, PLANS, POSITION_HOLDERS, POSITIONS,
    QUOTAS, REPORTING_LINES,
)
from attain.io.entities_sales import (
    ACCOUNT_TERRITORIES, ACCOUNTS, ACTIVITIES, OPPORTUNITIES, OPPORTUNITY_STAGES, PRODUCT_FAMILIES, PRODUCTS,
    TERRITORIES, TERRITORY_POSITIONS, TERRITORY_RULES, TRANSACTIONS,
)
from attain.io.schema import Entity

ENTITIES: dict[str, Entity] = {e.name: e for e in (
    CURRENCIES, FX_RATES, PERIODS, PRODUCT_FAMILIES, PARTICIPANTS, POSITIONS, REPORTING_LINES, POSITION_HOLDERS,
    ACCOUNTS, PRODUCTS, TERRITORIES, TERRITORY_RULES, TERRITORY_POSITIONS, ACCOUNT_TERRITORIES,
    OPPORTUNITIES, OPPORTUNITY_STAGES, TRANSACTIONS, ACTIVITIES, QUOTAS, PLANS, PLAN_ASSIGNMENTS, GOALS,
)}


class UnknownEntity(KeyError):
    def __init__(self, name: str) -> None:
        import difflib

        close = difflib.get_close_matches(name, ENTITIES, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        super().__init__(f"There is no entity called {name!r}.{hint} Choose from: {', '.join(ENTITIES)}.")
        self.message = self.args[0]


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name.strip().lower().replace("-", "_")]
    except KeyError:
        raise UnknownEntity(name) from None
