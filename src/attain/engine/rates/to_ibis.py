"""A component's payout as an Ibis expression: the same amount `RateTable.apply` (through the gate,
× target, then the cap) gives in Decimal, computed in exact SQL decimals for many rows at once.

Covered: `marginal` and `whole_amount` tier tables on amount or attainment, negative bases mirrored
or rejected, gates of both kinds, caps of both kinds, payouts as amounts or percentages of target.
Not covered (`unsupported` says why; the caller keeps the Decimal path): interpolated curves (they
divide, and Python's 28-digit division cannot be reproduced in SQL), effective-dated tables, kickers.

The numbers that depend on the quota and target (tier bounds and gate threshold in amount terms, the
cap) are computed once per quota in Decimal by `parameters`, exactly as the Decimal path computes
them, and read by the expression as columns; per row SQL only splits the base over the tiers.
The expression is NULL wherever Decimal might give something else or an error: a missing or
non-positive quota, a missing target, a rejected negative base, and a base too large for Python's
28 significant digits to hold every intermediate result exactly (`parameters` gives the bound,
`exact_below`). NULL means "compute this one in Python": nothing is ever guessed. Explanations are
not built here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal, Inexact, localcontext
from functools import lru_cache

import ibis

from attain.engine.expressions.decimals import add, literal, multiply, unify
from attain.engine.rates.table import RateTable

ZERO = Decimal(0)
ONE = Decimal(1)
PYTHON_DIGITS = 28  # the default Decimal context: what the Decimal path computes with
BASE_EXPONENT = -12  # measure values are decimal(38,12): their Decimals carry 12 places


Param = Callable[[str], ibis.Expr]  # a parameter's column (or literal) by name


def unsupported(component) -> str | None:
    """Why a component's payout cannot be an Ibis expression here (None: it can)."""
    if len(component.tables) != 1 or component.dated:
        return "effective-dated rate tables"
    table = component.tables[0][1]
    if table.method not in ("marginal", "whole_amount"):
        return f"{table.method} tables"
    if not table.starts_at_zero():
        return "tables from −∞"
    if component.gate is not None and component.gate.threshold < 0:
        return "a negative gate threshold"
    if component.kicker is not None:
        return "kickers"
    if component.payout not in ("amount", "percent_of_target"):
        return f"payout {component.payout}"
    return None


def parameter_names(component) -> list[str]:
    """The names `parameters` gives values to, in order."""
    table: RateTable = component.tables[0][1]
    names = [f"{end}{i}" for i, t in enumerate(table.tiers) for end, bound in (("lo", t.lower), ("hi", t.upper))
             if bound is not None]
    names += [f"start{i}" for i in range(len(table.tiers))]
    names += [f"sum{i}" for i in range(len(table.tiers))] if table.method == "marginal" else []
    names += ["limit"] if component.gate is not None else []
    names += ["target"] if component.payout == "percent_of_target" else []
    names += ["cap"] if component.cap is not None else []
    return [*names, "exact_below"]


def parameters(component, quota: Decimal | None, target: Decimal | None) -> dict[str, Decimal] | None:
    """The per-quota numbers of the payout, as the Decimal path computes them; None: Python must compute.

    lo/hi: tier bounds in amount terms (bound × quota on attainment tables); start: where each tier's
    part of the base starts (its lower bound, or the gate's threshold when only the part above it
    earns); sum: what the tiers below a tier pay (marginal); limit: the gate's threshold in amount
    terms; cap: the cap in amount terms.
    """
    table: RateTable = component.tables[0][1]
    factor = quota if table.basis == "attainment" else ONE
    needs_target = component.payout == "percent_of_target" or (component.cap and component.cap.kind != "amount")
    if factor is None or factor <= 0 or (needs_target and target is None):
        return None
    values: dict[str, Decimal] = {}
    try:
        with localcontext(EXACT):  # the Decimal path's arithmetic, refusing any rounding
            for i, tier in enumerate(table.tiers):
                for end, bound in (("lo", tier.lower), ("hi", tier.upper)):
                    if bound is not None:
                        values[f"{end}{i}"] = bound * factor
            floor = ZERO
            if component.gate is not None:
                values["limit"] = component.gate.threshold * factor
                floor = values["limit"] if component.gate.kind == "above_threshold_only" else ZERO
            for i, _tier in enumerate(table.tiers):
                values[f"start{i}"] = max(values[f"lo{i}"], floor)
            total = ZERO  # marginal: what the tiers below each tier pay when the base is above them
            for i, tier in enumerate(table.tiers):
                values[f"sum{i}"] = total
                if tier.upper is not None:
                    width = max(values[f"hi{i}"] - values[f"start{i}"], ZERO)
                    rate = tier.values.get("rate")
                    total = total + (rate * width if rate is not None else tier.values["amount"] if width else ZERO)
            if component.payout == "percent_of_target":
                values["target"] = target
            if component.cap is not None:
                values["cap"] = component.cap.value * (target if component.cap.kind != "amount" else ONE)
    except Inexact:
        return None
    values["exact_below"] = exact_below(component, values)
    return values if values["exact_below"] > 0 else None


def exact_below(component, values: dict[str, Decimal]) -> Decimal:
    """A bound on |base| under which every step of the Decimal path is exact (0: none is).

    Every intermediate value is at most G = (2(|base| + B) × max(1, Σ|rate|) + Σ|fixed|) × max(1, |target|)
    in size (B: the largest bound, threshold or cap in amount terms) and has no fewer places than
    the inputs can combine to (exponent E); it is exact in 28 digits when G < 10^(28 + E).
    """
    table: RateTable = component.tables[0][1]
    rates = tuple(str(t.values["rate"]) for t in table.tiers if "rate" in t.values)
    fixed = tuple(str(t.values["amount"]) for t in table.tiers if "amount" in t.values)
    times = values.get("target", ONE)
    bounds = [v for k, v in values.items() if k != "target"]
    exponent = min([BASE_EXPONENT, *(_exponent(b) for b in bounds)])
    with localcontext(WIDE):
        bound = _room(rates, fixed, exponent, str(times)) - max([ZERO, *map(abs, bounds)])
        return max(ZERO, bound.to_integral_value(rounding="ROUND_FLOOR") - 1)


@lru_cache(maxsize=256)
def _room(rate_texts: tuple[str, ...], fixed_texts: tuple[str, ...], exponent: int, times_text: str) -> Decimal:
    """What `exact_below` leaves for |base| + B before the bounds: the same for every quota of a component
    whose bounds have the same places (so computed once; the values as text, places and all)."""
    rates, fixed, times = [Decimal(r) for r in rate_texts], [Decimal(f) for f in fixed_texts], Decimal(times_text)
    exponent = min([exponent + min([0, *(_exponent(r) for r in rates)]), *(_exponent(f) for f in fixed)])
    exponent += _exponent(times)
    with localcontext(WIDE):
        room = Decimal(10) ** (PYTHON_DIGITS + exponent) / max(ONE, abs(times)) - sum(map(abs, fixed), ZERO)
        return room / (2 * max(ONE, sum(map(abs, rates), ZERO)))


EXACT = Context(prec=PYTHON_DIGITS, traps=[Inexact])
WIDE = Context(prec=200)


def payout_expr(component, base: ibis.Expr, param: Param) -> ibis.Expr:
    """What `calculate._payout` gives for `base` (a decimal column), or NULL where Python must decide.

    `param(name)` is the column (or literal) of a `parameters` value for the row's quota and target.
    """
    table: RateTable = component.tables[0][1]
    valid = base.abs() < param("exact_below")
    x = _if(valid, base.abs(), literal(ZERO)).cast(base.type())  # |base|; 0 where Python computes (no overflow)
    rate = _marginal if table.method == "marginal" else _whole_amount
    gate = component.gate
    if gate is None:
        earned = rate(table, x, param, None)
        earned = _if(base < 0, -earned, earned)  # a negative base: the mirror of its absolute value
        if table.negative == "reject":
            valid = valid & (base >= 0)
    else:  # from 0 up: a base below the threshold (so any negative base) earns nothing
        floor = param("limit") if gate.kind == "above_threshold_only" else None
        earned = _if(base < param("limit"), literal(ZERO), rate(table, x, param, floor))
    if component.payout == "percent_of_target":
        earned = multiply(earned, param("target"))
    if component.cap is not None:
        earned = _least(earned, param("cap"))
    return _if(valid, earned, ibis.null(earned.type()))


def _exponent(value: Decimal) -> int:
    return min(0, int(value.as_tuple().exponent))


def _if(condition: ibis.Expr, a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    a, b = unify(a, b)
    return ibis.ifelse(condition, a, b)


def _least(a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    return ibis.least(*unify(a, b))


def _greatest(a: ibis.Expr, b: ibis.Expr) -> ibis.Expr:
    return ibis.greatest(*unify(a, b))


def _marginal(table: RateTable, x: ibis.Expr, param: Param, floor: ibis.Expr | None) -> ibis.Expr:
    """`tiers.marginal_lines` summed, for x at or above the start: the tiers below x's tier pay in full
    (`sum`), x's tier pays its rate on the part of x above its start (or its fixed amount once reached)."""
    branches = []
    for i, tier in enumerate(table.tiers):
        if "rate" in tier.values:
            above = _greatest(add(x, param(f"start{i}"), subtract=True), literal(ZERO))
            part = multiply(literal(tier.values["rate"]), above)
        else:
            part = _if(param(f"lo{i}") <= x, literal(tier.values["amount"]), literal(ZERO))
        branches.append((None if tier.upper is None else x < param(f"hi{i}"), add(param(f"sum{i}"), part)))
    values = unify(*(value for _, value in branches))
    cases = [(below, value) for (below, _), value in zip(branches, values, strict=True) if below is not None]
    return ibis.cases(*cases, else_=values[-1]) if cases else values[-1]


def _whole_amount(table: RateTable, x: ibis.Expr, param: Param, floor: ibis.Expr | None) -> ibis.Expr:
    """`tiers.whole_amount_lines`: the rate of the tier holding x on the whole x (above `floor`)."""
    portion = x if floor is None else add(x, floor, subtract=True)
    cases = []
    for i, tier in enumerate(table.tiers):
        rate = tier.values.get("rate")
        amount = multiply(literal(rate), portion) if rate is not None else literal(tier.values["amount"])
        cases.append((_holds(tier, i, x, param), amount))
    values = unify(*(amount for _, amount in cases), literal(ZERO))
    return ibis.cases(*((holds, value) for (holds, _), value in zip(cases, values, strict=False)), else_=values[-1])


def _holds(tier, i: int, x: ibis.Expr, param: Param) -> ibis.Expr:
    """The tier's [lower, upper) in amount terms holds x, as `Band.contains`."""
    holds = ibis.literal(True)
    if tier.lower is not None:
        holds = holds & (param(f"lo{i}") <= x)
    if tier.upper is not None:
        holds = holds & (x < param(f"hi{i}"))
    return holds
