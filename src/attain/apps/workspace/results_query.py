"""What the results browser reads: a month's latest successful run, its earning lines filtered and sorted, and
their totals per currency (added up in Python: precise amounts are text on PostgreSQL).

Filters: plan, component, position, team (every position under a manager position, on the month's last
day, through the reporting lines), and a name search (employee id, first or last name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from attain.apps.calc.approvals import latest_run
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Position, ReportingLine
from attain.apps.portal.access import positions_below

SORTS = {"participant": ("participant__employee_id", "component"), "name": ("participant__last_name",
         "participant__first_name", "participant__employee_id"), "plan": ("plan_version__plan__code", "component",
         "participant__employee_id"), "component": ("component", "participant__employee_id"),
         "amount": ("amount_rounded", "participant__employee_id"), "-amount": ("-amount_rounded",
         "participant__employee_id")}
FILTERS = ("plan", "component", "position", "team", "q")


@dataclass
class Filters:
    plan: str = ""
    component: str = ""
    position: str = ""
    team: str = ""
    q: str = ""
    sort: str = "participant"

    @classmethod
    def of(cls, params) -> Filters:
        asked = {name: params.get(name, "").replace("\x00", "").strip()[:100] for name in FILTERS}  # no NUL in SQL
        sort = params.get("sort", "participant")
        return cls(**asked, sort=sort if sort in SORTS else "participant")


@dataclass
class Choices:
    plans: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)


def months() -> QuerySet[Period]:
    """The months that have a successful run, the latest first."""
    ran = CalculationRun.objects.filter(status=CalculationRun.Status.SUCCEEDED).values("period_id")
    return Period.objects.filter(kind=Period.Kind.MONTH, pk__in=ran).order_by("-start_date")


def lines(run: CalculationRun, period: Period, chosen: Filters) -> QuerySet[Earning]:
    """The run's lines posted in the month, narrowed by the filters, sorted."""
    found = Earning.objects.filter(run=run, period=period)
    if chosen.plan:
        found = found.filter(plan_version__plan__code=chosen.plan)
    if chosen.component:
        found = found.filter(component=chosen.component)
    if chosen.position:
        found = found.filter(position__code=chosen.position)
    if chosen.team:
        found = found.filter(position_id__in=team_of(chosen.team, period))
    if chosen.q:
        found = found.filter(Q(participant__employee_id__icontains=chosen.q) | Q(
            participant__first_name__icontains=chosen.q) | Q(participant__last_name__icontains=chosen.q))
    return found.order_by(*SORTS[chosen.sort], "pk")


def shown(found: QuerySet[Earning]) -> QuerySet[Earning]:
    """The lines with what a row shows, in the same query."""
    return found.select_related("participant", "position", "plan_version__plan", "for_period").only(
        "id", "component", "kind", "base", "quota", "amount", "amount_rounded", "currency_id",
        "participant__employee_id", "participant__first_name", "participant__last_name", "position__code",
        "plan_version__version", "plan_version__plan__code", "for_period__name")


def team_of(manager: str, period: Period) -> set[int]:
    """The positions under the manager position `manager` on the month's last day (itself included)."""
    top = set(Position.objects.filter(code=manager).values_list("pk", flat=True))
    reporting = ReportingLine.objects.filter(ReportingLine.valid_on(period.end_date)).values_list(
        "position_id", "manager_position_id")
    return top | positions_below(top, reporting)


def totals(found: QuerySet[Earning]) -> list[tuple[str, int, Decimal, Decimal]]:
    """Per currency: lines, the rounded total and the precise total."""
    rounded: dict[str, Decimal] = defaultdict(Decimal)
    precise: dict[str, Decimal] = defaultdict(Decimal)
    count: dict[str, int] = defaultdict(int)
    for currency, amount_rounded, amount in found.order_by().values_list("currency_id", "amount_rounded", "amount"):
        rounded[currency] += amount_rounded
        precise[currency] += amount
        count[currency] += 1
    return [(c, count[c], rounded[c], precise[c]) for c in sorted(rounded)]


def choices(run: CalculationRun, period: Period) -> Choices:
    """What the filters offer: the run's plans, components and positions, and the managers' positions."""
    found = Earning.objects.filter(run=run, period=period).order_by()
    managers = ReportingLine.objects.filter(ReportingLine.valid_on(period.end_date)).order_by().values_list(
        "manager_position__code", flat=True).distinct()
    return Choices(sorted(set(found.values_list("plan_version__plan__code", flat=True).distinct())),
                   sorted(set(found.values_list("component", flat=True).distinct())),
                   sorted(set(found.values_list("position__code", flat=True).distinct())),
                   sorted(set(managers)))


__all__ = ["Choices", "Filters", "choices", "latest_run", "lines", "months", "shown", "team_of", "totals"]
