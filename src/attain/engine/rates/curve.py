"""Interpolated payout curves: points (at, payout), linear between them.

`at` is in the table's basis (a fraction of quota, or an amount); `payout` is an amount (or, for a
target-incentive curve, a fraction of target). Past the last point the curve is either `flat` (the
last payout) or `extrapolate` (continues with the last segment's slope): the table must say which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.rates.errors import RateError
from attain.engine.rates.explain import PayoutLine
from attain.engine.rates.numbers import plain, read_number, show_amount, show_bound

BEYOND = ("flat", "extrapolate")


@dataclass(frozen=True)
class Point:
    at: Decimal  # in basis terms
    payout: Decimal


def parse_points(items: object) -> tuple[list[Point], list[RateError]]:
    if not isinstance(items, Sequence) or isinstance(items, str):
        return [], [RateError("no_points", "an interpolated table needs 'points': a list of {at, payout} from at 0 upwards")]
    points, errors = [], []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != {"at", "payout"}:
            errors.append(RateError("bad_point", f"point {i + 1} is {item!r}; write it as {{at: <value>, payout: <amount>}}", i))
            continue
        at, p1 = read_number(item["at"], f"point {i + 1} 'at'")
        payout, p2 = read_number(item["payout"], f"point {i + 1} 'payout'")
        errors += [RateError("not_a_number", p, i) for p in (p1, p2) if p]
        if at is not None and payout is not None:
            points.append(Point(at, payout))
    return points, errors


def check_points(points: Sequence[Point]) -> list[RateError]:
    """At least two points, the first at 0, `at` strictly increasing."""
    if len(points) < 2:
        return [RateError("too_few_points", f"an interpolated table needs at least 2 points, got {len(points)}")]
    errors = []
    if points[0].at != 0:
        errors.append(RateError("bad_start", f"point 1 is at {plain(points[0].at)}; the first point must be at 0", 0))
    for i in range(1, len(points)):
        if points[i].at <= points[i - 1].at:
            errors.append(RateError("unsorted_points", f"point {i + 1} (at {plain(points[i].at)}) is not after point {i} (at {plain(points[i - 1].at)}); list points with strictly increasing 'at'", i))
    return errors


def curve_value(points: Sequence[Point], factor: Decimal, beyond: str, x: Decimal) -> tuple[int, Decimal]:
    """(segment index, payout) at amount x ≥ 0; the segment starting exactly at x is used (half-open)."""
    k = max(i for i, p in enumerate(points) if p.at * factor <= x)
    if k == len(points) - 1 and beyond == "flat":
        return k, points[k].payout
    k = min(k, len(points) - 2)
    p0, p1 = points[k], points[k + 1]
    return k, p0.payout + (x - p0.at * factor) * (p1.payout - p0.payout) / ((p1.at - p0.at) * factor)


def curve_line(points: Sequence[Point], factor: Decimal, beyond: str, basis: str, base: Decimal) -> PayoutLine:
    """The one line of an interpolated payout at a base ≥ 0 (in amount terms)."""
    k, value = curve_value(points, factor, beyond, base)
    here = show_bound(base / factor, basis)
    suffix = " of quota" if basis == "attainment" else ""
    if k == len(points) - 1:  # flat beyond the last point
        p0 = points[k]
        text = f"{show_amount(value)} (curve at {here}{suffix}, flat from the last point {show_bound(p0.at, basis)})"
        return PayoutLine(k, p0.at, None, p0.at * factor, None, base, None, None, value, text)
    p0, p1 = points[k], points[k + 1]
    x0, x1 = show_bound(p0.at, basis), show_bound(p1.at, basis)
    where = f"extrapolated past {x1}" if base >= p1.at * factor else f"between {x0} and {x1}"
    text = f"{show_amount(p0.payout)} + ({here} − {x0}) / ({x1} − {x0}) × {show_amount(p1.payout - p0.payout)} (curve {where}{suffix})"
    return PayoutLine(k, p0.at, p1.at, p0.at * factor, p1.at * factor, base, None, None, value, text)
