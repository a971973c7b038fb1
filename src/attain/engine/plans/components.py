"""A plan document's component → a validated `Component`: rate tables, matrix, formula, caps, MBO objectives."""

from __future__ import annotations

from datetime import date

from attain.engine.effective import Span, find_overlaps
from attain.engine.expressions import Expression, ExpressionError, FieldType, parse
from attain.engine.plans.document import ComponentSpec, MboComponentSpec, PlanDocument
from attain.engine.plans.model import CREDIT_FIELDS, FORMULA_FIELDS, Component, PlanProblem
from attain.engine.plans.terms import (
    SCOPE_WINDOW,
    read_clawback,
    read_dates,
    read_objectives,
    read_window_cap,
)
from attain.engine.rates import Cap, Gate, Kicker, MatrixTable, PlanError, RateTable


def build_component(document: PlanDocument, spec: ComponentSpec, problems: list[PlanProblem]) -> Component | None:
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
    cap, cap_per, carry = _component_cap(spec, found)
    clawback = _clawback(spec, found)
    kicker = _block(Kicker, spec.kicker, document, part, "kicker", problems)
    if kicker is not None and kicker.measure not in measures:
        found.append(("kicker", f"{kicker.measure!r} is not a measure of this plan; choose from {sorted(measures)}"))
    if kicker is not None and spec.scope == "per_transaction":
        found.append(("kicker", "kickers multiply a period's or a to-date earning, not single lines"))
    if not (tables or matrix or formula):
        return None
    return Component(spec.name, spec.type, spec.measure, spec.scope, spec.quota, tables, gate, cap, spec.payout,
                     kicker, spec.prorate_quota, cap_per=cap_per, matrix=matrix, formula=formula, cap_carry=carry,
                     clawback=clawback, prorate_target=document.prorate_target)


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
        fields = dict.fromkeys(sorted(FORMULA_FIELDS - {"payout"}), FieldType.NUMBER)
    if rated:
        fields["payout"] = FieldType.NUMBER
    clashes = sorted(m for m in measures if m in FORMULA_FIELDS) if scope != "per_transaction" else []
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


def _component_cap(spec: ComponentSpec, found: list) -> tuple[Cap | None, str | None, bool]:
    if spec.cap is None:
        return None, None, False
    window, messages = read_window_cap(spec.cap, "cap", SCOPE_WINDOW[spec.scope], carry=True)
    found += [("cap", message) for message in messages]
    if window is None:
        return None, None, False
    if spec.scope == "per_transaction" and window.per != "period":
        found.append(("cap", "a per-transaction component's cap is per period"))
    return window.cap, window.per, window.carry_forward


def _clawback(spec: ComponentSpec, found: list):
    """The clawback of a per-transaction component; elsewhere a credit note re-rates the period or to-date value."""
    if spec.clawback is None:
        return None
    if spec.scope != "per_transaction":
        found.append(("clawback", f"a clawback is a term of per-transaction components (scope: per_transaction); a "
                                  f"{spec.scope} component re-rates its value when a credit note lowers it, so it "
                                  "takes back what is due by itself: remove clawback"))
        return None
    policy, messages = read_clawback(spec.clawback)
    found += [("clawback", message) for message in messages]
    return policy


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
    table = {key: value for key, value in raw.items() if key not in ("valid_from", "valid_to")}
    found: list[str] = []
    start, end = read_dates(raw, "this table", found)
    if start is None and not found:
        found.append("give valid_from, the day this table starts to apply")
    problems.extend(PlanProblem(document.plan, part, where, message) for message in found)
    return None if found else (where, Span(None, start, end), table)


def _block(kind, spec: dict | None, document: PlanDocument, part: str, field: str, problems: list[PlanProblem]):
    """A gate or cap from its mapping; its errors become plan problems."""
    if spec is None:
        return None
    try:
        return kind.load(spec)
    except PlanError as invalid:
        problems.extend(PlanProblem(document.plan, part, field, error.message) for error in invalid.errors)
        return None
