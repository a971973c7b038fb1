"""What a plan says beside its rated components: eligibility, MBO objectives, the plan cap and the guarantee.

Order within a run: eligibility narrows the credits and positions; components earn; MBO components
pay scored objectives; the plan cap limits each participant's total; the guarantee tops a month up.
The plan cap and the guarantee are earning lines of their own ("Plan cap", "Guarantee"), so a
statement shows what the components earned and what the plan's terms changed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import ibis
from ibis.expr.types import Table

from attain.engine.earnings import Earning
from attain.engine.money import show_amount, show_percent
from attain.engine.periods import add_months, days_inclusive
from attain.engine.plans.loading import Component, Plan
from attain.engine.plans.terms import CumulativeCap, full_payout, limit_text
from attain.engine.rates import RateError, mbo_payout
from attain.engine.tenure import Tenure, window_limit

ZERO = Decimal(0)
PLAN_CAP, GUARANTEE = "Plan cap", "Guarantee"  # the names of the lines the plan's terms add


def eligible_credits(plan: Plan, credits: Table) -> Table:
    """Credits dated inside the plan's eligibility dates (all of them without eligibility dates)."""
    rule = plan.eligibility
    if rule is None or (rule.valid_from is None and rule.valid_to is None):
        return credits
    if rule.valid_from is not None:
        credits = credits.filter(credits.credit_date >= rule.valid_from)
    if rule.valid_to is not None:
        credits = credits.filter(credits.credit_date <= rule.valid_to)
    return credits


def assigned_credits(credits: Table, assignments: Table | None) -> Table:
    """Credits to a position dated on a day the position is on the plan (all of them without assignments).

    A position moved to another plan on 16 April has its credits up to 15 April in the first plan and
    from 16 April in the second (DOMAIN §3.10: the plan in force on the crediting date). Credits of
    positions not on the plan at all are dropped here too, before anything is computed for them.
    """
    if assignments is None:
        return credits
    on_plan = ((credits.position == assignments.position) & (assignments.valid_from <= credits.credit_date)
               & (credits.credit_date <= assignments.valid_to.fill_null(ibis.literal(date.max))))
    return credits.semi_join(assignments, on_plan)


def eligible_positions(plan: Plan, inputs, positions: set[str] | None, exceptions: list[str]) -> set[str] | None:
    """The positions the plan pays: of the eligible kinds; an assigned position of another kind is reported."""
    rule = plan.eligibility
    if rule is None or not rule.position_kinds:
        return positions
    kinds = {row["position"]: row["kind"] for row in inputs.crediting.positions.to_pyarrow().to_pylist()}
    eligible = {p for p, kind in kinds.items() if kind in rule.position_kinds}
    if positions is None:
        return eligible
    for position in sorted(positions - eligible):
        exceptions.append(f"{position} is assigned to plan {plan.code} but is of kind {kinds.get(position) or 'none'};"
                          f" the plan pays positions of kind {', '.join(rule.position_kinds)}: not paid")
    return positions & eligible


# ------------------------------------------------------------------------------------------------ MBO

def mbo_earnings(component: Component, inputs, tenures: dict[tuple[str, str], Tenure], positions: set[str] | None,
                 rounding: tuple[int, str], result) -> None:
    """Scored objectives paid in the last month of their period, to each holder pro rata to days held (less leave)."""
    level = component.objectives.period
    for month in inputs.months:
        span = month.span_of(level)
        if span is None or span[1] != month.end_date:
            continue  # objectives are paid in the last month of their period
        name = month.name_of(level)
        for position in sorted(p for p, period in inputs.objectives if period == name):
            if positions is None or position in positions:
                _pay_objectives(component, position, name, span, month.period, inputs, tenures, rounding, result)


def _pay_objectives(component: Component, position: str, name: str, span: tuple[date, date], month: str, inputs,
                    tenures, rounding, result) -> None:
    objectives = inputs.objectives[(position, name)]
    unscored = [o.name for o in objectives if o.score is None]
    if unscored:
        result.exceptions.append(f"{position}, {component.name}, {name}: {', '.join(unscored)} not scored yet; "
                                 "score every objective and recalculate")
        return
    target = inputs.targets.get(position)
    full = full_payout(component.objectives.full, target)
    if full is None:
        result.exceptions.append(f"{position}, {component.name}, {name}: the payout is a percentage of target "
                                 "incentive; assign the position to the plan with its target incentive")
        return
    step = mbo_payout(objectives, full)
    if isinstance(step, list):
        result.exceptions.extend(f"{position}, {component.name}, {name}: {e.message}" for e in step)
        return
    holders = _holders(position, span, tenures)
    if not holders:
        result.exceptions.append(f"{position}, {component.name}, {name}: nobody held the position (or every holder "
                                 "was on leave); not paid")
    total = days_inclusive(*span)
    for participant, held in holders.items():
        amount = step.amount * held / total
        fraction = tenures[(participant, position)].fraction(*span, total)
        share = "" if held == total else f" × {fraction} = {show_amount(amount)}"
        text = f"{component.name}, {name} objectives{_full_score(component, target)}: {step.describe()}{share}"
        result.earnings.append(Earning(participant, position, component.name, month, full, None, amount, ZERO,
                                       amount, lambda t=text: t, rounding))


def _full_score(component: Component, target: Decimal | None) -> str:
    full = component.objectives.full
    if full.kind == "amount":
        return ""
    return f" (at full score {show_percent(full.value)} of the target incentive {show_amount(target)})"


def _holders(position: str, span: tuple[date, date], tenures: dict[tuple[str, str], Tenure]) -> dict[str, int]:
    """Who held the position during the span, and for how many days (less the days on leave)."""
    held = {participant: tenure.days(*span) for (participant, seat), tenure in sorted(tenures.items())
            if seat == position}
    return {participant: days for participant, days in held.items() if days}


# ------------------------------------------------------------------------------- plan cap and guarantee

def apply_plan_terms(plan: Plan, inputs, tenures: dict[tuple[str, str], Tenure], positions: set[str] | None,
                     rounding: tuple[int, str], result) -> None:
    if plan.cap is not None:
        _plan_cap(plan, inputs, tenures, rounding, result)
    if plan.guarantee is not None:
        _guarantee(plan, inputs, tenures, positions, rounding, result)


def _monthly_totals(earnings: list[Earning]) -> dict[tuple[str, str], dict[str, Decimal]]:
    totals: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for e in earnings:
        totals[(e.participant, e.position)][e.period] += e.amount
    return totals


def _plan_cap(plan: Plan, inputs, tenures: dict[tuple[str, str], Tenure], rounding, result) -> None:
    per = plan.cap.per
    for (participant, position), by_month in sorted(_monthly_totals(result.earnings).items()):
        target = inputs.targets.get(position)
        limit = plan.cap.cap.limit(target)
        if isinstance(limit, RateError):
            result.exceptions.append(f"{participant} ({position}), plan cap not applied: {limit.message}")
            continue
        cap, held = CumulativeCap(limit, limit_text(plan.cap.cap, target)), ZERO  # held: what the cap kept so far
        tenure = tenures.get((participant, position), Tenure())
        for month in inputs.months:
            total = by_month.get(month.period, ZERO)
            prorated = window_limit(plan.cap.cap, plan.prorate_target, target, month.span_of(per), tenure)
            paid, before, explain = cap.pay(month.name_of(per), total, lambda t=total: f"the plan earned {show_amount(t)}",
                                            per, prorated)
            change = (paid - before) - total
            if change:
                text = lambda x=explain, c=change: f"{PLAN_CAP}: {x()}; the cap line is {show_amount(c)}"  # noqa: E731
                result.earnings.append(Earning(participant, position, PLAN_CAP, month.period, total, None,
                                               held + change, held, change, text, rounding))
                held += change


def _guarantee(plan: Plan, inputs, tenures, positions: set[str] | None, rounding, result) -> None:
    totals = _monthly_totals(result.earnings)
    for (participant, position), tenure in sorted(tenures.items()):
        if positions is not None and position not in positions:
            continue
        monthly = full_payout(plan.guarantee.monthly, inputs.targets.get(position), per_year=12)
        if monthly is None:
            result.exceptions.append(f"{participant} ({position}), guarantee not applied: it is a percentage of "
                                     "target incentive; assign the position to the plan with its target incentive")
            continue
        window = _guarantee_window(plan, tenure)
        shown = _monthly_text(plan.guarantee.monthly, monthly, inputs.targets.get(position))
        for month in inputs.months:
            _top_up(participant, position, month, (monthly, shown), window, tenure, totals, rounding, result)


def _monthly_text(rule, monthly: Decimal, target: Decimal | None) -> str:
    if rule.kind == "amount":
        return f"{show_amount(monthly)} a month"
    return (f"{show_amount(monthly)} a month ({show_percent(rule.value)} of the target incentive "
            f"{show_amount(target)} ÷ 12)")


def _guarantee_window(plan: Plan, tenure: Tenure) -> tuple[date, date | None]:
    rule = plan.guarantee
    if rule.first_months is None:
        return rule.valid_from, rule.valid_to
    start = tenure.first_day  # the first day held: a leave does not move the window
    return start, add_months(start, rule.first_months) - timedelta(days=1)


def _top_up(participant, position, month, guaranteed: tuple[Decimal, str], window, tenure: Tenure, totals,
            rounding, result):
    monthly, shown = guaranteed
    start, end = max(month.start_date, window[0]), min(month.end_date, window[1] or month.end_date)
    if start > end:
        return
    days = tenure.days(start, end)  # held in the window, less leave
    if not days:
        return
    in_month = days_inclusive(month.start_date, month.end_date)
    floor = monthly * days / in_month
    earned = totals.get((participant, position), {}).get(month.period, ZERO)
    if earned >= floor:
        return
    top_up = floor - earned
    prorated = "" if days == in_month else f" × {tenure.fraction(start, end, in_month, 'days')} = {show_amount(floor)}"
    until = f" to {window[1]}" if window[1] else ""
    text = (f"{GUARANTEE}: {shown} from {window[0]}{until}{prorated}; earned "
            f"{show_amount(earned)}, so the guarantee adds {show_amount(top_up)}")
    result.earnings.append(Earning(participant, position, GUARANTEE, month.period, earned, None, floor, earned,
                                   top_up, lambda t=text: t, rounding))

