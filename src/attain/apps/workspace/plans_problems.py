"""The plan editor's problems: each of the plan loader's problems with the line of the document it points at.

`load_plan` names the part (component, measure, credit rule) and the field of each problem; here the YAML is
composed into nodes (no objects built, nothing run) to find the line of that part and field, so the editor can
say "line 27" beside the loader's own words (what is wrong and how to fix it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from attain.engine.plans import PlanProblem, load_plan

PARTS = {"component": "components", "measure": "measures", "credit rule": "credit_rules"}
PART = re.compile(r"^(component|measure|credit rule) '(.*)'$|^(components|measures|credit_rules)\[(\d+)\]$")
TIER = re.compile(r"^(\w+) \(tier or point (\d+)\)$")
SYNTAX_LINE = re.compile(r"line (\d+), column \d+:")
HINTS = {  # the schema's own words for a few fields, with how to fix them
    "currency": "write the currency's three-letter code in capitals, e.g. USD",
    "name": "begin with a letter; use letters, digits, spaces, - and _",
}


@dataclass(frozen=True)
class EditorProblem:
    line: int | None  # 1-based line of the document, when found
    where: str  # the part and field, e.g. "component 'New business commission', rate_table"
    message: str  # what is wrong and how to fix it


def check(text: str, name: str) -> tuple[bool, list[EditorProblem]]:
    """(the document loads, its problems with their lines)."""
    if not text.strip():
        return False, [EditorProblem(1, "", "the document is empty: write the plan (plan, name, currency, timing, "
                                            "credit_rules, measures, components) or paste it")]
    plan, problems = load_plan(text, name)
    if plan is not None:
        return True, []
    root, syntax_line = _compose(text)
    return False, [_located(problem, root, syntax_line) for problem in problems]


def _compose(text: str) -> tuple[yaml.Node | None, int | None]:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), None
    except yaml.MarkedYAMLError as failure:
        mark = failure.problem_mark or failure.context_mark
        return None, (mark.line + 1) if mark else None
    except yaml.YAMLError:
        return None, None


def _located(problem: PlanProblem, root: yaml.Node | None, syntax_line: int | None) -> EditorProblem:
    where = ", ".join(x for x in (problem.part, problem.field) if x)
    message = problem.message
    hint = HINTS.get(problem.field)
    if hint and "should match pattern" in message:
        message = f"{message}: {hint}"
    if root is None:
        found = syntax_line
        if found is None and (match := SYNTAX_LINE.search(message)):
            found = int(match.group(1))
        return EditorProblem(found, where, message)
    return EditorProblem(line_of(root, problem.part, problem.field), where, message)


def line_of(root: yaml.Node, part: str, field: str) -> int | None:
    """The line of a part's field (as far down as it is found), or None when the document is no mapping."""
    if not isinstance(root, yaml.MappingNode):
        return None
    node = root
    match = PART.match(part) if part else None
    if match:
        node = _part(root, match) or root
    for step in _steps(field):
        inner = _child(node, step)
        if inner is None:
            break
        node = inner
    return node.start_mark.line + 1


def _steps(field: str) -> list[str | int]:
    steps: list[str | int] = []
    for piece in field.split(".") if field else []:
        tier = TIER.match(piece)
        if tier:
            steps += [tier.group(1), "tiers|points", int(tier.group(2)) - 1]
        else:
            steps.append(int(piece) if piece.isdigit() else piece)
    return steps


def _part(root: yaml.MappingNode, match: re.Match) -> yaml.Node | None:
    kind, label, listed, index = match.groups()
    items = _child(root, PARTS[kind] if kind else listed)
    if not isinstance(items, yaml.SequenceNode):
        return None
    if index is not None:
        return _child(items, int(index))
    for item in items.value:
        name = _child(item, "name")
        if isinstance(name, yaml.ScalarNode) and name.value == label:
            return item
    return None


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        keys = step.split("|")
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in keys:
                return value
    return None
