"""Rate tables, payout curves and incentive arithmetic: exact Decimal, explained, framework-free.

The surface for the compensation engine (see docs/plan-language-rates.md):

- `RateTable.from_dict(d) -> (table | None, errors)`, `RateTable.load(d)` (raises PlanError),
  `table.apply(measure, quota=None) -> Payout | RateError`;
- building blocks returning `Step`: `Gate`, `Cap`, `Kicker`, `FixedAmount`, `mbo_payout`,
  `MatrixTable`, `TargetPayout`;
- `true_up(earned_to_date)`, `true_up_table(table, period_measures, quota)`.

Nothing here rounds: amounts are precise; round once later with `attain.engine.money.round_money`.
"""

from attain.engine.rates.bands import Band
from attain.engine.rates.blocks import Cap, FixedAmount, Gate, Kicker, Objective, mbo_payout
from attain.engine.rates.curve import Point
from attain.engine.rates.errors import PlanError, RateError
from attain.engine.rates.explain import Payout, PayoutLine, Step
from attain.engine.rates.matrix import MatrixTable
from attain.engine.rates.numbers import to_number
from attain.engine.rates.table import RateTable
from attain.engine.rates.target import TargetPayout
from attain.engine.rates.tiers import Tier
from attain.engine.rates.trueup import TrueUpLine, true_up, true_up_table

__all__ = [
    "Band", "Cap", "FixedAmount", "Gate", "Kicker", "MatrixTable", "Objective", "Payout", "PayoutLine",
    "PlanError", "Point", "RateError", "RateTable", "Step", "TargetPayout", "Tier", "TrueUpLine",
    "mbo_payout", "true_up", "true_up_table", "to_number",
]
