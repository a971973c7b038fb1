"""Compiling a checked expression tree to an Ibis expression with the same meaning as `evaluate`.

Numbers stay exact decimals (see `decimals`). Unknown values are SQL NULLs and follow the rules of
`evaluate`: comparisons, `in`, `and`, `or`, `not` and `if()` read NULL as false, while arithmetic and
functions (including min and max, which in SQL would skip NULLs) give NULL.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis

from . import decimals
from .syntax import COMPARISONS, Node
from .types import BOOL, DATE, NUMBER, TEXT

Column = Callable[[str], ibis.Expr]
IBIS_TYPES = {NUMBER: "decimal", TEXT: "string", DATE: "date", BOOL: "boolean"}


def to_ibis(node: Node, column: Column) -> ibis.Expr:
    """The Ibis expression of a checked tree; `column(name)` gives the column of a field."""
    kind = node.kind
    if kind == "number":
        return decimals.literal(node.value)
    if kind in ("text", "bool", "date"):
        return ibis.literal(node.value, type=IBIS_TYPES[node.type])
    if kind == "field":
        value = column(str(node.value))
        return decimals.as_decimal(value, str(node.value)) if node.type is NUMBER else value
    if kind in LOGIC:
        return LOGIC[kind](*(_truth(to_ibis(arg, column)) for arg in node.args))
    args = [to_ibis(arg, column) for arg in node.args]
    if kind in REPEATING:
        return REPEATING[kind](*args, share=any(_has_repeating(arg) for arg in node.args))
    if kind in COMPARISONS or kind in ("in", "not in"):
        return _compare(kind, args, node.args[0].type is NUMBER)
    return FUNCTIONS[kind](*args)


def _has_repeating(node: Node) -> bool:
    """Whether the tree holds an operation whose SQL repeats its operands (see decimals.bind)."""
    return node.kind in REPEATING or any(_has_repeating(arg) for arg in node.args)


def _truth(value: ibis.Expr) -> ibis.Expr:
    return value.fill_null(False)


def _compare(kind: str, args: list[ibis.Expr], numbers: bool) -> ibis.Expr:
    if numbers:
        args = decimals.unify(*args)
    left, rest = args[0], args[1:]
    if kind == "in":
        return _truth(left.isin(rest))
    if kind == "not in":
        return _truth(left.notin(rest))
    return _truth(COMPARE[kind](left, rest[0]))


def _unify_numbers(*args: ibis.Expr) -> list[ibis.Expr]:
    return decimals.unify(*args) if args[0].type().is_decimal() else list(args)


def _unknown_if_any_unknown(pick: Callable[..., ibis.Expr]) -> Callable[..., ibis.Expr]:
    """SQL's least and greatest skip NULLs; ours are unknown when any argument is unknown."""
    def body(*args: ibis.Expr) -> ibis.Expr:
        any_unknown = ibis.or_(*(arg.isnull() for arg in args))
        return ibis.ifelse(any_unknown, ibis.null(args[0].type()), pick(*args))

    def apply(*args: ibis.Expr, share: bool = False) -> ibis.Expr:
        args = _unify_numbers(*args)
        return decimals.bind(args, body) if share else body(*args)
    return apply


_min = _unknown_if_any_unknown(ibis.least)
_max = _unknown_if_any_unknown(ibis.greatest)


def _if(condition: ibis.Expr, then: ibis.Expr, otherwise: ibis.Expr) -> ibis.Expr:
    then, otherwise = _unify_numbers(then, otherwise)
    return ibis.ifelse(_truth(condition), then, otherwise)


def _coalesce(*args: ibis.Expr) -> ibis.Expr:
    return ibis.coalesce(*_unify_numbers(*args))


def _round(value: ibis.Expr, places: ibis.Expr | None = None) -> ibis.Expr:
    digits = 0 if places is None else int(places.op().value)
    return value if digits >= value.type().scale else value.round(digits)


def _days_between(start: ibis.Expr, end: ibis.Expr) -> ibis.Expr:
    return end.delta(start, unit="day").cast(ibis.dtype("decimal(19, 0)"))


COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
LOGIC = {"and": lambda a, b: a & b, "or": lambda a, b: a | b, "not": lambda a: ~a, "truth": lambda a: a}
FUNCTIONS = {
    "+": decimals.add, "-": lambda a, b: decimals.add(a, b, subtract=True), "*": decimals.multiply,
    "neg": lambda a: -a, "abs": lambda a: a.abs(), "round": _round,
    "if": _if, "coalesce": _coalesce, "days_between": _days_between,
    "year": lambda d: d.year().cast(ibis.dtype("decimal(10, 0)")),
    "month": lambda d: d.month().cast(ibis.dtype("decimal(10, 0)")),
}
REPEATING = {"/": decimals.divide, "min": _min, "max": _max}
