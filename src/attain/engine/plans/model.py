"""What a loaded plan is: its components, its terms, and the problems a plan document can have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attain.engine.crediting import CreditRule
from attain.engine.effective import Span
from attain.engine.expressions import Expression, FieldType
from attain.engine.measures import Measure
from attain.engine.payments.clawbacks import ClawbackPolicy
from attain.engine.payments.holds import HoldPolicy
from attain.engine.plans.terms import SCOPE_WINDOW, Eligibility, Guarantee, Objectives, WindowCap
from attain.engine.rates import Cap, Gate, Kicker, MatrixTable, RateTable

# what a period or to-date formula reads besides the plan's measures (payout: only with a rate table or matrix)
FORMULA_FIELDS = frozenset({"value", "quota", "attainment", "target", "payout"})
# what a measure's filter may test: the columns of a credit
CREDIT_FIELDS = {
    "deal_type": FieldType.TEXT, "product_family": FieldType.TEXT, "account": FieldType.TEXT,
    "position": FieldType.TEXT, "rule": FieldType.TEXT, "credit_type": FieldType.TEXT,
    "external_id": FieldType.TEXT, "is_reversal": FieldType.BOOL, "credit_date": FieldType.DATE,
    "attribution_date": FieldType.DATE,  # the line's own crediting date, or for a credit note its original's
    "value": FieldType.NUMBER,
    "source": FieldType.TEXT,  # transaction, activity or opportunity: what the credit is on
    "opportunity": FieldType.TEXT,  # the opportunity's external_id (a transaction's, an activity's or itself)
    "activity_kind": FieldType.TEXT, "qualified": FieldType.BOOL,  # activity credits only; empty on others
}
@dataclass(frozen=True)
class PlanProblem:
    plan: str
    part: str  # e.g. "component 'Commission on new bookings'"
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(x for x in (self.part, self.field) if x)
        return f"Plan {self.plan}: {where}: {self.message}" if where else f"Plan {self.plan}: {self.message}"


@dataclass(frozen=True)
class Component:
    name: str
    type: str
    measure: str
    scope: str
    quota: str | None
    tables: tuple[tuple[Span, RateTable], ...]  # effective-dated; one open span for a single rate_table
    gate: Gate | None = None
    cap: Cap | None = None
    payout: str = "amount"  # or percent_of_target: the table's result × the annual target incentive
    kicker: Kicker | None = None
    prorate_quota: bool = True
    cap_per: str | None = None  # the window the cap limits: the scope's own, or a longer one (cumulative)
    matrix: MatrixTable | None = None  # instead of tables: a rate by band of two values
    objectives: Objectives | None = None  # type mbo: scored objectives instead of a measure
    formula: Expression | None = None  # what is earned, from the table's payout and the scope's values
    cap_carry: bool = False  # the cap carries what it cuts to later windows of the plan year (CarriedCap)
    clawback: ClawbackPolicy | None = None  # per transaction: what a credit note takes back of its original's pay
    prorate_target: bool = True  # the plan's prorate_target: the target incentive prorated by the days that count

    @property
    def other_measures(self) -> list[str]:
        """The measures the component reads besides its own: its kicker's, its formula's and its matrix axes'."""
        names = [self.kicker.measure] if self.kicker else []
        if self.formula is not None:
            names += sorted(self.formula.fields - FORMULA_FIELDS)
        if self.matrix is not None:
            names += [a.measure for a in (self.matrix.rows, self.matrix.columns) if a.measure != "attainment"]
        return list(dict.fromkeys(names))

    @property
    def cap_window(self) -> bool:
        """True when the cap is paid over its window month by month rather than applied to each earning: a
        window longer than the scope, or a cap that carries its excess forward."""
        return self.cap is not None and (self.cap_carry or self.cap_per not in (None, SCOPE_WINDOW[self.scope]))

    def table_on(self, day: date) -> tuple[Span, RateTable] | None:
        return next(((span, table) for span, table in self.tables if span.contains(day)), None)

    @property
    def dated(self) -> bool:
        return len(self.tables) > 1 or (bool(self.tables) and self.tables[0][0].valid_from != date.min)


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    currency: str
    timing: str
    credit_rules: tuple[CreditRule, ...]
    measures: tuple[Measure, ...]
    components: tuple[Component, ...]
    text: str
    cap: WindowCap | None = None  # on the plan's total per participant and position
    guarantee: Guarantee | None = None
    eligibility: Eligibility | None = None
    fx_rate: str = "transaction_date"  # or period_average: see PlanDocument.fx_rate
    hold: HoldPolicy | None = None  # commission waits for the transaction's invoice or customer payment
    prorate_target: bool = True  # the annual target incentive prorated by the days that count in its window
