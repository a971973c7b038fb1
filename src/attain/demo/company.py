"""Generate the whole demo company as rows, in load order (pure: no database)."""

from __future__ import annotations

from dataclasses import dataclass

from attain.demo import accounts, activities, catalog, org, pipeline, plans, quotas, sales, territories
from attain.demo.rows import Table, fingerprint, stream


@dataclass
class DemoCompany:
    seed: int
    tables: list[Table]
    organisation: org.Org
    opportunities: list[pipeline.OppFacts]

    def table(self, model: str) -> Table:
        return next(t for t in self.tables if t.model == model)

    def fingerprint(self) -> str:
        return fingerprint(self.tables)

    def counts(self) -> dict[str, int]:
        return {t.model: len(t.rows) for t in self.tables}


def generate(seed: int) -> DemoCompany:
    organisation = org.build_org(seed, stream(seed, "org"))
    account_table, account_facts = accounts.generate_accounts(stream(seed, "accounts"))
    design = territories.design(organisation, account_facts)
    opportunities = pipeline.simulate(organisation, design, account_facts, seed)
    rates = sales.fx_rates(seed)
    transactions = sales.book(opportunities, rates, seed)
    annual = quotas.annual_quotas(organisation, opportunities, rates)
    opps, stage_events, activity_rows = activities.opportunity_tables(opportunities, organisation, seed)
    tables = [
        *catalog.generate_catalog(),
        sales.fx_table(rates),
        *quotas.calendar_tables(),
        *org.org_tables(organisation),
        account_table,
        *territories.territory_tables(design),
        opps,
        stage_events,
        transactions,
        activity_rows,
        quotas.quota_table(organisation, annual, design.reliefs),
        *plans.plan_tables(organisation),
        plans.goal_tables(organisation, annual),
        *plans.policy_tables(),
    ]
    return DemoCompany(seed, tables, organisation, opportunities)
