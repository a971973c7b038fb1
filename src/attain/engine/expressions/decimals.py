"""Exact decimal arithmetic on Ibis expressions (DuckDB), with the result types stated explicitly.

Ibis infers the type of `a * b` on two decimals as the wider input type, while DuckDB computes
DECIMAL(p1 + p2, s1 + s2): the digits beyond Ibis's scale would be cut when results are fetched.
So every operation here widens its operands to 38 digits (keeping their scale) and casts its result
to the type DuckDB really produces: DECIMAL(38, max(s1, s2)) for + and -, DECIMAL(38, s1 + s2) for *.
DuckDB divides decimals in binary floating point; `divide` therefore estimates the quotient in floating
point and corrects it with exact decimal remainders, then rounds half-up to DIVISION_PLACES.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt

from .evaluate import DIVISION_PLACES

MAX_PRECISION = 38
QUOTIENT = dt.Decimal(MAX_PRECISION, DIVISION_PLACES)
UNIT = Decimal(1).scaleb(-DIVISION_PLACES)


def decimal_type(precision: int, scale: int) -> dt.Decimal:
    if scale > MAX_PRECISION:
        raise ValueError(f"a result would need {scale} decimal places; DuckDB holds at most {MAX_PRECISION}")
    return dt.Decimal(min(MAX_PRECISION, max(precision, scale, 1)), scale)


def literal(value: Decimal) -> ibis.Expr:
    """An exact decimal literal, typed by its own digits (1.5 is DECIMAL(2, 1))."""
    _, digits, exponent = value.as_tuple()
    scale = max(0, -int(exponent))
    return ibis.literal(value, type=decimal_type(len(digits) + max(int(exponent), 0), scale))


def as_decimal(value: ibis.Expr, name: str = "value") -> ibis.Expr:
    """Integers become decimals; binary floats are refused because they are not exact."""
    kind = value.type()
    if kind.is_decimal() and kind.precision is not None and kind.scale is not None:
        return value
    if kind.is_integer():
        return value.cast(dt.Decimal(19, 0) if kind.nbytes == 8 else dt.Decimal(10, 0))
    raise TypeError(f"column {name!r} is {kind}; number fields must be decimal (or integer) columns to stay exact")


def widen(*values: ibis.Expr) -> list[ibis.Expr]:
    """The same values with 38 digits of precision (their scale unchanged).

    Ibis then accepts them in one operation, and DuckDB computes in 128 bits: with two inputs of
    18 digits or fewer it would multiply in 64 bits and overflow long before 38 digits.
    """
    return [v if v.type().precision == MAX_PRECISION else v.cast(dt.Decimal(MAX_PRECISION, v.type().scale))
            for v in values]


def unify(*values: ibis.Expr) -> list[ibis.Expr]:
    """The same values in one type that holds all of them exactly (for min, max, if, coalesce, in)."""
    scale = max(v.type().scale for v in values)
    whole = max(v.type().precision - v.type().scale for v in values)
    common = decimal_type(whole + scale, scale)
    return [v if v.type() == common else v.cast(common) for v in values]


def add(a: ibis.Expr, b: ibis.Expr, subtract: bool = False) -> ibis.Expr:
    a, b = widen(a, b)
    result = decimal_type(MAX_PRECISION, max(a.type().scale, b.type().scale))
    return (a - b if subtract else a + b).cast(result)


def multiply(a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    a, b = widen(a, b)
    return (a * b).cast(decimal_type(MAX_PRECISION, a.type().scale + b.type().scale))


def bind(values: list[ibis.Expr], body: Callable[..., ibis.Expr]) -> ibis.Expr:
    """body(*values), with each value computed once however often the body refers to it.

    SQL has no variables: a formula that mentions its operand five times would copy the operand's
    whole SQL five times, and nested divisions would grow exponentially. A one-element list mapped
    through a lambda (DuckDB's list_transform) binds the values to a name instead.
    """
    names = [f"v{index}" for index in range(len(values))]
    packed = ibis.array([ibis.struct(dict(zip(names, values, strict=True)))])
    return packed.map(lambda row: body(*(row[name] for name in names)))[0]


def divide(a: ibis.Expr, b: ibis.Expr, share: bool = False) -> ibis.Expr:
    """a / b rounded half-up to DIVISION_PLACES places; null when either is null or b is zero.

    The formula repeats a and b; `share=True` computes them once (see `bind`), which keeps the SQL
    small when they are large, at about five times the running cost, so use it only then.
    """
    divisor = b.nullif(literal(Decimal(0)))
    return bind([a, divisor], _divide) if share else _divide(a, divisor)


def _divide(a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    estimate = _float_quotient(a, b)
    quotient = add(estimate, _float_quotient(_remainder(a, b, estimate), b)).cast(QUOTIENT)
    twice_remainder = multiply(_remainder(a, b, quotient), literal(Decimal(2)))
    twice = ibis.ifelse(b > 0, twice_remainder, -twice_remainder)
    unit = multiply(b.abs(), literal(UNIT))
    twice, unit = unify(twice, unit)
    positive = (a >= 0) == (b > 0)
    up = ibis.ifelse(positive, twice >= unit, twice > unit)
    down = ibis.ifelse(positive, twice < -unit, twice <= -unit)
    step = ibis.cases((up, literal(UNIT)), (down, literal(-UNIT)), else_=literal(Decimal(0)))
    return add(quotient, step.cast(dt.Decimal(DIVISION_PLACES + 1, DIVISION_PLACES))).cast(QUOTIENT)


def _float_quotient(a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    return (a.cast("float64") / b.cast("float64")).round(DIVISION_PLACES).cast(QUOTIENT)


def _remainder(a: ibis.Expr, b: ibis.Expr, quotient: ibis.Expr) -> ibis.Expr:
    return add(a, multiply(quotient, b), subtract=True)
