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
from attain.engine.expressions import Expression, ExpressionError, FieldType, parse, parse_condition
from attain.engine.measures import Measure
from attain.engine.plans.document import (
    ComponentSpec,
    CreditRuleSpec,
    MboComponentSpec,
    MeasureSpec,
    PlanDocument,
)
from attain.engine.plans.terms import (
    SCOPE_WINDOW,
    Eligibility,
    Guarantee,
    Objectives,
    WindowCap,
    read_eligibility,
    read_guarantee,
    read_objectives,
    read_window_cap,
)
from attain.engine.rates import Cap, Gate, Kicker, MatrixTable, PlanError, RateTable

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


RESERVED = {"Plan cap": "cap", "Guarantee": "guarantee"}  # earning lines the plan's terms add


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

    @property
    def cap_window(self) -> bool:
        """True when the cap limits a window longer than the scope (paid cumulatively over the window)."""
        return self.cap is not None and self.cap_per not in (None, SCOPE_WINDOW[self.scope])

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
        location = [x for x in location[2:] if x not in ("rated", "mbo")]  # a component's kind tag
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
    terms = _plan_terms(document, problems)
    _check_unique(document, problems)
    if problems:
        return None, problems
    return Plan(document.plan, document.name, document.currency, document.timing, tuple(rules),
                tuple(measures), tuple(components), text, **terms), []


def _plan_terms(document: PlanDocument, problems: list[PlanProblem]) -> dict:
    """The plan-level cap, guarantee and eligibility, each when the document gives it."""
    readers = {"cap": lambda raw: read_window_cap(raw, "cap"), "guarantee": read_guarantee,
               "eligibility": read_eligibility}
    terms = {}
    for name, read in readers.items():
        raw = getattr(document, name)
        if raw is None:
            continue
        terms[name], messages = read(raw)
        problems.extend(PlanProblem(document.plan, "", name, message) for message in messages)
    return terms


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
    found: list[str] = []
    if isinstance(spec, MboComponentSpec):
        component = _mbo_component(spec, found)
    else:
        component = _rated_component(document, spec, part, problems, found)
    problems.extend(PlanProblem(document.plan, part, field, message) for field, message in found)
    return component


def _mbo_component(spec: MboComponentSpec, found: list) -> Component | None:
    """An MBO component: scored objectives × the payout at full score; nothing else applies."""
    objectives, messages = read_objectives(spec.objectives)
    found += [("objectives", message) for message in messages]
    if objectives is None:
        return None
    return Component(spec.name, spec.type, None, None, None, (), objectives=objectives)


def _rated_component(document: PlanDocument, spec: ComponentSpec, part: str, problems: list[PlanProblem],
                     found: list) -> Component | None:
    measures = {m.name for m in document.measures}
    if spec.measure not in measures:
        found.append(("measure", f"{spec.measure!r} is not a measure of this plan; choose from {sorted(measures)}"))
    matrix = _matrix(spec, measures, found)
    tableless = spec.matrix is not None or (spec.formula and spec.rate_table is None and spec.rate_tables is None)
    tables = () if tableless else _rate_tables(document, spec, part, problems)
    _check_rating(spec, tables[0][1] if tables else None, matrix, found)
    formula = _formula(spec, measures, bool(tables or matrix), found)
    gate = _block(Gate, spec.gate, document, part, "gate", problems)
    cap, cap_per = _component_cap(spec, found)
    kicker = _block(Kicker, spec.kicker, document, part, "kicker", problems)
    if kicker is not None and kicker.measure not in measures:
        found.append(("kicker", f"{kicker.measure!r} is not a measure of this plan; choose from {sorted(measures)}"))
    if kicker is not None and spec.scope == "per_transaction":
        found.append(("kicker", "kickers multiply a period's or a to-date earning, not single lines"))
    if not (tables or matrix or formula):
        return None
    return Component(spec.name, spec.type, spec.measure, spec.scope, spec.quota, tables, gate, cap, spec.payout,
                     kicker, spec.prorate_quota, cap_per=cap_per, matrix=matrix, formula=formula)


def _formula(spec: ComponentSpec, measures: set[str], rated: bool, found: list) -> Expression | None:
    """The component's formula, checked against what it may read (see `formula_fields`)."""
    if spec.formula is None:
        return None
    if spec.gate is not None and not rated:
        found.append(("gate", "a gate needs a rate table: add one, or write the threshold into the formula with "
                              "if(...)"))
    fields, clashes = formula_fields(spec.scope, measures, rated)
    found += [("formula", f"the measure {name!r} has the name of a formula field; rename the measure to use "
                          "it in a formula") for name in clashes]
    try:
        formula = parse(spec.formula, fields)
    except ExpressionError as wrong:
        found.append(("formula", str(wrong)))
        return None
    if formula.type is not FieldType.NUMBER:
        found.append(("formula", f"a formula gives an amount, but this gives a {formula.type.label}: write "
                                 "an amount, e.g. if(deal_type == \"new\", payout, 0)"))
        return None
    return formula


def formula_fields(scope: str, measures: set[str], rated: bool) -> tuple[dict[str, FieldType], list[str]]:
    """What a formula may read, and the measures whose names clash with those fields."""
    if scope == "per_transaction":
        fields = dict(CREDIT_FIELDS)
    else:
        fields = dict.fromkeys(("value", "quota", "attainment", "target"), FieldType.NUMBER)
    if rated:
        fields["payout"] = FieldType.NUMBER
    clashes = sorted(m for m in measures if m in fields or m == "payout") if scope != "per_transaction" else []
    if scope != "per_transaction":
        fields.update({m: FieldType.NUMBER for m in measures if m not in clashes})
    return fields, clashes


def _check_rating(spec: ComponentSpec, table: RateTable | None, matrix: MatrixTable | None, found: list) -> None:
    per_line = spec.scope == "per_transaction"
    if table is not None and per_line and (table.basis == "attainment" or spec.quota):
        found.append(("scope", "a per-transaction component rates each line on its amount: use basis: amount and "
                               "no quota"))
    elif table is not None and table.basis == "attainment" and spec.quota is None:
        found.append(("quota", "attainment tiers need a quota: add quota: period, quarter or year"))
    if matrix is not None and "attainment" in (matrix.rows.measure, matrix.columns.measure) and spec.quota is None:
        found.append(("quota", "a matrix on attainment needs a quota: add quota: period, quarter or year"))
    if matrix is not None and (per_line or spec.gate or spec.payout != "amount"):
        found.append(("matrix", "a matrix rates a period's or a to-date value, with payout: amount and no gate"))
    if spec.payout == "percent_of_target" and per_line:
        found.append(("payout", "a per-transaction component pays amounts: use payout: amount"))


def _matrix(spec: ComponentSpec, measures: set[str], found: list) -> MatrixTable | None:
    if spec.matrix is None:
        return None
    if spec.rate_table is not None or spec.rate_tables is not None:
        found.append(("matrix", "give either a matrix or rate tables, not both"))
    matrix, errors = MatrixTable.from_dict(spec.matrix)
    found += [("matrix", error.message) for error in errors]
    if matrix is None:
        return None
    for axis in (matrix.rows, matrix.columns):
        if axis.measure != "attainment" and axis.measure not in measures:
            found.append(("matrix", f"{axis.measure!r} is not a measure of this plan; an axis reads a measure "
                                    f"({', '.join(sorted(measures))}) or attainment"))
    return matrix


def _component_cap(spec: ComponentSpec, found: list) -> tuple[Cap | None, str | None]:
    if spec.cap is None:
        return None, None
    window, messages = read_window_cap(spec.cap, "cap", SCOPE_WINDOW[spec.scope])
    found += [("cap", message) for message in messages]
    if window is None:
        return None, None
    if spec.scope == "per_transaction" and window.per != "period":
        found.append(("cap", "a per-transaction component's cap is per period"))
    return window.cap, window.per


def _rate_tables(document: PlanDocument, spec: ComponentSpec, part: str, problems: list[PlanProblem]) -> tuple:
    """The component's tables with their validity: one `rate_table`, or effective-dated `rate_tables`."""
    if (spec.rate_table is None) == (spec.rate_tables is None):
        problems.append(PlanProblem(document.plan, part, "rate_table", "give one rate_table, dated rate_tables "
                                    "(tables with valid_from and valid_to) or a matrix"))
        return ()
    if spec.rate_table is not None:
        entries = [("rate_table", Span(None, date.min, None), spec.rate_table)]
    else:
        entries = [e for i, raw in enumerate(spec.rate_tables) if (e := _dated_entry(document, part, i, raw, problems))]
    tables = []
    for where, span, raw in entries:
        raw, flat_problem = flat_table(raw)
        if flat_problem:
            problems.append(PlanProblem(document.plan, part, where, flat_problem))
            continue
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


def flat_table(raw) -> tuple[object, str]:
    """`{method: flat, rate: 0.05}` is one rate on the whole amount: a marginal table with one tier from 0."""
    if not isinstance(raw, dict) or raw.get("method") != "flat":
        return raw, ""
    extra = sorted(set(raw) - {"method", "rate", "basis", "negative"})
    if extra or "rate" not in raw or raw.get("basis", "amount") != "amount":
        return raw, (f"a flat table is one rate on the amount, e.g. {{method: flat, rate: 0.05}}; "
                     f"{'remove ' + ', '.join(extra) if extra else 'give its rate (and basis: amount, if any)'}")
    tier = {"from": 0, "rate": raw["rate"]}
    return {"method": "marginal", "basis": "amount", "tiers": [tier],
            **({"negative": raw["negative"]} if "negative" in raw else {})}, ""


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
    for component in document.components:
        if component.name in RESERVED:
            problems.append(PlanProblem(document.plan, f"component {component.name!r}", "name",
                                        f"{component.name!r} names the line the plan's {RESERVED[component.name]} "
                                        "adds: give the component another name"))
    for kind, items in (("credit rule", document.credit_rules), ("measure", document.measures),
                        ("component", document.components)):
        seen = set()
        for item in items:
            if item.name in seen:
                problems.append(PlanProblem(document.plan, f"{kind} {item.name!r}", "name",
                                            f"two {kind}s are called {item.name!r}: give each its own name"))
            seen.add(item.name)
