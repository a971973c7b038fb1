"""Type checking at plan save time: every node gets a FieldType, or an ExpressionError says why not."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ExpressionError
from .syntax import COMPARISONS, Node
from .types import BOOL, DATE, NUMBER, TEXT, FieldType

LITERAL_TYPES = {"number": NUMBER, "text": TEXT, "bool": BOOL, "date": DATE}
ARITY = {"abs": (1, 1), "round": (1, 2), "if": (3, 3), "year": (1, 1), "month": (1, 1),
         "days_between": (2, 2), "min": (2, 99), "max": (2, 99), "coalesce": (2, 99)}
SIGNATURES = {"abs": "abs(x)", "round": "round(x, places)", "if": "if(condition, a, b)", "year": "year(d)",
              "month": "month(d)", "days_between": "days_between(start, end)", "min": "min(a, b, …)",
              "max": "max(a, b, …)", "coalesce": "coalesce(a, b, …)"}
MAX_ROUND_PLACES = 10


class Checker:
    """Assigns a type to every node of one expression's tree."""

    def __init__(self, text: str, fields: Mapping[str, FieldType]) -> None:
        self.text = text
        self.fields = fields

    def error(self, node: Node, message: str, hint: str) -> ExpressionError:
        return ExpressionError(message, node.position, self.text, hint)

    def check(self, node: Node) -> FieldType:
        node.type = self.infer(node)
        return node.type

    def infer(self, node: Node) -> FieldType:
        if node.kind in LITERAL_TYPES:
            return LITERAL_TYPES[node.kind]
        if node.kind == "field":
            return self.fields[str(node.value)]
        if node.kind in ("neg", "+", "-", "*", "/"):
            return self.arithmetic(node)
        if node.kind in ("and", "or", "not"):
            return self.logic(node)
        if node.kind in COMPARISONS:
            return self.comparison(node)
        if node.kind in ("in", "not in"):
            return self.membership(node)
        return self.function(node)

    def arithmetic(self, node: Node) -> FieldType:
        symbol = "-" if node.kind == "neg" else node.kind
        for arg in node.args:
            if self.check(arg) is not NUMBER:
                raise self.error(node, f"'{symbol}' needs numbers, not {arg.type.label}",
                                 "arithmetic works on numbers only; for dates use days_between(start, end)")
        return NUMBER

    def logic(self, node: Node) -> FieldType:
        for arg in node.args:
            if self.check(arg) is not BOOL:
                raise self.error(node, f"'{node.kind}' needs conditions (true/false), not {arg.type.label}",
                                 "compare the value first, e.g. amount > 0")
        return BOOL

    def comparison(self, node: Node) -> FieldType:
        left, right = (self.check(arg) for arg in node.args)
        if left is not right:
            raise self.error(node, f"Cannot compare {left.label} with {right.label} using '{node.kind}'",
                             "compare number with number, text with text, date with date, true/false with true/false")
        if node.kind not in ("==", "!=") and left in (TEXT, BOOL):
            raise self.error(node, f"'{node.kind}' cannot order {left.label}",
                             "text and true/false can only be compared with == and !=")
        return BOOL

    def membership(self, node: Node) -> FieldType:
        wanted = self.check(node.args[0])
        for item in node.args[1:]:
            if self.check(item) is not wanted:
                raise self.error(item, f"The list holds {item.type.label} but the value is {wanted.label}",
                                 f"list only {wanted.label} values")
        return BOOL

    def function(self, node: Node) -> FieldType:
        low, high = ARITY[node.kind]
        if not low <= len(node.args) <= high:
            count = f"{low}" if low == high else f"{low} to {high}" if high < 99 else f"at least {low}"
            raise self.error(node, f"{node.kind}() takes {count} arguments, not {len(node.args)}",
                             f"write {SIGNATURES[node.kind]}")
        types = [self.check(arg) for arg in node.args]
        return getattr(self, f"function_{node.kind}")(node, types)

    def require(self, node: Node, index: int, wanted: FieldType, what: str) -> None:
        arg = node.args[index]
        if arg.type is not wanted:
            raise self.error(arg, f"{what} of {node.kind}() must be {wanted.label}, not {arg.type.label}",
                             f"write {SIGNATURES[node.kind]}")

    def same_types(self, node: Node, types: list[FieldType], allowed: tuple[FieldType, ...]) -> FieldType:
        for arg in node.args:
            if arg.type is not types[0]:
                raise self.error(arg, f"All arguments of {node.kind}() must have one type: "
                                 f"{types[0].label} and {arg.type.label} are mixed", f"write {SIGNATURES[node.kind]}")
        if types[0] not in allowed:
            raise self.error(node.args[0], f"{node.kind}() cannot take {types[0].label}",
                             f"it takes {' or '.join(t.label for t in allowed)}")
        return types[0]

    def function_min(self, node: Node, types: list[FieldType]) -> FieldType:
        return self.same_types(node, types, (NUMBER, DATE))

    function_max = function_min

    def function_coalesce(self, node: Node, types: list[FieldType]) -> FieldType:
        return self.same_types(node, types, (NUMBER, TEXT, DATE, BOOL))

    def function_abs(self, node: Node, types: list[FieldType]) -> FieldType:
        self.require(node, 0, NUMBER, "The argument")
        return NUMBER

    def function_round(self, node: Node, types: list[FieldType]) -> FieldType:
        self.require(node, 0, NUMBER, "The first argument")
        if len(node.args) == 2:
            places = node.args[1]
            value = places.value
            if places.kind != "number" or value != int(value) or not 0 <= value <= MAX_ROUND_PLACES:
                raise self.error(places, "The number of places in round() must be a whole number from 0 to "
                                 f"{MAX_ROUND_PLACES}", "write e.g. round(x, 2)")
        return NUMBER

    def function_if(self, node: Node, types: list[FieldType]) -> FieldType:
        self.require(node, 0, BOOL, "The first argument")
        if types[1] is not types[2]:
            raise self.error(node.args[2], f"Both results of if() must have one type: {types[1].label} and "
                             f"{types[2].label} are mixed", "write if(condition, a, b) with a and b of one type")
        return types[1]

    def function_year(self, node: Node, types: list[FieldType]) -> FieldType:
        self.require(node, 0, DATE, "The argument")
        return NUMBER

    function_month = function_year

    def function_days_between(self, node: Node, types: list[FieldType]) -> FieldType:
        self.require(node, 0, DATE, "The first argument")
        self.require(node, 1, DATE, "The second argument")
        return NUMBER
