"""From plan text to a validated `Plan`: schema, names between parts, expressions and rate tables."""

from __future__ import annotations

import json
from decimal import Decimal

import yaml
from pydantic import ValidationError

from attain.engine import exact_yaml
from attain.engine.crediting import CreditRule
from attain.engine.crediting.rules import TYPES_OF_KIND, article
from attain.engine.expressions import ExpressionError, parse_condition
from attain.engine.measures import Measure
from attain.engine.plans.components import build_component
from attain.engine.plans.document import CreditRuleSpec, MeasureSpec, PlanDocument
from attain.engine.plans.model import CREDIT_FIELDS, Component, Plan, PlanProblem
from attain.engine.plans.terms import read_eligibility, read_guarantee, read_hold, read_window_cap

__all__ = ["CREDIT_FIELDS", "Component", "Plan", "PlanProblem", "load_plan"]

# which kinds of credit rule take an option, for the problems of a misplaced one
OPTION_KINDS = {
    "share": (("territory", "team"), "share splits the credit of a territory or team rule"),
    "to": (("pipeline",), "to chooses which position of an opportunity a pipeline rule credits"),
    "stage": (("pipeline",), "stage chooses the stage whose first entry a pipeline rule credits"),
}
RESERVED = {"Plan cap": "cap", "Guarantee": "guarantee"}  # earning lines the plan's terms add


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
    components = [build_component(document, spec, problems) for spec in document.components]
    terms = _plan_terms(document, problems)
    _check_unique(document, problems)
    if problems:
        return None, problems
    return Plan(document.plan, document.name, document.currency, document.timing, tuple(rules),
                tuple(measures), tuple(components), text, **terms, fx_rate=document.fx_rate,
                prorate_target=document.prorate_target), []


def _plan_terms(document: PlanDocument, problems: list[PlanProblem]) -> dict:
    """The plan-level cap, guarantee and eligibility, each when the document gives it."""
    readers = {"cap": lambda raw: read_window_cap(raw, "cap"), "guarantee": read_guarantee,
               "eligibility": read_eligibility, "hold": read_hold}
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
