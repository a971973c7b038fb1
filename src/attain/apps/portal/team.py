"""The manager's team page: who is in the team in a month, their attainment, pay and pipeline.

- **The month** is a calculated month (one with a successful calculation run; by default the latest);
  every number comes from that month's latest successful run and those of the fiscal year's earlier
  months. Nothing is recalculated.
- **The team** is read on the month's last day: the positions under the positions the leader holds
  (`team_org.OrgChart`, the rules of `access.visible_participants`), and the participants holding them.
  A leader who holds no position but sees everyone (an administrator, a comp admin) sees the company.
- **Attainment** for the chosen measure is the month's earning line's measure value ÷ its quota, as the
  plan measured it (year to date against the year's quota for the demo's plans), like the rep's gauge.
  The histogram counts members in bins of 10 points: a bin holds attainment from its lower bound up to,
  not including, its upper bound; the first holds everything under 10% (clawbacks can make it negative),
  the last everything from 150%.
- **Earnings and budget**: `team_money`; **pipeline coverage**: `team_pipeline`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from django.db.models import Q

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant, Position
from attain.apps.plans.models import PlanVersion
from attain.apps.portal.plans import SCOPES, component_of, plan_of
from attain.apps.portal.team_money import Budget, budget_of, rounding_of_currencies
from attain.apps.portal.team_org import OrgChart
from attain.apps.portal.team_pipeline import coverage, deal_types_counted, open_pipeline
from attain.engine.money import round_money

ZERO = Decimal(0)
ONE = Decimal(1)
BIN_WIDTH = 10  # percentage points
TOP_BIN = 150  # the last bin: this and above
DEFAULT_THRESHOLD = 50  # percent
BOOKED = (Period.State.PAID, Period.State.CLOSED)


@dataclass(frozen=True)
class Member:
    participant: Participant
    position: Position  # the team seat held on the month's last day
    leads: bool  # has positions under them: a team of their own to open


@dataclass
class Row:
    """A member on the leaderboard."""

    member: Member
    rank: int | None = None
    value: Decimal | None = None
    quota: Decimal | None = None
    attainment: Decimal | None = None
    unit: str = ""
    earned: list[tuple[str, Decimal]] = field(default_factory=list)  # year to date, per currency, rounded
    pipeline: Decimal | None = None
    deals: int = 0
    remaining: Decimal | None = None
    coverage: Decimal | None = None
    carried_from: str | None = None  # attainment from an earlier month's line (no credit since)
    behind_pace: bool = False  # attainment below the share of the quota's window gone by

    @property
    def at_risk(self) -> bool:
        """Behind pace, and even if every open deal closed the quota would not be reached."""
        return self.behind_pace and self.coverage is not None and self.coverage < ONE

    @property
    def quota_reached(self) -> bool:
        return self.remaining is not None and self.remaining == 0


@dataclass(frozen=True)
class Bin:
    label: str
    low: int  # percent, inclusive (None-like -inf for the first: see `bins`)
    count: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Measured:
    participant_id: int
    position_id: int
    currency: str
    component: str
    document: str
    base: Decimal
    quota: Decimal
    measure: str
    scope: str
    carried_from: str | None = None  # the earlier month the line is from (no line in the chosen month)


def _carries(scope: str, month: Period, chosen: Period) -> bool:
    """Whether an earlier month's to-date value still holds in the chosen month (same year or quarter)."""
    if month.start_date > chosen.start_date:
        return False
    if scope == "year_to_date":
        return True
    return scope == "quarter_to_date" and (month.number - 1) // 3 == (chosen.number - 1) // 3


@dataclass
class Team:
    leader: Participant | None  # None: the whole company
    seats: set[int]  # the leader's positions
    month: Period
    run: CalculationRun
    months: list[Period]  # the calculated months to choose from, newest first
    positions: set[int]
    members: list[Member]
    measure: str | None = None
    measures: list[str] = field(default_factory=list)
    scope: str = ""
    unit: str = ""
    threshold: int = DEFAULT_THRESHOLD
    rows: list[Row] = field(default_factory=list)
    bins: list[Bin] = field(default_factory=list)
    measured: int = 0  # members with an attainment on the measure
    at_quota: int = 0
    at_threshold: int = 0
    budget: Budget | None = None
    window_end: object = None  # the last day pipeline can count
    elapsed: Decimal | None = None  # the share of the quota's window gone by on the month's last day
    pipeline_currency: str = ""
    deal_types: list[str] | None = None  # the deal types the pipeline counts (None: all)
    measured_lines: dict[int, Measured] = field(default_factory=dict)  # participant → the line shown
    problems: list[str] = field(default_factory=list)

    @property
    def share_at_quota(self) -> Decimal | None:
        return Decimal(self.at_quota) / self.measured if self.measured else None

    @property
    def share_at_threshold(self) -> Decimal | None:
        return Decimal(self.at_threshold) / self.measured if self.measured else None

    @property
    def at_risk(self) -> list[Row]:
        return [row for row in self.rows if row.at_risk]

    @property
    def paid(self) -> bool:
        return self.month.state in BOOKED


def calculated_months() -> dict[int, tuple[Period, CalculationRun]]:
    """month id → (the month, its latest successful run), for every month calculated, newest month first."""
    latest: dict[int, tuple[Period, CalculationRun]] = {}
    for run in (CalculationRun.objects.filter(status=CalculationRun.Status.SUCCEEDED, period__kind=Period.Kind.MONTH)
                .select_related("period").order_by("period__start_date", "started_at", "pk")):
        latest[run.period_id] = (run.period, run)
    return dict(sorted(latest.items(), key=lambda item: item[1][0].start_date, reverse=True))


def team_of(org: OrgChart, leader: Participant | None, day, everyone: bool) -> tuple[set[int], set[int]]:
    """(the leader's seats, the team's positions) on the day; without a leader (or a leader with no seat, for
    a user who sees everyone) the whole company's held positions."""
    seats = org.held_by(leader.pk, day) if leader is not None else set()
    if seats:
        return seats, org.below(seats, day)
    return set(), (org.held_positions(day) if everyone else set())


def build_team(org: OrgChart, leader: Participant | None, seats: set[int], positions: set[int], month: Period,
               run: CalculationRun, months: list[Period], measure: str | None = None,
               threshold: int = DEFAULT_THRESHOLD) -> Team:
    day = month.end_date
    holders = org.holders(positions, day)
    people = Participant.objects.in_bulk(set(holders.values()))
    seat_of = {p.pk: p for p in Position.objects.filter(pk__in=holders.keys())}
    members: dict[int, Member] = {}
    for position_id, participant_id in sorted(holders.items(), key=lambda item: seat_of[item[0]].code):
        if participant_id not in members and participant_id in people:
            members[participant_id] = Member(people[participant_id], seat_of[position_id],
                                             bool(org.direct_reports({position_id}, day)))
    team = Team(leader, seats, month, run, months, positions,
                sorted(members.values(), key=lambda m: (m.participant.last_name, m.participant.first_name)),
                threshold=threshold)
    year, quarters, fiscal_months = _fiscal_year(month)
    runs = {m.pk: r for m, r in _runs_of(fiscal_months)}
    rounding = rounding_of_currencies()
    lines, member_earned, team_earned = _earnings(runs, set(members), positions)
    _attainment(team, lines, {m.pk: m for m in fiscal_months}, measure)
    converters: dict = {}  # currency → the rates into it the page has read
    team.budget = budget_of(positions, fiscal_months, year, team_earned, rounding, converters, set(runs))
    team.problems += team.budget.problems
    rows = {row.member.participant.pk: row for row in team.rows}
    for participant_id, sums in member_earned.items():
        if participant_id in rows:
            rows[participant_id].earned = [(c, round_money(a, *rounding.get(c, (2, "half_up"))))
                                           for c, a in sorted(sums.items())]
    _pipeline(team, year, quarters, converters)
    return team


def _fiscal_year(month: Period) -> tuple[Period, list[Period], list[Period]]:
    """The month's fiscal year, its quarters, and its months up to the month."""
    periods = list(Period.objects.filter(calendar=month.calendar_id, fiscal_year=month.fiscal_year,
                                         kind__in=[Period.Kind.YEAR, Period.Kind.QUARTER, Period.Kind.MONTH])
                   .order_by("start_date", "-end_date"))
    year = next(p for p in periods if p.kind == Period.Kind.YEAR)
    months = [p for p in periods if p.kind == Period.Kind.MONTH and p.start_date <= month.start_date]
    return year, [p for p in periods if p.kind == Period.Kind.QUARTER], months


def _runs_of(months: list[Period]) -> list[tuple[Period, CalculationRun]]:
    latest = {}
    for run in (CalculationRun.objects.filter(status=CalculationRun.Status.SUCCEEDED, period__in=months)
                .order_by("started_at", "pk")):
        latest[run.period_id] = run
    return [(m, latest[m.pk]) for m in months if m.pk in latest]


def _earnings(runs: dict[int, CalculationRun], members: set[int], positions: set[int]):
    """One pass over the fiscal year's lines of the team's members and positions: the members' earning lines
    (for attainment), each member's precise earnings per currency, and the team positions' per (month, currency).

    Kept per process for the same runs, members and positions: a run's lines never change once it has finished
    (a new calculation is a new run, so another key; a run is known by its id and its start and end times)."""
    ran = tuple(sorted((r.pk, r.started_at, r.finished_at) for r in runs.values()))
    return _earnings_of(ran, frozenset(members), frozenset(positions))


@lru_cache(maxsize=32)
def _earnings_of(ran: tuple, members: frozenset[int], positions: frozenset[int]):
    month_lines, member_earned, team_earned = [], defaultdict(lambda: defaultdict(Decimal)), defaultdict(Decimal)
    rows = (Earning.objects.filter(run_id__in=[pk for pk, _, _ in ran])
            .filter(Q(participant_id__in=members) | Q(position_id__in=positions))
            .values_list("period_id", "participant_id", "position_id", "currency_id", "amount", "kind",
                         "component", "plan_version_id", "base", "quota"))
    for period_id, participant_id, position_id, currency, amount, kind, *rest in rows:
        if participant_id in members:
            member_earned[participant_id][currency] += amount
        if position_id in positions:
            team_earned[(period_id, currency)] += amount
        if participant_id in members and kind == Earning.Kind.EARNING:
            month_lines.append((period_id, participant_id, position_id, currency, *rest))
    return (tuple(month_lines), MappingProxyType({p: MappingProxyType(dict(sums)) for p, sums in member_earned.items()}),
            MappingProxyType(dict(team_earned)))  # read-only: shared by the requests that ask again


def _attainment(team: Team, lines: list, months: dict[int, Period], measure: str | None) -> None:
    """Each member's value against quota on the chosen measure from the chosen month's line; a member without one
    (no credit in the month: the run makes no line) keeps the latest earlier line of a to-date component while
    its window lasts (the value to date has not changed since), noted as carried."""
    documents = dict(PlanVersion.objects.filter(pk__in={line[5] for line in lines}).values_list("pk", "document"))
    measured: list[Measured] = []
    chosen_month = team.month
    for period_id, participant_id, position_id, currency, component_name, version_id, base, quota in sorted(
            lines, key=lambda line: months[line[0]].start_date):
        if not quota or quota <= 0:
            continue
        month = months[period_id]
        component = component_of(documents[version_id], component_name)
        if component is None or not component.measure:
            continue
        if month.pk != chosen_month.pk and not _carries(component.scope, month, chosen_month):
            continue
        measured.append(Measured(participant_id, position_id, currency, component_name, documents[version_id], base,
                                 quota, component.measure, component.scope,
                                 None if month.pk == chosen_month.pk else month.name))
    counts = Counter(m.measure for m in {(m.participant_id, m.measure): m for m in measured}.values())
    team.measures = sorted(counts)
    team.measure = measure if measure in counts else (min(counts, key=lambda m: (-counts[m], m)) if counts else None)
    seats = {m.participant.pk: m.position.pk for m in team.members}
    chosen: dict[int, Measured] = {}
    for line in measured:
        if line.measure != team.measure:
            continue
        kept = chosen.get(line.participant_id)
        seat = seats.get(line.participant_id)
        if kept is None or (kept.carried_from and not line.carried_from) or (
                bool(kept.carried_from) == bool(line.carried_from) and
                (kept.position_id != seat or line.position_id == seat)):
            chosen[line.participant_id] = line  # the month's own line, then the latest, the team seat's first
    team.rows = [_row(member, chosen.get(member.participant.pk)) for member in team.members]
    team.rows.sort(key=lambda r: (r.attainment is None, -(r.attainment or ZERO), r.member.participant.last_name,
                                  r.member.participant.first_name))
    for rank, row in enumerate((r for r in team.rows if r.attainment is not None), start=1):
        row.rank = rank
    ratios = [r.attainment for r in team.rows if r.attainment is not None]
    team.measured = len(ratios)
    team.at_quota = sum(1 for r in ratios if r >= ONE)
    team.at_threshold = sum(1 for r in ratios if r * 100 >= team.threshold)
    team.bins = bins([(r.member.participant.name, r.attainment) for r in team.rows if r.attainment is not None])
    first = next(iter(chosen.values()), None)
    if first is not None:
        team.scope = SCOPES.get(first.scope, first.scope.replace("_", " "))
        team.unit = _unit(first.document, first.measure, first.currency)
        team.pipeline_currency = first.currency
    team.measured_lines = chosen


def _row(member: Member, line: Measured | None) -> Row:
    if line is None:
        return Row(member)
    return Row(member, value=line.base, quota=line.quota, attainment=line.base / line.quota,
               unit=_unit(line.document, line.measure, line.currency), carried_from=line.carried_from)


def _unit(document: str, measure: str, currency: str) -> str:
    plan = plan_of(document)
    found = next((m for m in plan.measures if m.name == measure), None) if plan else None
    return "" if found is not None and found.aggregate in ("count", "distinct_count") else currency


def bins(attainments: list[tuple[str, Decimal]]) -> list[Bin]:
    """Members per bin of BIN_WIDTH points, from "under 10%" to "150% or more" (names listed per bin)."""
    lows = list(range(0, TOP_BIN + 1, BIN_WIDTH))
    members: dict[int, list[str]] = {low: [] for low in lows}
    for name, ratio in attainments:
        points = ratio * 100
        low = TOP_BIN if points >= TOP_BIN else max(0, int(points // BIN_WIDTH) * BIN_WIDTH)
        members[low].append(name)
    labelled = []
    for low in lows:
        label = (f"under {BIN_WIDTH}%" if low == 0 else f"{TOP_BIN}% or more" if low == TOP_BIN
                 else f"{low}–{low + BIN_WIDTH}%")
        labelled.append(Bin(label, low, len(members[low]), tuple(members[low])))
    return labelled


def _pipeline(team: Team, year: Period, quarters: list[Period], converters: dict) -> None:
    chosen = team.measured_lines
    first = next(iter(chosen.values()), None)
    if first is None:
        return
    day = team.month.end_date
    start, team.window_end = team.month.start_date, day
    if first.scope == "year_to_date":
        start, team.window_end = year.start_date, year.end_date
    elif first.scope == "quarter_to_date":
        start, team.window_end = next(((q.start_date, q.end_date) for q in quarters if q.start_date <= day <= q.end_date),
                                      (start, day))
    team.elapsed = Decimal((day - start).days + 1) / Decimal((team.window_end - start).days + 1)
    deal_types = deal_types_counted(first.document, first.measure)
    seats = {line.participant_id: line.position_id for line in chosen.values()}
    found, problems = open_pipeline(set(seats.values()), day, team.window_end, team.pipeline_currency, deal_types,
                                     converters)
    team.problems += problems
    team.deal_types = sorted(deal_types) if deal_types is not None else None
    for row in team.rows:
        seat = seats.get(row.member.participant.pk)
        if seat is None or row.attainment is None:
            continue
        pipeline = found.get(seat)
        row.pipeline = pipeline.amount if pipeline else ZERO
        row.deals = pipeline.deals if pipeline else 0
        row.behind_pace = row.attainment < team.elapsed
        if team.window_end > day:
            row.remaining, row.coverage = coverage(row.pipeline, row.quota, row.value)
        else:
            row.pipeline = None
