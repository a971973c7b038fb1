"""Evaluating a checked expression tree on one row of Python values.

Unknown values (None) propagate: arithmetic and functions of an unknown value are unknown, a
comparison or `in` with an unknown value is false, and `and`, `or`, `not` and `if()` treat an
unknown condition as false. Division by zero is unknown. + - * are exact; a quotient is rounded
half-up to DIVISION_PLACES decimal places.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from ..money import to_decimal
from .syntax import Node
from .types import BOOL, DATE, NUMBER, TEXT, FieldType

DIVISION_PLACES = 10
EXACT = Context(prec=200, rounding=ROUND_HALF_UP)
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge}
PYTHON_TYPES = {NUMBER: (Decimal, int), TEXT: (str,), DATE: (datetime.date,), BOOL: (bool,)}


def evaluate(node: Node, row: Mapping[str, object]) -> object:
    """The value of the expression for one row (field name → Decimal / str / date / bool / None)."""
    with localcontext(EXACT):
        return _value(node, row)


def _value(node: Node, row: Mapping[str, object]) -> object:
    kind = node.kind
    if kind in ("number", "text", "bool", "date"):
        return node.value
    if kind == "field":
        return read_field(row, str(node.value), node.type)
    if kind in LAZY:
        return LAZY[kind](node.args, row)
    values = [_value(arg, row) for arg in node.args]
    return LISTS[kind](values) if kind in LISTS else SPREAD[kind](*values)


def read_field(row: Mapping[str, object], name: str, wanted: FieldType | None) -> object:
    """A field's value from the row, checked against the field's declared type."""
    try:
        value = row[name]
    except KeyError:
        raise KeyError(f"the row has no value for field {name!r}") from None
    if value is None:
        return None
    if wanted is NUMBER and not isinstance(value, bool):
        return to_decimal(value)
    if wanted is DATE and isinstance(value, datetime.datetime):
        raise TypeError(f"field {name!r} holds a date and time {value!r}; pass a date")
    if wanted is not None and not isinstance(value, PYTHON_TYPES[wanted]):
        raise TypeError(f"field {name!r} is declared {wanted.label} but holds {value!r}")
    return value


def divide(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a / b rounded half-up to DIVISION_PLACES places; unknown when either is unknown or b is zero."""
    if a is None or b is None or b == 0:
        return None
    sign_a, digits_a, exp_a = a.as_tuple()
    sign_b, digits_b, exp_b = b.as_tuple()
    numerator, denominator = int("".join(map(str, digits_a))), int("".join(map(str, digits_b)))
    shift = int(exp_a) - int(exp_b) + DIVISION_PLACES
    if shift >= 0:
        numerator *= 10**shift
    else:
        denominator *= 10 ** (-shift)
    units = (2 * numerator + denominator) // (2 * denominator)
    return Decimal(-units if sign_a != sign_b else units).scaleb(-DIVISION_PLACES)


def _arithmetic(symbol: str):
    def apply(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else ARITHMETIC[symbol](a, b)
    return apply


def _compare(symbol: str):
    def apply(a: object, b: object) -> bool:
        return a is not None and b is not None and bool(COMPARE[symbol](a, b))
    return apply


def _if(args: tuple[Node, ...], row: Mapping[str, object]) -> object:
    return _value(args[1] if _value(args[0], row) is True else args[2], row)


def _and(args: tuple[Node, ...], row: Mapping[str, object]) -> bool:
    return _value(args[0], row) is True and _value(args[1], row) is True


def _or(args: tuple[Node, ...], row: Mapping[str, object]) -> bool:
    return _value(args[0], row) is True or _value(args[1], row) is True


def _unknown_or(function):
    def apply(*args: object) -> object:
        return None if any(arg is None for arg in args) else function(*args)
    return apply


def _round(x: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)


def _in(values: list[object]) -> bool:
    return values[0] is not None and values[0] in values[1:]


def _not_in(values: list[object]) -> bool:
    return values[0] is not None and values[0] not in values[1:]


def _coalesce(values: list[object]) -> object:
    return next((value for value in values if value is not None), None)


def _extreme(pick):
    def apply(values: list[object]) -> object:
        return None if any(value is None for value in values) else pick(values)
    return apply


LAZY = {"if": _if, "and": _and, "or": _or}
SPREAD = {
    "+": _arithmetic("+"), "-": _arithmetic("-"), "*": _arithmetic("*"), "/": divide,
    **{symbol: _compare(symbol) for symbol in COMPARE},
    "neg": _unknown_or(operator.neg), "not": lambda a: a is not True, "truth": lambda a: a is True,
    "abs": _unknown_or(abs), "round": _unknown_or(_round),
    "year": _unknown_or(lambda d: Decimal(d.year)), "month": _unknown_or(lambda d: Decimal(d.month)),
    "days_between": _unknown_or(lambda start, end: Decimal((end - start).days)),
}
LISTS = {"in": _in, "not in": _not_in, "coalesce": _coalesce, "min": _extreme(min), "max": _extreme(max)}
