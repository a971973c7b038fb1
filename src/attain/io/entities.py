"""Every importable entity, in the order a full load should import them."""

from __future__ import annotations

from attain.io import entities_people as people
from attain.io import entities_sales as sales
from attain.io.schema import Entity

ENTITIES: dict[str, Entity] = {e.name: e for e in (
    people.CURRENCIES, people.FX_RATES, people.PERIODS, sales.PRODUCT_FAMILIES, people.PARTICIPANTS,
    people.POSITIONS, people.REPORTING_LINES, people.POSITION_HOLDERS, people.LEAVES, sales.ACCOUNTS, sales.PRODUCTS,
    sales.TERRITORIES, sales.TERRITORY_RULES, sales.TERRITORY_POSITIONS, sales.ACCOUNT_TERRITORIES,
    sales.OPPORTUNITIES, sales.OPPORTUNITY_STAGES, sales.TRANSACTIONS, sales.CREDIT_SPLITS, sales.CUSTOMER_PAYMENTS,
    sales.ACTIVITIES, people.QUOTAS,
    people.PLANS, people.PLAN_ASSIGNMENTS, people.GOALS,
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
