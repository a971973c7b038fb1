"""Rate tables: a named tier method on a named basis, built from a plan document and applied exactly.

    table, errors = RateTable.from_dict({"method": "marginal", "basis": "attainment",
                                         "tiers": [{"from": 0, "to": 0.5, "rate": 0.02}, ...]})
    payout = table.apply(260000, quota=200000)   # a Payout, or a RateError for bad inputs
    payout.amount, payout.describe()

Methods: `marginal`, `whole_amount` (tiers) and `interpolated` (points). Nothing is defaulted
except `negative` (how a base below 0 is rated in a table starting at 0): `mirror` (default: the
payout of −x is minus the payout of x, so a reversal cancels its transaction exactly) or `reject`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from attain.engine.money import MoneyError
from attain.engine.rates.bands import check_bands, parse_bands
from attain.engine.rates.curve import BEYOND, Point, check_points, curve_line, parse_points
from attain.engine.rates.errors import PlanError, RateError, require_valid
from attain.engine.rates.explain import Payout, PayoutLine
from attain.engine.rates.numbers import plain, show_amount, to_number
from attain.engine.rates.tiers import Tier, marginal_lines, whole_amount_lines

METHODS = ("marginal", "whole_amount", "interpolated")
BASES = ("amount", "attainment")
NEGATIVE = ("mirror", "reject")
FIELDS = {"method", "basis", "tiers", "points", "beyond", "negative"}


def _choice(d: Mapping, key: str, options: tuple[str, ...], what: str) -> list[RateError]:
    value = d.get(key)
    if value is None:
        return [RateError(f"missing_{key}", f"rate table has no {key!r}; name one of {', '.join(options)} ({what})")]
    if value not in options:
        return [RateError(f"unknown_{key}", f"unknown {key} {value!r}; use one of {', '.join(options)}")]
    return []


@dataclass(frozen=True)
class RateTable:
    method: str
    basis: str
    tiers: tuple[Tier, ...] = ()
    points: tuple[Point, ...] = ()
    beyond: str | None = None  # interpolated only: flat | extrapolate
    negative: str = "mirror"

    @classmethod
    def from_dict(cls, d: Mapping) -> tuple[RateTable | None, list[RateError]]:
        """Parse and validate a plan document's table; (table, []) or (None, every error found)."""
        if not isinstance(d, Mapping):
            return None, [RateError("bad_table", f"a rate table is a mapping with method, basis and tiers or points, not {d!r}")]
        errors = [RateError("unknown_field", f"rate table has unknown field {k!r}; use {', '.join(sorted(FIELDS))}")
                  for k in sorted(map(str, d)) if k not in FIELDS]
        errors += _choice(d, "method", METHODS, "there is no default tier method")
        errors += _choice(d, "basis", BASES, "tiers on the measure amount or on attainment = measure / quota")
        if "negative" in d:
            errors += _choice(d, "negative", NEGATIVE, "how a base below 0 is rated")
        tiers, points = [], []
        if d.get("method") == "interpolated":
            errors += _choice(d, "beyond", BEYOND, "what happens past the last point")
            errors += [RateError("tiers_on_curve", "an interpolated table takes 'points', not 'tiers'")] if "tiers" in d else []
            points, found = parse_points(d.get("points"))
            errors += found or check_points(points)
        elif d.get("method") in METHODS or "tiers" in d:
            errors += [RateError("points_on_tiers", f"a {d.get('method')} table takes 'tiers', not 'points'")] if "points" in d else []
            errors += [RateError("beyond_on_tiers", "'beyond' is for interpolated tables; the last tier is open-ended")] if "beyond" in d else []
            tiers, found = parse_bands(d.get("tiers"), "tier", ("rate", "amount"), one_of=True)
            errors += found or check_bands(tiers, "tier")
        if errors:
            return None, errors
        return cls(d["method"], d["basis"], tuple(tiers), tuple(points), d.get("beyond"), d.get("negative", "mirror")), []

    @classmethod
    def load(cls, d: Mapping) -> RateTable:
        """Like from_dict, but raises PlanError carrying every error."""
        table, errors = cls.from_dict(d)
        return require_valid(table, errors)

    def validate(self) -> list[RateError]:
        """Save-time checks for a table built in code (from_dict runs the same checks)."""
        errors = [] if self.method in METHODS else [RateError("unknown_method", f"unknown method {self.method!r}; use one of {', '.join(METHODS)}")]
        errors += [] if self.basis in BASES else [RateError("unknown_basis", f"unknown basis {self.basis!r}; use one of {', '.join(BASES)}")]
        errors += [] if self.negative in NEGATIVE else [RateError("unknown_negative", f"unknown negative {self.negative!r}; use one of {', '.join(NEGATIVE)}")]
        if self.method == "interpolated":
            errors += [] if self.beyond in BEYOND else [RateError("missing_beyond", f"an interpolated table needs 'beyond': one of {', '.join(BEYOND)}")]
            return errors + check_points(self.points)
        return errors + check_bands(self.tiers, "tier")

    def factor(self, quota: object = None) -> Decimal | RateError:
        """What turns bounds into amounts: the quota for attainment tables (must be > 0), else 1."""
        if self.basis == "amount":
            return Decimal(1)
        if quota is None:
            return RateError("missing_quota", "this table's tiers are on attainment; give the participant's quota for the period")
        try:
            value = to_number(quota)
        except MoneyError as e:
            return RateError("bad_quota", f"quota {quota!r} is not a number: {e}")
        if value <= 0:
            return RateError("quota_not_positive", f"quota is {plain(value)}; attainment needs a quota above 0 (set the quota, or use an amount-basis table)")
        return value

    def starts_at_zero(self) -> bool:
        return self.method == "interpolated" or self.tiers[0].lower is not None

    def apply(self, measure: object, quota: object = None, *, floor: Decimal | None = None) -> Payout | RateError:
        """The payout for a measure (an amount; attainment is measure / quota).

        `floor` (an amount) excludes the part of the base below it (used by `Gate` kind
        `above_threshold_only`). Returns a RateError value for a missing or non-positive quota
        or a rejected negative base, never raises for them.
        """
        try:
            base = to_number(measure)
        except MoneyError as e:
            return RateError("bad_measure", f"measure {measure!r} is not a number: {e}")
        factor = self.factor(quota)
        if isinstance(factor, RateError):
            return factor
        if base < 0 and self.starts_at_zero():
            if self.negative == "reject":
                return RateError("negative_base", f"the base is {show_amount(base)}, below the table's start at 0, and the table rejects negative bases (negative: reject)")
            return _mirrored(self._payout(-base, factor, floor), base)
        return self._payout(base, factor, floor)

    def _payout(self, base: Decimal, factor: Decimal, floor: Decimal | None) -> Payout:
        lines = self._lines(base, factor, floor)
        quota = factor if self.basis == "attainment" else None
        return Payout(sum((line.amount for line in lines), Decimal(0)), base, self.method, self.basis, quota, tuple(lines))

    def _lines(self, base: Decimal, factor: Decimal, floor: Decimal | None) -> list[PayoutLine]:
        if self.method == "marginal":
            return marginal_lines(self.tiers, factor, self.basis, base, floor)
        if self.method == "whole_amount":
            return whole_amount_lines(self.tiers, factor, self.basis, base, floor)
        if self.method == "interpolated":
            return _curve_lines(self, base, factor, floor)
        raise PlanError(self.validate())  # a table built in code without validation


def _curve_lines(table: RateTable, base: Decimal, factor: Decimal, floor: Decimal | None) -> list[PayoutLine]:
    line = curve_line(table.points, factor, table.beyond, table.basis, base)
    if floor is None or floor <= 0:
        return [line]
    below = curve_line(table.points, factor, table.beyond, table.basis, floor)
    return [line, replace(below, portion=-floor, amount=-below.amount,
                         described=lambda: f"−[{below.text}, below the threshold]")]


def _mirrored(payout: Payout, base: Decimal) -> Payout:
    lines = tuple(replace(line, portion=-line.portion, amount=-line.amount, described=_negated(line)) for line in payout.lines)
    note = f"negative base {show_amount(base)} rated as the reversal of {show_amount(-base)}"
    return replace(payout, amount=-payout.amount, base=base, lines=lines, note=note)


def _negated(line: PayoutLine):
    return lambda: f"−[{line.text}]"
