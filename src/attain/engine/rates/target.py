"""Payout as a percentage of target incentive (E8): a curve gives the payout fraction, a cap limits it.

    TargetPayout.load({"target_incentive": 50000, "cap_percent": 2,
                       "curve": {"method": "interpolated", "basis": "attainment", "beyond": "extrapolate",
                                 "points": [{"at": 0, "payout": 0}, {"at": 1, "payout": 1}, {"at": 2, "payout": 3}]}})

The curve's `payout` values are fractions of target (1 = 100% of target), not amounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.rates.blocks import Cap
from attain.engine.rates.errors import RateError, require_valid
from attain.engine.rates.explain import Step
from attain.engine.rates.numbers import read_number, show_amount, show_percent, to_number
from attain.engine.rates.table import RateTable

FIELDS = {"target_incentive", "curve", "cap_percent"}


@dataclass(frozen=True)
class TargetPayout:
    curve: RateTable  # attainment → payout as a fraction of target
    target_incentive: Decimal
    cap_percent: Decimal | None = None  # 2 = payout capped at 200% of target; None: no cap

    @classmethod
    def from_dict(cls, d: Mapping) -> tuple[TargetPayout | None, list[RateError]]:
        errors = [RateError("unknown_field", f"target payout has unknown field {k!r}; use {', '.join(sorted(FIELDS))}")
                  for k in sorted(map(str, d)) if k not in FIELDS]
        curve, found = RateTable.from_dict(d.get("curve"))
        errors += found
        target, problem = read_number(d.get("target_incentive"), "target_incentive")
        if d.get("target_incentive") is None:
            problem = "target payout has no 'target_incentive'; give the yearly (or period) target incentive amount"
        errors += [RateError("not_a_number" if d.get("target_incentive") is not None else "missing_target", problem)] if problem else []
        cap = None
        if d.get("cap_percent") is not None:
            cap, problem = read_number(d["cap_percent"], "cap_percent")
            errors += [RateError("not_a_number", problem)] if problem else []
        return (None, errors) if errors else (cls(curve, target, cap), [])

    @classmethod
    def load(cls, d: Mapping) -> TargetPayout:
        return require_valid(*cls.from_dict(d))

    def apply(self, measure: object, quota: object) -> Step | RateError:
        """Payout = curve(attainment) × target, capped; the capped excess is reported in `excess`."""
        fraction = self.curve.apply(measure, quota)
        if isinstance(fraction, RateError):
            return fraction
        uncapped = fraction.amount * self.target_incentive
        attainment = to_number(measure) / fraction.quota if fraction.quota else to_number(measure)
        text = f"{show_percent(attainment)} attainment → payout {show_percent(fraction.amount)} of target {show_amount(self.target_incentive)}"
        if self.cap_percent is None or uncapped <= self.cap_percent * self.target_incentive:
            return Step("target_payout", uncapped, uncapped, f"{text} = {show_amount(uncapped)}", detail=fraction)
        capped = Cap("percent_of_target", self.cap_percent).apply(uncapped, self.target_incentive)
        text += f", capped at {show_percent(self.cap_percent)} = {show_amount(capped.amount)} ({show_amount(capped.excess)} above the cap)"
        return Step("target_payout", uncapped, capped.amount, text, capped.excess, detail=fraction)
