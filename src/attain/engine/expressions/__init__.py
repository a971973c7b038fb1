"""The safe expression language of compensation plans.

Plan authors write conditions and formulas such as
`deal_type == "new" and product.family in ("Platform", "Data")` or `credit * rate * (1 + margin_pct)`.
`parse` reads the text with a small hand-written parser (see `syntax` for the grammar and why it is
not Python's parser), checks every name against the plan's fields and the function whitelist, and
checks types at save time. User text is never evaluated, executed or compiled as Python.

A parsed `Expression` can be evaluated on one row of Python values (`evaluate`) or compiled to Ibis
for whole tables (`to_ibis`); both give the same results. The reference for plan authors is
docs/plan-language-expressions.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis

from .check import Checker
from .errors import ExpressionError
from .evaluate import DIVISION_PLACES, evaluate
from .syntax import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, Node, parse_tree
from .to_ibis import to_ibis
from .types import FieldType

__all__ = ["DIVISION_PLACES", "FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "Expression", "ExpressionError",
           "FieldType", "parse", "parse_condition"]


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed, type-checked plan expression."""

    text: str
    tree: Node
    fields: frozenset[str]

    @property
    def type(self) -> FieldType:
        """The type of the result."""
        assert self.tree.type is not None
        return self.tree.type

    def evaluate(self, row: Mapping[str, object]) -> object:
        """The value for one row (field name → Decimal, str, date, bool or None)."""
        return evaluate(self.tree, row)

    def to_ibis(self, column: Callable[[str], ibis.Expr]) -> ibis.Expr:
        """The same expression over a table; `column(name)` returns the Ibis column of a field."""
        return to_ibis(self.tree, column)

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, type={self.type.value})"


def parse(text: str, fields: Mapping[str, FieldType]) -> Expression:
    """Parse and type-check a formula against the available fields. Raises ExpressionError."""
    tree = parse_tree(text, set(fields))
    Checker(text, fields).check(tree)
    return Expression(text, tree, frozenset(_field_names(tree)))


def parse_condition(text: str, fields: Mapping[str, FieldType]) -> Expression:
    """Parse a condition: like `parse`, but the result must be true/false; unknown counts as false."""
    expression = parse(text, fields)
    if expression.type is not FieldType.BOOL:
        raise ExpressionError(
            f"A condition must be true or false, but this gives a {expression.type.label}", 0, text,
            "compare it, e.g. amount > 0 or deal_type == \"new\"",
        )
    tree = Node("truth", 0, (expression.tree,), type=FieldType.BOOL)
    return Expression(text, tree, expression.fields)


def _field_names(node: Node) -> set[str]:
    names = {str(node.value)} if node.kind == "field" else set()
    for arg in node.args:
        names |= _field_names(arg)
    return names
