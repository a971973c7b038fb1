"""The organisation on a day, read in two queries: who holds which position, and who reports to whom.

The manager portal asks many questions of it (whose team is this, which seats are under that one, who
holds them) for one or several days; answering them from the rows in memory keeps every team page at a
fixed number of queries. The rules are those of `access.team_positions` and `access.visible_participants`:
a team is every position under the positions its leader holds on the day, every level down, and its
members are the holders of those positions on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attain.apps.org.models import PositionHolder, ReportingLine
from attain.apps.portal.access import positions_below


def _valid(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class Holding:
    participant_id: int
    position_id: int
    valid_from: date
    valid_to: date | None


class OrgChart:
    """Reporting lines and position holders (all of them: a few hundred rows), asked about a day."""

    def __init__(self) -> None:
        self.lines = list(ReportingLine.objects.values_list("position_id", "manager_position_id", "valid_from",
                                                            "valid_to"))
        self.holdings = [Holding(*row) for row in PositionHolder.objects.values_list(
            "participant_id", "position_id", "valid_from", "valid_to")]
        self._reports: dict[date, dict[int, set[int]]] = {}

    def held_by(self, participant_id: int, day: date) -> set[int]:
        """The positions the participant holds on the day."""
        return {h.position_id for h in self.holdings
                if h.participant_id == participant_id and _valid(h.valid_from, h.valid_to, day)}

    def below(self, positions: set[int], day: date) -> set[int]:
        """Every position under `positions` on the day, every level down (not `positions` themselves)."""
        return positions_below(positions, ((position, manager) for position, manager, start, end in self.lines
                                           if _valid(start, end, day)))

    def direct_reports(self, positions: set[int], day: date) -> set[int]:
        reports = self._reports_on(day)
        return set().union(*(reports.get(manager, ()) for manager in positions))

    def _reports_on(self, day: date) -> dict[int, set[int]]:
        """manager position → the positions reporting to it on the day (made once per day asked: a team page asks
        for every member's reports)."""
        if day not in self._reports:
            reports: dict[int, set[int]] = {}
            for position, manager, start, end in self.lines:
                if _valid(start, end, day):
                    reports.setdefault(manager, set()).add(position)
            self._reports[day] = reports
        return self._reports[day]

    def holders(self, positions: set[int], day: date) -> dict[int, int]:
        """position → the participant holding it on the day (vacant positions left out)."""
        return {h.position_id: h.participant_id for h in self.holdings
                if h.position_id in positions and _valid(h.valid_from, h.valid_to, day)}

    def held_positions(self, day: date) -> set[int]:
        """Every position someone holds on the day."""
        return {h.position_id for h in self.holdings if _valid(h.valid_from, h.valid_to, day)}
