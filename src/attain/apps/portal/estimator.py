"""The rep's estimator: "if I close this deal for X on day D, I earn Y more".

The live plan (the published version valid at the end of D's month, of each plan the participant's seat
is assigned to) is calculated twice through the engine's estimate path (`calculate(..., estimate=True)`):
on the participant's real inputs for the fiscal year up to D's month (`estimate_inputs`), and on the
same inputs with the deal added as one booked, invoiced and paid transaction on D, owned by the seat
they hold on D. The estimate is the difference of the payable (rounded) earnings; each component that
changed shows its value before → after, the attainment, the tiers the deal's amount falls in and the
engine's own explanation. An estimate, not a promise: nothing is saved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from time import monotonic

from django.db.models import Max

from attain.apps.calc.fx import Converter, MissingRate, plan_converter
from attain.apps.calc.inputs import plan_assignments, plan_targets
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding, find_default_calendar
from attain.apps.org.models import Participant, PositionHolder
from attain.apps.plans.models import PlanAssignment, PlanVersion
from attain.apps.portal.estimate_inputs import ParticipantData, participant_data
from attain.apps.portal.home import BOOKED
from attain.apps.portal.plans import plan_of
from attain.apps.sales.models import Transaction
from attain.engine.calculate import Month, calculate
from attain.engine.earnings import Earning
from attain.engine.plans.model import Component, Plan
from attain.engine.plans.terms import SCOPE_WINDOW
from attain.engine.rates.numbers import show_bound
from attain.engine.rates.tiers import tier_label

ZERO = Decimal(0)
HYPOTHETICAL_ID = -1  # the estimated deal's transaction id: no stored transaction has it


class EstimateError(ValueError):
    """The estimate cannot be made; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Deal:
    """The deal the rep thinks of closing."""

    amount: Decimal
    currency: str
    close_date: date
    deal_type: str = "new"
    product_family: str | None = None  # code
    account: str | None = None  # external id
    opportunity: str | None = None  # external id
    name: str = "the deal"


@dataclass(frozen=True)
class TierShare:
    label: str  # "0–100% of quota"
    portion: Decimal  # the part of the deal's credit in the tier
    rate: Decimal | None


@dataclass(frozen=True)
class ComponentChange:
    plan: str
    component: str
    scope: str
    base_before: Decimal
    base_after: Decimal
    quota: Decimal | None
    earned_before: Decimal  # earned to date in the window, without the deal
    earned_after: Decimal
    extra: Decimal  # rounded: what the deal adds to the component
    tiers: tuple[TierShare, ...]  # the deal's credit by tier (marginal tier tables)
    crossed: tuple[str, ...]  # the tier boundaries the deal crosses ("100% of quota")
    explanation: str  # the engine's, with the deal

    @property
    def attainment_before(self) -> Decimal | None:
        return self.base_before / self.quota if self.quota else None

    @property
    def attainment_after(self) -> Decimal | None:
        return self.base_after / self.quota if self.quota else None


@dataclass
class Estimate:
    deal: Deal
    month: Period
    currency: str = ""
    versions: list[PlanVersion] = field(default_factory=list)
    extra: Decimal = ZERO  # rounded, in the plan currency
    changes: list[ComponentChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def open_month_of(day: date) -> Period:
    """The month holding `day`, if it is neither paid nor closed."""
    calendar = find_default_calendar()
    month = (Period.objects.filter(calendar=calendar, kind=Period.Kind.MONTH, start_date__lte=day, end_date__gte=day)
             .first() if calendar else None)
    if month is None:
        raise EstimateError(f"there is no month holding {day:%-d %B %Y} in the calendar: choose a day of an open month")
    if month.state in BOOKED:
        raise EstimateError(f"{month.name} is {month.state}: choose a close date in a month not yet paid")
    return month


def estimate(participant: Participant, deal: Deal) -> Estimate:
    """What the deal adds to the participant's earnings under the live plans."""
    if deal.amount <= 0:
        raise EstimateError("the amount must be above 0")
    month = open_month_of(deal.close_date)
    seat = (PositionHolder.objects.filter(PositionHolder.valid_on(deal.close_date), participant=participant)
            .select_related("position").order_by("valid_from").last())
    if seat is None:
        raise EstimateError(f"{participant.name} holds no position on {deal.close_date}: nothing would be credited")
    versions = live_versions(participant, month)
    if not versions:
        raise EstimateError(f"{participant.name} is on no plan with a version published for {month.name}")
    result = Estimate(deal, month, versions=versions)
    loaded: dict[tuple[str, str], ParticipantData] = {}
    for version in versions:
        _estimate_plan(result, version, plan_of(version.document), participant, seat.position.code, loaded)
    return result


def live_versions(participant: Participant, month: Period) -> list[PlanVersion]:
    """The published versions valid at the month's end of the plans the participant's seats are on in the month."""
    seats = PositionHolder.objects.filter(participant=participant, valid_from__lte=month.end_date).exclude(
        valid_to__lt=month.start_date).values("position_id")
    plans = PlanAssignment.objects.filter(position__in=seats, valid_from__lte=month.end_date).exclude(
        valid_to__lt=month.start_date).values("plan_id")
    return list(PlanVersion.objects.filter(PlanVersion.valid_on(month.end_date), status=PlanVersion.Status.PUBLISHED,
                                           plan__in=plans).select_related("plan").order_by("plan__code"))


def _estimate_plan(result: Estimate, version: PlanVersion, plan: Plan | None, participant: Participant, seat: str,
                   loaded: dict) -> None:
    if plan is None:
        result.problems.append(f"{version.plan.code} v{version.version} cannot be read: ask your comp admin")
        return
    key = (participant.pk, result.month.pk, version.pk, _data_stamp())
    kept = _kept.get(key)
    if kept is None or monotonic() - kept.at > KEPT_SECONDS:
        kept = _base(version, plan, participant, result.month, loaded)
        _kept[key] = kept
    deal = result.deal
    try:
        amount = kept.converter.convert(deal.amount, deal.currency, deal.close_date)
    except MissingRate as missing:
        result.problems.append(f"{plan.code}: {missing}")
        return
    inputs = replace(kept.data.inputs([_transaction(deal, amount, plan.currency, seat)]), targets=kept.targets,
                     assignments=kept.on_plan)
    run = calculate(plan, inputs, kept.rounding, kept.seats, estimate=True)
    without, with_deal = kept.without, _mine(run.earnings, participant)
    result.currency = plan.currency
    result.extra += sum((e.rounded for e in with_deal), ZERO) - sum((e.rounded for e in without), ZERO)
    result.changes += changes(plan, kept.data.months, result.month, without, with_deal)
    result.problems += [f"{plan.code}: {x}" for x in run.exceptions if participant.employee_id in x]


@dataclass(frozen=True)
class _Base:
    """The participant's inputs and earnings without the deal, kept a little while: as the rep types, only the
    deal changes, so each keystroke's estimate calculates once."""

    at: float
    converter: Converter
    data: ParticipantData
    on_plan: object
    targets: dict
    seats: set[str]
    rounding: tuple[int, str]
    without: list[Earning]


KEPT_SECONDS = 60.0  # how long the calculation without the deal is reused (new data shows within a minute)
_kept: dict[tuple, _Base] = {}


def _base(version: PlanVersion, plan: Plan, participant: Participant, month: Period, loaded: dict) -> _Base:
    converter = plan_converter(plan.currency, plan.fx_rate)
    basis = (plan.currency, plan.fx_rate)
    if basis not in loaded:
        kinds = {rule.kind for rule in plan.credit_rules}
        loaded[basis] = participant_data(participant, month, converter, opportunities="pipeline" in kinds,
                                         activities="activity" in kinds)
    data = loaded[basis]
    on_plan, assigned = plan_assignments(version.plan, data.months)
    targets = plan_targets(version.plan, month, converter, data.months[0].start_date)
    seats = assigned.get(month.name, set()) & set(data.own)
    rounding = currency_rounding(plan.currency)
    inputs = replace(data.inputs(), targets=targets, assignments=on_plan)
    without = _mine(calculate(plan, inputs, rounding, seats, estimate=True).earnings, participant)
    if len(_kept) > 256:
        _kept.clear()
    return _Base(monotonic(), converter, data, on_plan, targets, seats, rounding, without)


def _data_stamp() -> int | None:
    """What changes when transactions are imported (or the data reloaded): the latest transaction id."""
    return Transaction.objects.aggregate(last=Max("pk"))["last"]


def _mine(earnings: list[Earning], participant: Participant) -> list[Earning]:
    return [e for e in earnings if e.participant == participant.employee_id]


def _transaction(deal: Deal, amount: Decimal, currency: str, seat: str) -> dict:
    day = deal.close_date
    return {"id": HYPOTHETICAL_ID, "external_id": deal.opportunity or "ESTIMATE", "kind": "booking",
            "booked_date": day, "invoiced_date": day, "paid_date": day, "account": deal.account,
            "product_family": deal.product_family, "quantity": Decimal(1), "amount": amount, "cost": ZERO,
            "currency": currency, "deal_type": deal.deal_type, "owner_position": seat, "contract_start": None,
            "contract_end": None, "original_id": None, "opportunity": deal.opportunity, "sourced_by_position": None}


def changes(plan: Plan, months: tuple[Month, ...], month: Period, without: list[Earning],
            with_deal: list[Earning]) -> list[ComponentChange]:
    """Each component line of the month that the deal changes, before → after."""
    components = {c.name: c for c in plan.components}
    added = defaultdict(lambda: ZERO)
    for line in with_deal:
        added[(line.component, line.position)] += line.rounded
    for line in without:
        added[(line.component, line.position)] -= line.rounded
    found = []
    for after in (e for e in with_deal if e.period == month.name):
        extra, component = added[(after.component, after.position)], components.get(after.component)
        before = _before(component, after, months, month, without)
        if extra == 0 and (before is None or before.base == after.base):
            continue
        base_before = before.base if before is not None else ZERO
        earned_before = before.earned_to_date if before is not None else ZERO
        tiers, crossed = tier_shares(component, month.end_date, base_before, after.base, after.quota)
        found.append(ComponentChange(plan.code, after.component, component.scope if component else "", base_before,
                                     after.base, after.quota, earned_before, after.earned_to_date, extra, tiers,
                                     crossed, after.explanation))
    return found


def _before(component: Component | None, after: Earning, months: tuple[Month, ...], month: Period,
            without: list[Earning]) -> Earning | None:
    """The line without the deal: the month's own, or (a to-date component in a quiet month) the latest one
    of the same window earlier."""
    lines = [e for e in without if e.component == after.component and e.position == after.position]
    own = next((e for e in lines if e.period == month.name), None)
    if own is not None or component is None or component.scope not in ("year_to_date", "quarter_to_date"):
        return own
    level = SCOPE_WINDOW[component.scope]
    names = {m.period: m.name_of(level) for m in months}
    window = names.get(month.name)
    earlier = [e for e in lines if names.get(e.period) == window and e.period < month.name]
    return max(earlier, key=lambda e: e.period) if earlier else None


def tier_shares(component: Component | None, day: date, before: Decimal, after: Decimal,
                quota: Decimal | None) -> tuple[tuple[TierShare, ...], tuple[str, ...]]:
    """The part of before → after in each tier of a tiered table, and the tier boundaries crossed."""
    found = component.table_on(day) if component is not None else None
    if found is None or not found[1].tiers or after <= before:
        return (), ()
    table = found[1]
    factor = quota if table.basis == "attainment" else Decimal(1)
    if not factor:
        return (), ()
    shares, crossed = [], []
    for i, tier in enumerate(table.tiers):
        low = before if tier.lower is None else max(before, tier.lower * factor)
        high = after if tier.upper is None else min(after, tier.upper * factor)
        if high > low:
            shares.append(TierShare(tier_label(tier, table.basis, i == 0), high - low, tier.values.get("rate")))
        if tier.lower is not None and before < tier.lower * factor <= after and i > 0:
            suffix = " of quota" if table.basis == "attainment" else ""
            crossed.append(f"{show_bound(tier.lower, table.basis)}{suffix}")
    return tuple(shares), tuple(crossed)
