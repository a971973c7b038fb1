"""The shape of a plan document (pydantic models; their JSON Schema is published in docs/)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Name = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z][A-Za-z0-9_\- ]*$")


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


CreditType = Literal["revenue", "margin", "units", "tcv", "acv", "count"]


class CreditRuleSpec(Part):
    name: str = Name
    kind: Literal["direct", "territory", "overlay", "sourced", "rollup", "team", "activity", "pipeline"]
    credit_type: CreditType = "revenue"
    source: list[str] = Field(default_factory=list, description="For rollups and teams: the rules whose credits "
                                                                "they take.")
    depth: int = Field(1, ge=1, le=10, description="For rollups: how many manager levels receive credit.")
    share: Literal["full", "equal"] | None = Field(
        None, description="For territory and team rules: full (default) gives every position the whole credit; "
                          "equal splits it in equal parts (a pool) that add up to the credit exactly.")
    to: Literal["sourced_by", "owner"] | None = Field(
        None, description="For pipeline rules: credit the opportunity's sourcing position (sourced_by, default) "
                          "or its owner.")
    stage: str | None = Field(
        None, min_length=1, max_length=40,
        description="For pipeline rules: credit the day the opportunity first entered this stage (default: its "
                    "created date).")


class MeasureSpec(Part):
    name: str = Name
    credit_type: CreditType = "revenue"
    rules: list[str] = Field(default_factory=list, description="Credit rules that count; empty = all.")
    aggregate: Literal["sum", "count", "average", "distinct_count"] = "sum"
    filter: str | None = Field(None, description='A condition on credits, e.g. deal_type == "new".')
    distinct: Literal["transaction_id", "account", "product_family"] = "transaction_id"


class ComponentSpec(Part):
    name: str = Name
    type: Literal["commission", "bonus", "spiff"] = Field(
        "commission", description="A label for statements and reports; all three compute alike (type: mbo is the "
                                  "other kind of component).")
    measure: str = Field(description="The measure rated.")
    scope: Literal["per_transaction", "period", "quarter_to_date", "year_to_date"] = Field(
        description="What the rate table is applied to: each credited line, the month, or the quarter or year to "
                    "date (to-date scopes pay earned-to-date minus earned-before).")
    quota: Literal["period", "quarter", "year"] | None = Field(
        None, description="Which quota attainment is measured against (needed for attainment tiers).")
    prorate_quota: bool = Field(
        True, description="Prorate the quota by the calendar days the participant held the position in the quota's "
                          "period, less leaves of absence (both ends counted; DOMAIN E6). false: the full quota "
                          "applies.")
    rate_table: dict[str, Any] | None = Field(
        None, description="One rate table for the whole plan version: {method: marginal | whole_amount | "
                          "interpolated, basis: amount | attainment, tiers or points}, or {method: flat, rate: 0.05}.")
    rate_tables: list[dict[str, Any]] | None = Field(
        None, description="Effective-dated rate tables: each a rate table with valid_from (and valid_to); the "
                          "table valid on the month's last day (a line's attribution date, per transaction) applies.")
    payout: Literal["amount", "percent_of_target"] = Field(
        "amount", description="What the rate table gives: an amount, or a fraction of the position's annual target "
                              "incentive (1 = 100% of target).")
    kicker: dict[str, Any] | None = Field(
        None, description="A multiplier looked up from a second measure of the plan (same scope): {measure: "
                          "new_logos, bands: [{from: 0, to: 3, multiplier: 1}, {from: 3, multiplier: 1.1}]}.")
    gate: dict[str, Any] | None = Field(
        None, description="Nothing is earned below a threshold: {threshold: 0.5, kind: from_first_dollar | "
                          "above_threshold_only} (threshold in the rate table's basis).")
    cap: dict[str, Any] | None = Field(
        None, description="An upper limit on what the component earns: {amount: 100000} or {percent_of_target: 2} "
                          "(2 = 200% of the position's annual target incentive), per the scope's own period or "
                          "per: period | quarter | year (not shorter than the scope); carry_forward: true pays what "
                          "the cap cut in later periods (or quarters) of the plan year as far as the cap leaves "
                          "room, and what is still carried at the plan year's end is forfeited.")
    clawback: dict[str, Any] | None = Field(
        None, description="Per-transaction components only: what a credit note takes back of its original's "
                          "commission: {window_days: 180, method: full | pro_rata}. A credit note dated more than "
                          "window_days after the original's crediting date takes nothing back; pro_rata takes back "
                          "the part for the contract months not served.")
    formula: str | None = Field(
        None, description="A formula for what is earned, e.g. payout * (1 + margin / bookings) or bookings * 0.02 "
                          "+ new_logos * 500: payout (the rate table's result), value, quota, attainment, target "
                          "and the plan's measures (per transaction: payout, value and the credit's fields).")
    matrix: dict[str, Any] | None = Field(
        None, description="Instead of a rate table: a rate by band of two values, applied to the measure: {rows: "
                          "{value: attainment, bands: [...]}, columns: {value: <measure>, bands: [...]}, rates: "
                          "[[...], ...]}.")


class MboComponentSpec(Part):
    """Pays scored objectives (management by objectives): no measure, scope or rate table."""

    name: str = Name
    type: Literal["mbo"]
    objectives: dict[str, Any] = Field(
        description="{period: quarter, amount: 2500} or {period: quarter, percent_of_target: 0.05}: the payout at "
                    "full score for each objectives period (an amount, or a fraction of the annual target "
                    "incentive), times Σ weight × score of the position's objectives for that period.")


def _component_kind(raw: Any) -> str:
    kind = raw.get("type") if isinstance(raw, dict) else getattr(raw, "type", None)
    return "mbo" if kind == "mbo" else "rated"


AnyComponent = Annotated[
    Annotated[ComponentSpec, Tag("rated")] | Annotated[MboComponentSpec, Tag("mbo")],
    Discriminator(_component_kind),
]


class PlanDocument(Part):
    plan: str = Field(min_length=1, max_length=40, description="The plan's code, e.g. AE-2026.")
    name: str = Field(min_length=1, max_length=120)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    timing: Literal["booked", "invoiced", "paid"] = Field(..., description="Which date earns credit.")
    fx_rate: Literal["transaction_date", "period_average"] = Field(
        "transaction_date", description="The rate amounts in other currencies are converted at: the rate of the "
                                        "transaction's date (the latest on or before it), or the average of the "
                                        "rates dated in its fiscal month.")
    credit_rules: list[CreditRuleSpec] = Field(min_length=1)
    measures: list[MeasureSpec] = Field(min_length=1)
    components: list[AnyComponent] = Field(min_length=1)
    cap: dict[str, Any] | None = Field(
        None, description="A limit on the plan's total earnings per participant and position: {amount: 250000, "
                          "per: year} or {percent_of_target: 3, per: year} (per: period | quarter | year).")
    guarantee: dict[str, Any] | None = Field(
        None, description="A minimum monthly earning (non-recoverable): {amount: 5000, first_months: 3} or "
                          "{percent_of_target: 1, valid_from: 2026-01-01, valid_to: 2026-03-31} "
                          "(percent_of_target: of the monthly target incentive, the annual one ÷ 12).")
    prorate_target: bool = Field(
        True, description="Prorate the annual target incentive by the calendar days the participant held the position, "
                          "less leaves of absence, in the window it is used for (the component's scope, the cap's "
                          "window): percent-of-target payouts and caps. false: the full target applies.")
    hold: dict[str, Any] | None = Field(
        None, description="Commission earned on a transaction waits: {until: invoice} (released in the month it is "
                          "invoiced) or {until: payment} (released as the customer pays, pro rata).")
    eligibility: dict[str, Any] | None = Field(
        None, description="Who and when the plan pays: {position_kinds: [ae], valid_from: 2026-01-01, valid_to: "
                          "2026-12-31}; credits dated outside the dates and positions of other kinds earn nothing.")


def plan_json_schema() -> dict:
    schema = PlanDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Attain plan document"
    return schema
