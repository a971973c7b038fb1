"""Two calculation runs compared line by line: what changed, for whom, on which component, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import CalculationError

ZERO = Decimal(0)
Key = tuple[str, str, str, str, str]  # participant, position, component, period, currency


@dataclass(frozen=True)
class LineChange:
    participant: str
    position: str
    component: str
    period: str
    currency: str
    before: Decimal | None  # precise; None: the line is new
    after: Decimal | None  # precise; None: the line is gone

    @property
    def difference(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


@dataclass(frozen=True)
class RunDiff:
    first: CalculationRun
    second: CalculationRun
    changes: tuple[LineChange, ...]  # largest difference first
    unchanged: int

    def total(self, currency: str) -> Decimal:
        return sum((c.difference for c in self.changes if c.currency == currency), ZERO)


def find_run(number: int) -> CalculationRun:
    run = CalculationRun.objects.filter(pk=number).select_related("period").first()
    if run is None:
        latest = list(CalculationRun.objects.order_by("-pk").values_list("pk", flat=True)[:3])
        raise CalculationError(f"there is no calculation run {number}; the latest are {latest or 'none yet'}")
    if run.status != CalculationRun.Status.SUCCEEDED:
        raise CalculationError(f"run {number} {run.status}: only succeeded runs have earnings to compare")
    return run


def diff_runs(first: int, second: int) -> RunDiff:
    """Every earning line of `second` beside the same line of `first` (precise amounts, exact)."""
    a, b = find_run(first), find_run(second)
    before, after = _lines(a), _lines(b)
    changes = [LineChange(*key, before.get(key), after.get(key)) for key in sorted(set(before) | set(after))
               if before.get(key) != after.get(key)]
    changes.sort(key=lambda c: (-abs(c.difference), c.participant, c.component))
    unchanged = sum(1 for key in set(before) & set(after) if before[key] == after[key])
    return RunDiff(a, b, tuple(changes), unchanged)


def _lines(run: CalculationRun) -> dict[Key, Decimal]:
    lines: dict[Key, Decimal] = {}
    for row in Earning.objects.filter(run=run).values_list("participant__employee_id", "position__code", "component",
                                                            "period__name", "currency_id", "amount"):
        key = row[:5]
        lines[key] = lines.get(key, ZERO) + row[5]
    return lines
