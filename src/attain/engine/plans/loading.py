"""From plan text to a validated `Plan`: schema, names between parts, expressions and rate tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import yaml
from pydantic import ValidationError

from attain.engine import exact_yaml
from attain.engine.crediting import CreditRule
from attain.engine.crediting.rules import TYPES_OF_KIND, article
from attain.engine.effective import Span, find_overlaps
from attain.engine.expressions import ExpressionError, FieldType, parse_condition
from attain.engine.measures import Measure
from attain.engine.plans.document import ComponentSpec, CreditRuleSpec, MeasureSpec, PlanDocument
from attain.engine.rates import Cap, Gate, Kicker, PlanError, RateTable

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
# which kinds of credit rule take an option, for the problems of a misplaced one
OPTION_KINDS = {
    "share": (("territory", "team"), "share splits the credit of a territory or team rule"),
    "to": (("pipeline",), "to chooses which position of an opportunity a pipeline rule credits"),
    "stage": (("pipeline",), "stage chooses the stage whose first entry a pipeline rule credits"),
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

    def table_on(self, day: date) -> tuple[Span, RateTable] | None:
        return next(((span, table) for span, table in self.tables if span.contains(day)), None)

    @property
    def dated(self) -> bool:
        return len(self.tables) > 1 or self.tables[0][0].valid_from != date.min


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


def _parse_text(text: str) -> object:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return json.loads(text, parse_float=Decimal)
    return exact_yaml.load(text)


def load_plan(text: str, name: str = "(unnamed)") -> tuple[Plan | None, list[PlanProblem]]:
    try:
        raw = _parse_text(text)
    except (yaml.YAMLError, json.JSONDecodeError) as failure:
        return None, [PlanProblem(name, "", "", f"the document is not valid YAML or JSON ({failure}); fix the syntax")]
    if not isinstance(raw, dict):
        return None, [PlanProblem(name, "", "", "a plan document is a mapping with plan, name, currency, timing, "
                                                "credit_rules, measures and components")]
    try:
        document = PlanDocument.model_validate(raw)
    except ValidationError as invalid:
        code = str(raw.get("plan") or name)
        return None, [_schema_problem(code, raw, error) for error in invalid.errors()]
    return _build(document, text)


def _schema_problem(code: str, raw: dict, error: dict) -> PlanProblem:
    location = list(error["loc"])
    part = ""
    if len(location) >= 2 and isinstance(location[1], int) and location[0] in raw:
        items = raw[location[0]]
        label = items[location[1]].get("name") if isinstance(items[location[1]], dict) else None
        part = f"{location[0].rstrip('s').replace('_', ' ')} {label!r}" if label else f"{location[0]}[{location[1]}]"
        location = location[2:]
    field = ".".join(str(x) for x in location)
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "this field is not part of a plan document: remove it or check its spelling"
    elif error["type"] == "missing":
        message = "this field is required: add it"
    return PlanProblem(code, part, field, message)


def _build(document: PlanDocument, text: str) -> tuple[Plan | None, list[PlanProblem]]:
    problems: list[PlanProblem] = []
    rules = _credit_rules(document, problems)
    measures = [_measure(document, spec, problems) for spec in document.measures]
    components = [_component(document, spec, problems) for spec in document.components]
    _check_unique(document, problems)
    if problems:
        return None, problems
    return Plan(document.plan, document.name, document.currency, document.timing, tuple(rules),
                tuple(measures), tuple(components), text), []


def _credit_rules(document: PlanDocument, problems: list[PlanProblem]) -> list[CreditRule]:
    rules, known = [], set()
    for spec in document.credit_rules:
        part = f"credit rule {spec.name!r}"
        for source in spec.source:
            if source not in known:
                problems.append(PlanProblem(document.plan, part, "source", f"{source!r} is not a credit rule listed "
                                            f"before this one; choose from {sorted(known) or 'none'}"))
        if spec.kind in ("rollup", "team") and not spec.source:
            problems.append(PlanProblem(document.plan, part, "source", f"a {spec.kind} names the rules whose "
                                        "credits it takes, e.g. source: [direct]"))
            continue
        if not _options_fit(document, spec, part, problems):
            continue
        known.add(spec.name)
        rules.append(CreditRule(spec.name, spec.kind, spec.credit_type, tuple(spec.source), spec.depth,
                                spec.share or "full", spec.to or "sourced_by", spec.stage))
    return rules


def _options_fit(document: PlanDocument, spec: CreditRuleSpec, part: str, problems: list[PlanProblem]) -> bool:
    """Options only on the kinds that take them; credit types that the kind can give."""
    found = []
    for option, (kinds, meaning) in OPTION_KINDS.items():
        if getattr(spec, option) is not None and spec.kind not in kinds:
            found.append(PlanProblem(document.plan, part, option, f"{meaning}; remove it from this {spec.kind} rule"))
    allowed = TYPES_OF_KIND.get(spec.kind)
    if allowed and spec.credit_type not in allowed:
        found.append(PlanProblem(document.plan, part, "credit_type", f"{article(spec.kind)} {spec.kind} rule credits "
                                 f"{' or '.join(allowed)}: write credit_type: {allowed[0]}"))
    problems.extend(found)
    return not found


def _measure(document: PlanDocument, spec: MeasureSpec, problems: list[PlanProblem]) -> Measure | None:
    part = f"measure {spec.name!r}"
    names = {r.name for r in document.credit_rules}
    for rule in spec.rules:
        if rule not in names:
            problems.append(PlanProblem(document.plan, part, "rules", f"{rule!r} is not a credit rule of this plan; "
                                        f"choose from {sorted(names)}"))
    condition = None
    if spec.filter:
        try:
            condition = parse_condition(spec.filter, CREDIT_FIELDS)
        except ExpressionError as wrong:
            problems.append(PlanProblem(document.plan, part, "filter", str(wrong)))
    compiled = (lambda table, c=condition: c.to_ibis(lambda name: table[name])) if condition else None
    return Measure(spec.name, spec.credit_type, tuple(spec.rules), spec.aggregate, compiled, spec.distinct)


def _component(document: PlanDocument, spec: ComponentSpec, problems: list[PlanProblem]) -> Component | None:
    part = f"component {spec.name!r}"
    if spec.measure not in {m.name for m in document.measures}:
        problems.append(PlanProblem(document.plan, part, "measure", f"{spec.measure!r} is not a measure of this "
                                    f"plan; choose from {sorted(m.name for m in document.measures)}"))
    tables = _rate_tables(document, spec, part, problems)
    table = tables[0][1] if tables else None
    if table is not None and spec.scope == "per_transaction" and (table.basis == "attainment" or spec.quota):
        problems.append(PlanProblem(document.plan, part, "scope", "a per-transaction component rates each line on "
                                    "its amount: use basis: amount and no quota"))
    elif table is not None and table.basis == "attainment" and spec.quota is None:
        problems.append(PlanProblem(document.plan, part, "quota", "attainment tiers need a quota: add quota: period, "
                                    "quarter or year"))
    gate = _block(Gate, spec.gate, document, part, "gate", problems)
    cap = _block(Cap, spec.cap, document, part, "cap", problems)
    if spec.payout == "percent_of_target" and spec.scope == "per_transaction":
        problems.append(PlanProblem(document.plan, part, "payout", "a per-transaction component pays amounts: "
                                    "use payout: amount"))
    kicker = _block(Kicker, spec.kicker, document, part, "kicker", problems)
    if kicker is not None and kicker.measure not in {m.name for m in document.measures}:
        problems.append(PlanProblem(document.plan, part, "kicker", f"{kicker.measure!r} is not a measure of this "
                                    f"plan; choose from {sorted(m.name for m in document.measures)}"))
    if kicker is not None and spec.scope == "per_transaction":
        problems.append(PlanProblem(document.plan, part, "kicker", "kickers multiply a period's or a to-date "
                                    "earning, not single lines"))
    component = Component(spec.name, spec.type, spec.measure, spec.scope, spec.quota, tables, gate, cap, spec.payout,
                          kicker, spec.prorate_quota)
    return component if tables else None


def _rate_tables(document: PlanDocument, spec: ComponentSpec, part: str, problems: list[PlanProblem]) -> tuple:
    """The component's tables with their validity: one `rate_table`, or effective-dated `rate_tables`."""
    if (spec.rate_table is None) == (spec.rate_tables is None):
        problems.append(PlanProblem(document.plan, part, "rate_table", "give either rate_table (one table) or "
                                    "rate_tables (tables with valid_from and valid_to), not both or neither"))
        return ()
    if spec.rate_table is not None:
        entries = [("rate_table", Span(None, date.min, None), spec.rate_table)]
    else:
        entries = [e for i, raw in enumerate(spec.rate_tables) if (e := _dated_entry(document, part, i, raw, problems))]
    tables = []
    for where, span, raw in entries:
        table, errors = RateTable.from_dict(raw)
        for error in errors:
            at = where if error.index is None else f"{where} (tier or point {error.index + 1})"
            problems.append(PlanProblem(document.plan, part, at, error.message))
        if table is not None:
            tables.append((span, table))
    for earlier, later in find_overlaps(span for span, _ in tables):
        problems.append(PlanProblem(document.plan, part, "rate_tables", f"the tables valid {earlier.describe()} and "
                                    f"{later.describe()} overlap: end the first the day before the second starts"))
    if len({table.basis for _, table in tables}) > 1:
        problems.append(PlanProblem(document.plan, part, "rate_tables", "all the tables of a component use one "
                                    "basis (amount or attainment)"))
    return tuple(sorted(tables, key=lambda pair: pair[0].valid_from)) if len(tables) == len(entries) else ()


def _dated_entry(document: PlanDocument, part: str, index: int, raw: dict, problems: list[PlanProblem]):
    where = f"rate_tables[{index + 1}]"
    raw = dict(raw)
    try:
        start, end = (_day(raw.pop(key, None)) for key in ("valid_from", "valid_to"))
    except ValueError:
        problems.append(PlanProblem(document.plan, part, where, "valid_from and valid_to are dates: YYYY-MM-DD"))
        return None
    if start is None or (end is not None and end < start):
        problems.append(PlanProblem(document.plan, part, where, "give valid_from, and a valid_to on or after it"))
        return None
    return where, Span(None, start, end), raw


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _block(kind, spec: dict | None, document: PlanDocument, part: str, field: str, problems: list[PlanProblem]):
    """A gate or cap from its mapping; its errors become plan problems."""
    if spec is None:
        return None
    try:
        return kind.load(spec)
    except PlanError as invalid:
        problems.extend(PlanProblem(document.plan, part, field, error.message) for error in invalid.errors)
        return None


def _check_unique(document: PlanDocument, problems: list[PlanProblem]) -> None:
    for kind, items in (("credit rule", document.credit_rules), ("measure", document.measures),
                        ("component", document.components)):
        seen = set()
        for item in items:
            if item.name in seen:
                problems.append(PlanProblem(document.plan, f"{kind} {item.name!r}", "name",
                                            f"two {kind}s are called {item.name!r}: give each its own name"))
            seen.add(item.name)
