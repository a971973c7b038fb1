"""How each entity's columns land in the database: its model, its references and self-references."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Ref:
    """A column naming another record by its natural key (`model.key_field`)."""

    model: str
    key_field: str
    noun: str  # how the user calls it: "account", "position"...

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass(frozen=True)
class SelfRef:
    """A model field pointing at a record of the same entity, found by the key built from `columns`."""

    field: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Binding:
    model: str
    refs: dict[str, Ref] = field(default_factory=dict)
    self_ref: SelfRef | None = None
    fast: bool = False  # written by the set-based SQL writer rather than the ORM

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


CURRENCY = Ref("core.Currency", "code", "currency")
POSITION = Ref("org.Position", "code", "position")
PARTICIPANT = Ref("org.Participant", "employee_id", "participant")
ACCOUNT = Ref("catalog.Account", "external_id", "account")
PRODUCT = Ref("catalog.Product", "sku", "product")
FAMILY = Ref("catalog.ProductFamily", "code", "product family")
TERRITORY = Ref("territories.Territory", "code", "territory")
OPPORTUNITY = Ref("sales.Opportunity", "external_id", "opportunity")
PLAN = Ref("plans.Plan", "code", "plan")
PERIOD = Ref("core.Period", "name", "period")
TRANSACTION = Ref("sales.Transaction", "external_id", "transaction")

BINDINGS: dict[str, Binding] = {
    "currencies": Binding("core.Currency"),
    "fx_rates": Binding("core.FxRate", {"from_currency": CURRENCY, "to_currency": CURRENCY}),
    "periods": Binding("core.Period"),
    "participants": Binding("org.Participant", {"currency": CURRENCY}),
    "positions": Binding("org.Position", {"product_family": FAMILY}),
    "reporting_lines": Binding("org.ReportingLine", {"position": POSITION, "manager_position": POSITION}),
    "position_holders": Binding("org.PositionHolder", {"participant": PARTICIPANT, "position": POSITION}),
    "leaves": Binding("org.LeaveOfAbsence", {"participant": PARTICIPANT}),
    "accounts": Binding("catalog.Account", self_ref=SelfRef("parent", ("parent",))),
    "product_families": Binding("catalog.ProductFamily"),
    "products": Binding("catalog.Product", {"family": FAMILY, "currency": CURRENCY}),
    "territories": Binding("territories.Territory", self_ref=SelfRef("parent", ("parent",))),
    "territory_rules": Binding("territories.TerritoryRule", {"territory": TERRITORY, "account": ACCOUNT}),
    "territory_positions": Binding("territories.TerritoryPosition", {"territory": TERRITORY, "position": POSITION}),
    "account_territories": Binding("territories.AccountTerritory", {"account": ACCOUNT, "territory": TERRITORY}),
    "transactions": Binding("sales.Transaction", {
        "account": ACCOUNT, "product": PRODUCT, "opportunity": OPPORTUNITY, "currency": CURRENCY,
        "owner_position": POSITION}, SelfRef("original", ("original",)), fast=True),
    "credit_splits": Binding("sales.CreditSplit", {"transaction": TRANSACTION, "position": POSITION}),
    "customer_payments": Binding("sales.CustomerPayment", {"transaction": TRANSACTION}),
    "opportunities": Binding("sales.Opportunity", {
        "account": ACCOUNT, "owner_position": POSITION, "sourced_by_position": POSITION, "product_family": FAMILY,
        "currency": CURRENCY}),
    "opportunity_stages": Binding("sales.OpportunityStageEvent", {"opportunity": OPPORTUNITY}),
    "activities": Binding("sales.Activity", {"participant": PARTICIPANT, "opportunity": OPPORTUNITY,
                                             "account": ACCOUNT}),
    "quotas": Binding("quotas.Quota", {"position": POSITION, "period": PERIOD, "currency": CURRENCY}),
    "plans": Binding("plans.Plan", {"currency": CURRENCY}),
    "plan_assignments": Binding("plans.PlanAssignment", {"position": POSITION, "plan": PLAN, "currency": CURRENCY}),
    "goals": Binding("plans.Goal", {"period": PERIOD, "position": POSITION, "parent_position": POSITION},
                     SelfRef("parent", ("period", "parent_position", "parent"))),
}


def model_fields(model: type[models.Model], columns: list[str]) -> dict[str, models.Field]:
    """The model's concrete fields among the entity's columns, by column name."""
    names = {f.name: f for f in model._meta.concrete_fields}
    return {c: names[c] for c in columns if c in names}
