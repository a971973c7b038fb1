"""The scenario file: what is given, which plan runs, what is expected (pydantic models, exact numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from attain.engine import exact_yaml

BEGINNING = date(1900, 1, 1)  # an omitted valid_from: valid since before any fiscal year


class ScenarioError(ValueError):
    """A scenario file that cannot be read; the message names the file, the scenario, the field and the fix."""


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Dated(Row):
    valid_from: date = BEGINNING
    valid_to: date | None = None  # inclusive; empty = until further notice


class TransactionRow(Row):
    external_id: str
    booked_date: date
    invoiced_date: date | None = None
    paid_date: date | None = None
    account: str | None = None
    product_family: str | None = None
    amount: Decimal
    quantity: Decimal = Decimal(1)
    cost: Decimal | None = None
    deal_type: str = "new"
    owner_position: str | None = None
    kind: str = "booking"
    original: str | None = Field(None, description="For a credit note: the external_id of the line it reverses.")
    contract_start: date | None = None
    contract_end: date | None = None
    opportunity: str | None = Field(None, description="The external_id of the opportunity the line closes.")
    sourced_by: str | None = Field(None, description="The position that sourced the deal (default: its "
                                                     "opportunity's sourced_by).")


class StageRow(Row):
    stage: str
    entered_on: date
    amount: Decimal | None = None  # the opportunity's amount at this stage (empty: the opportunity's amount)


class OpportunityRow(Row):
    external_id: str
    amount: Decimal
    created_date: date
    sourced_by: str | None = None  # the position that sourced it (SDR, partner manager)
    owner_position: str | None = None
    account: str | None = None
    product_family: str | None = None
    deal_type: str = "new"
    stages: list[StageRow] = Field(default_factory=list)  # its stage history


class ActivityRow(Row):
    external_id: str
    participant: str
    kind: str  # call, email, meeting, demo
    occurred_on: date
    qualified: bool = False
    account: str | None = None
    opportunity: str | None = None


class SplitRow(Row):
    transaction: str  # external_id
    position: str
    share: Decimal


class HolderRow(Dated):
    participant: str
    position: str


class ReportingLineRow(Dated):
    position: str
    manager: str


class TerritoryRow(Row):
    territory: str
    parent: str | None = None


class AccountTerritoryRow(Dated):
    account: str
    territory: str


class TerritoryPositionRow(Dated):
    territory: str
    position: str
    role: Literal["primary", "overlay"] = "primary"


class PositionRow(Row):
    position: str
    kind: str | None = None
    product_family: str | None = None  # overlay seats: the family they cover (empty = every family)


class TargetRow(Row):
    position: str
    amount: Decimal  # the position's annual target incentive (variable pay at 100%), in the plan currency


class ObjectiveRow(Row):
    position: str
    period: str  # the objectives' period: FY2026, FY2026-Q1 or FY2026-M01
    objective: str
    weight: Decimal  # the objective's share; a position's weights in one period add up to 1
    score: Decimal | None = None  # 0–1 as scored by the manager; empty = not scored yet


class LeaveRow(Row):
    participant: str
    start_date: date  # the first day away
    end_date: date  # the last day away (inclusive)


class QuotaRow(Row):
    position: str
    period: str  # FY2026, FY2026-Q1 or FY2026-M01
    measure: str
    amount: Decimal


class Given(Row):
    fiscal_year: int
    fiscal_year_start_month: int = Field(1, ge=1, le=12)
    months: list[str] | None = None  # e.g. [FY2026-M01, FY2026-M02]; empty = the whole fiscal year
    transactions: list[TransactionRow] = Field(default_factory=list)
    splits: list[SplitRow] = Field(default_factory=list)
    holders: list[HolderRow] = Field(default_factory=list)
    reporting_lines: list[ReportingLineRow] = Field(default_factory=list)
    territories: list[TerritoryRow] = Field(default_factory=list)
    account_territories: list[AccountTerritoryRow] = Field(default_factory=list)
    territory_positions: list[TerritoryPositionRow] = Field(default_factory=list)
    positions: list[PositionRow] = Field(default_factory=list)
    quotas: list[QuotaRow] = Field(default_factory=list)
    opportunities: list[OpportunityRow] = Field(default_factory=list)
    activities: list[ActivityRow] = Field(default_factory=list)
    # for percent_of_target payouts, caps and guarantees, and MBO components
    targets: list[TargetRow] = Field(default_factory=list)
    objectives: list[ObjectiveRow] = Field(default_factory=list)
    # leaves of absence that prorate: their days do not count when quotas, targets, guarantees and objectives are
    # prorated (the holder keeps the credits)
    leaves: list[LeaveRow] = Field(default_factory=list)


class ExpectedEarning(Row):
    participant: str
    component: str
    period: str
    amount: Decimal


class ExpectedCredit(Row):
    transaction: str  # external_id
    position: str
    rule: str
    value: Decimal


class Expect(Row):
    earnings: list[ExpectedEarning] = Field(default_factory=list)
    credits: list[ExpectedCredit] | None = None  # None: credits are not checked
    exceptions: list[str] = Field(default_factory=list)


class Scenario(Row):
    scenario: str = Field(min_length=1)
    description: str | None = None
    plan: str | dict[str, Any]  # a path relative to the scenario file, or the plan document itself
    given: Given
    expect: Expect


def read_scenarios(text: str, source: str = "(text)") -> list[Scenario]:
    """Every scenario in a file (YAML documents separated by ---). Raises ScenarioError."""
    try:
        documents = [d for d in exact_yaml.load_all(text) if d is not None]
    except yaml.YAMLError as failure:
        raise ScenarioError(f"{source}: not valid YAML ({failure}); fix the syntax (an alias *name only "
                            "refers to an anchor &name in the same document: share data inside one "
                            "'scenarios:' list)") from None
    raw = [item for d in documents for item in _listed(d)]
    if not raw:
        raise ScenarioError(f"{source}: no scenario in the file; write scenario, plan, given and expect")
    return [_scenario(d, source, i) for i, d in enumerate(raw)]


def _listed(document: object) -> list[object]:
    """A document is one scenario, or `scenarios: [...]` (so that YAML anchors can share data between them)."""
    if isinstance(document, dict) and set(document) == {"scenarios"} and isinstance(document["scenarios"], list):
        return document["scenarios"]
    return [document]


def _scenario(raw: object, source: str, index: int) -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}, scenario {index + 1}: a scenario is a mapping with scenario, plan, given "
                            "and expect")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as invalid:
        name = raw.get("scenario") or f"number {index + 1}"
        problems = "; ".join(dict.fromkeys(_problem(e) for e in invalid.errors()))
        raise ScenarioError(f"{source}, scenario {name!r}: {problems}") from None


def _problem(error: dict) -> str:
    where = ".".join(str(x) for x in error["loc"] if not str(x).startswith(("str", "dict")))
    if where == "plan":
        return "plan: give the path of a plan file (relative to this file) or the plan document itself"
    if error["type"] == "extra_forbidden":
        return f"{where}: this field is not part of a scenario: remove it or check its spelling"
    if error["type"] == "missing":
        return f"{where}: this field is required: add it"
    return f"{where}: {error['msg']}"
