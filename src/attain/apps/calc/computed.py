"""What one pure calculation of a month produced, before anything is saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from attain.apps.core.models import Period
from attain.engine.calculate import CalcResult
from attain.engine.earnings import Earning as EngineEarning

# months whose results are final: a later change reaches them only as a prior-period adjustment
BOOKED_STATES = (Period.State.PAID, Period.State.CLOSED)


@dataclass
class Computed:
    """The plan versions valid at `period`'s end, their results for the fiscal year up to it, and more."""

    period: Period
    versions: list = field(default_factory=list)
    results: list[tuple[object, CalcResult]] = field(default_factory=list)  # (engine plan, result)
    assigned: list[dict[str, set[str]]] = field(default_factory=list)  # per version: month → assigned positions
    prints: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def add(self, version, plan, result: CalcResult, assigned: dict[str, set[str]], print_: str) -> None:
        self.results.append((plan, result))
        self.assigned.append(assigned)
        self.prints.append(print_)

    def lines(self) -> Iterator[tuple[object, EngineEarning]]:
        """(plan version, earning) of every month, for the positions assigned to the plan in that month."""
        for version, (_, result), assigned in zip(self.versions, self.results, self.assigned, strict=True):
            for earning in result.earnings:
                if earning.position in assigned.get(earning.period, ()):
                    yield version, earning
