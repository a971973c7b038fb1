"""Building blocks around rate tables: gates, caps, kickers, fixed amounts per unit or deal, MBO.

Each is a small frozen class (or function) whose result is a `Step`: the amount before and after,
the amount a cap removed (`excess`), and a plain-language text. Amounts stay precise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.money import MoneyError
from attain.engine.rates.bands import Band, check_bands, find_band, parse_bands
from attain.engine.rates.errors import RateError, require_valid
from attain.engine.rates.explain import Step
from attain.engine.rates.numbers import plain, read_number, show_amount, show_percent, to_number
from attain.engine.rates.table import RateTable
from attain.engine.rates.tiers import tier_label

GATE_KINDS = ("from_first_dollar", "above_threshold_only")
CAP_KINDS = ("amount", "percent_of_target")
PER = ("unit", "deal")


def _number(d: Mapping, key: str, what: str) -> tuple[Decimal | None, list[RateError]]:
    if d.get(key) is None:
        return None, [RateError(f"missing_{key}", f"{what} has no {key!r}; give it as a number")]
    number, problem = read_number(d[key], f"{what} {key!r}")
    return number, [RateError("not_a_number", problem)] if problem else []


def _one_of(d: Mapping, key: str, options: tuple[str, ...], what: str) -> list[RateError]:
    if d.get(key) in options:
        return []
    return [RateError(f"bad_{key}", f"{what} {key} is {d.get(key)!r}; name one of {', '.join(options)}")]


@dataclass(frozen=True)
class Gate:
    """Nothing is earned below `threshold` (in the table's basis: a fraction of quota or an amount).

    `from_first_dollar`: once the base reaches the threshold, the table pays on the whole base.
    `above_threshold_only`: only the part of the base above the threshold earns (tiers keep their place).
    """

    threshold: Decimal
    kind: str

    def __post_init__(self) -> None:
        require_valid(self, _one_of({"kind": self.kind}, "kind", GATE_KINDS, "gate"))

    @classmethod
    def load(cls, d: Mapping) -> Gate:
        threshold, errors = _number(d, "threshold", "gate")
        require_valid(None, errors + _one_of(d, "kind", GATE_KINDS, "gate"))
        return cls(threshold, d["kind"])

    def apply(self, table: RateTable, measure: object, quota: object = None) -> Step | RateError:
        factor = table.factor(quota)
        if isinstance(factor, RateError):
            return factor
        base, limit = to_number(measure), self.threshold * factor
        shown = f"{show_amount(limit)} ({show_percent(self.threshold)} of quota)" if table.basis == "attainment" else show_amount(limit)
        if base < limit:
            return Step("gate", Decimal(0), Decimal(0), f"{show_amount(base)} is below the threshold {shown}: nothing earned")
        floor = limit if self.kind == "above_threshold_only" else None
        payout = table.apply(base, quota, floor=floor)
        if isinstance(payout, RateError):
            return payout
        how = "only the part above it earns" if floor is not None else "paid from the first dollar"
        text = f"threshold {shown} reached, {how}: {payout.describe()}"
        return Step("gate", payout.amount, payout.amount, text, detail=payout)


@dataclass(frozen=True)
class Cap:
    """An upper limit on earnings: an absolute `amount`, or a `percent_of_target` (2 = 200%).

    What the cap removes is reported as `excess` so a later step can carry it forward. Negative
    amounts are not capped.
    """

    kind: str
    value: Decimal

    def __post_init__(self) -> None:
        require_valid(self, _one_of({"kind": self.kind}, "kind", CAP_KINDS, "cap"))

    @classmethod
    def load(cls, d: Mapping) -> Cap:
        kinds = [k for k in CAP_KINDS if k in d]
        if len(kinds) != 1:
            return require_valid(None, [RateError("cap_form", f"a cap needs exactly one of {', '.join(CAP_KINDS)}, got {sorted(map(str, d))}")])
        value, errors = _number(d, kinds[0], "cap")
        require_valid(None, errors)
        return cls(kinds[0], value)

    def limit(self, target: object = None) -> Decimal | RateError:
        if self.kind == "amount":
            return self.value
        if target is None:
            return RateError("missing_target", "this cap is a percentage of target incentive; give the target incentive")
        return self.value * to_number(target)

    def apply(self, amount: Decimal, target: object = None) -> Step | RateError:
        limit = self.limit(target)
        if isinstance(limit, RateError):
            return limit
        of = f" ({show_percent(self.value)} of target {show_amount(to_number(target))})" if self.kind == "percent_of_target" else ""
        if amount <= limit:
            return Step("cap", amount, amount, f"{show_amount(amount)} is within the cap {show_amount(limit)}{of}")
        excess = amount - limit
        return Step("cap", amount, limit, f"{show_amount(amount)} capped at {show_amount(limit)}{of}; {show_amount(excess)} above the cap", excess)


@dataclass(frozen=True)
class Kicker:
    """A multiplier looked up from a second measure (e.g. ×1.1 when new logos ≥ 3), half-open bands."""

    measure: str
    bands: tuple[Band, ...]

    @classmethod
    def from_dict(cls, d: Mapping) -> tuple[Kicker | None, list[RateError]]:
        bands, errors = parse_bands(d.get("bands"), "band", ("multiplier",), one_of=False)
        errors = ([] if d.get("measure") else [RateError("missing_measure", "a kicker needs 'measure': the name of the second measure")]) + (errors or check_bands(bands, "band"))
        return (None, errors) if errors else (cls(d["measure"], tuple(bands)), [])

    @classmethod
    def load(cls, d: Mapping) -> Kicker:
        return require_valid(*cls.from_dict(d))

    def apply(self, earnings: Decimal, value: object) -> Step | RateError:
        x = to_number(value)
        i = find_band(self.bands, x)
        if i is None:
            return RateError("below_bands", f"{self.measure} is {plain(x)}, below the first band (from {plain(self.bands[0].lower)}); start the bands lower")
        band = self.bands[i]
        multiplier = band.values["multiplier"]
        text = f"{show_amount(earnings)} × {plain(multiplier)} ({self.measure} {plain(x)}, band {tier_label(band, 'count', False)})"
        return Step("kicker", earnings, earnings * multiplier, f"{text} = {show_amount(earnings * multiplier)}")


@dataclass(frozen=True)
class FixedAmount:
    """A fixed amount per unit sold or per deal; negative counts (returns, cancellations) reverse it."""

    amount: Decimal
    per: str

    def __post_init__(self) -> None:
        require_valid(self, _one_of({"per": self.per}, "per", PER, "fixed amount"))

    @classmethod
    def load(cls, d: Mapping) -> FixedAmount:
        amount, errors = _number(d, "amount", "fixed amount")
        require_valid(None, errors + _one_of(d, "per", PER, "fixed amount"))
        return cls(amount, d["per"])

    def apply(self, count: object) -> Step:
        n = to_number(count)
        total = n * self.amount
        return Step(f"per_{self.per}", Decimal(0), total, f"{plain(n)} {self.per}s × {show_amount(self.amount)} = {show_amount(total)}")


@dataclass(frozen=True)
class Objective:
    name: str
    weight: Decimal  # the objective's share of the target; weights add up to 1
    score: Decimal  # 0 to 1, as scored by the manager


def mbo_payout(objectives: Sequence[Objective], target: object) -> Step | list[RateError]:
    """Σ weight × score × target; errors (weights not adding to 1, scores outside 0–1) as values."""
    errors = _mbo_errors(objectives)
    if errors:
        return errors
    t = to_number(target)
    parts = [f"{o.name} {show_percent(o.weight)} × {show_percent(o.score)}" for o in objectives]
    achieved = sum((o.weight * o.score for o in objectives), Decimal(0))
    text = f"({' + '.join(parts)}) = {show_percent(achieved)} of target {show_amount(t)} = {show_amount(achieved * t)}"
    return Step("mbo", Decimal(0), achieved * t, text)


def _mbo_errors(objectives: Sequence[Objective]) -> list[RateError]:
    errors = []
    for i, o in enumerate(objectives):
        try:
            weight, score = to_number(o.weight), to_number(o.score)
        except MoneyError as e:
            errors.append(RateError("not_a_number", f"objective {i + 1} ({o.name}): {e}", i))
            continue
        if not 0 <= score <= 1:
            errors.append(RateError("score_out_of_range", f"objective {i + 1} ({o.name}) is scored {plain(score)}; scores run from 0 to 1", i))
        if weight <= 0:
            errors.append(RateError("weight_not_positive", f"objective {i + 1} ({o.name}) has weight {plain(weight)}; weights must be above 0", i))
    total = sum((o.weight for o in objectives), Decimal(0)) if not errors else Decimal(1)
    if total != 1:
        errors.append(RateError("weights_not_one", f"objective weights add up to {plain(total)}; they must add up to 1 (100%)"))
    return errors
