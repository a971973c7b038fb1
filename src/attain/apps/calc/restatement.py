"""Prior-period adjustments: a change that reaches a paid or closed month is paid in the first open month.

Paid and closed months never change. When the calendar's earliest month that is neither paid nor
closed is calculated, every booked (paid or closed) month P is recalculated with today's data and the
plan versions valid at P's end, for the positions assigned to the plan in P, and compared with
what was booked for it:

    adjustment(P) = recalculated(P) − booked(P)   per participant, position, plan, component, currency

booked(P) is P's approved run's lines for P plus the adjustments for P already posted in the approved
runs of later booked months, so a difference is posted once. There is no limit on how far back:
every booked month of every fiscal year is compared. Months of the run's own fiscal year with the
run's plan versions come from the run's own calculation (free); other months are recalculated per
fiscal year and set of plan versions.

Rounding: the adjustment's rounded amount is round(recalculated) − Σ booked rounded, so the booked and
adjusted amounts as displayed add up to the recalculated amount as displayed. An unchanged month
yields no line at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from attain.apps.calc.computed import BOOKED_STATES, Computed
from attain.apps.calc.models import Approval, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant, Position
from attain.apps.plans.models import PlanVersion
from attain.engine.money import show_amount

ZERO = Decimal(0)
Key = tuple[str, str, str, str, str]  # participant, position, plan, component, currency


@dataclass
class Booked:
    precise: Decimal = ZERO
    rounded: Decimal = ZERO
    ids: list[int] = field(default_factory=list)
    version_id: int | None = None


def first_open_month(calendar) -> Period | None:
    months = Period.objects.filter(calendar=calendar, kind=Period.Kind.MONTH)
    return months.exclude(state__in=BOOKED_STATES).order_by("start_date").first()


def booked_months(period: Period) -> list[Period]:
    """The paid or closed months before `period` that Attain paid (an approved run).

    Months closed without any approved calculation are history from before Attain (the demo's FY2025,
    a company's years in its old system): there is nothing booked in Attain to correct, so they are
    not restated.
    """
    approved = Approval.objects.filter(state=Approval.State.APPROVED).values("period_id")
    return list(Period.objects.filter(calendar=period.calendar, kind=Period.Kind.MONTH, state__in=BOOKED_STATES,
                                      end_date__lt=period.start_date, pk__in=approved).order_by("start_date"))


def months_to_restate(period: Period) -> list[Period]:
    """The booked months the month's run compares (none unless it is the calendar's earliest open month)."""
    first = first_open_month(period.calendar)
    return booked_months(period) if first is not None and first.pk == period.pk else []


def final_runs(months: list[Period]) -> dict[int, int]:
    """Period id → the id of its approved calculation run (the results that were paid)."""
    return dict(Approval.objects.filter(period__in=months, state=Approval.State.APPROVED)
                .values_list("period_id", "run_id"))


def booked(months: list[Period]) -> dict[str, dict[Key, Booked]]:
    """Month name → key → what the approved runs of booked months hold for that month."""
    runs = final_runs(months)
    found: dict[str, dict[Key, Booked]] = defaultdict(lambda: defaultdict(Booked))
    rows = Earning.objects.filter(run_id__in=runs.values(), for_period__in=months).values_list(
        "id", "for_period__name", "participant__employee_id", "position__code", "plan_version__plan__code",
        "component", "currency_id", "amount", "amount_rounded", "plan_version_id").order_by("id")
    for pk, month, participant, position, plan, component, currency, amount, rounded, version in rows:
        line = found[month][(participant, position, plan, component, currency)]
        line.precise += amount
        line.rounded += rounded
        line.ids.append(pk)
        line.version_id = version
    return found


def adjustments(period: Period, months: list[Period], computed: Computed, compute, progress) -> list[Earning]:
    """The prior-period adjustment lines the run of `period` posts for the booked `months` (unsaved: the run
    saves them)."""
    before = booked(months)
    after = _recalculated(period, months, computed, compute, progress)
    people = dict(Participant.objects.values_list("employee_id", "pk"))
    seats = dict(Position.objects.values_list("code", "pk"))
    lines = []
    for month in months:
        for key in sorted(set(before.get(month.name, {})) | set(after.get(month.name, {}))):
            line = _adjustment(month, key, before.get(month.name, {}).get(key), after.get(month.name, {}).get(key))
            if line is not None:
                line.participant_id, line.position_id = people[key[0]], seats[key[1]]
                lines.append(line)
    return lines


def _recalculated(period: Period, months: list[Period], computed: Computed, compute, progress):
    """Month name → key → (plan version, engine earning) as the months compute today."""
    own = _versions_on(period)
    groups: dict[tuple, list[Period]] = defaultdict(list)
    for month in months:
        groups[(month.fiscal_year, _versions_on(month))].append(month)
    found: dict[str, dict[Key, tuple]] = defaultdict(dict)
    for (year, versions), group in groups.items():
        names = {m.name for m in group}
        source = computed if (year, versions) == (period.fiscal_year, own) else compute(group[-1], progress)
        for version, e in source.lines():
            if e.period in names:
                key = (e.participant, e.position, version.plan.code, e.component, version.plan.currency_id)
                found[e.period][key] = (version, e)
    return found


def _versions_on(month: Period) -> tuple[int, ...]:
    return tuple(PlanVersion.objects.filter(PlanVersion.valid_on(month.end_date), status="published")
                 .order_by("pk").values_list("pk", flat=True))


def _adjustment(month: Period, key: Key, was: Booked | None, now: tuple | None) -> Earning | None:
    was = was or Booked()
    version, e = now if now is not None else (None, None)
    precise = e.amount if e else ZERO
    rounded = e.rounded if e else ZERO
    if precise == was.precise and rounded == was.rounded:
        return None
    booked_on = f"lines {', '.join(map(str, was.ids))}" if was.ids else "no line"
    recalculated = (f"recalculated {show_amount(rounded)}" if e else "no longer earned")
    text = (f"Prior-period adjustment for {month.name} ({key[2]} {key[3]}): {recalculated}, booked "
            f"{show_amount(was.rounded)} ({booked_on}) → {show_amount(rounded - was.rounded)}")
    if e:
        text += f". Recalculated: {e.explanation}"
    return Earning(plan_version_id=version.pk if version else was.version_id, component=key[3], for_period=month,
                   kind=Earning.Kind.PRIOR_PERIOD, corrects=was.ids, base=e.base if e else ZERO,
                   quota=e.quota if e else None, earned_to_date=precise, earned_before=was.precise,
                   amount=precise - was.precise, amount_rounded=rounded - was.rounded, currency_id=key[4],
                   explanation=text)
