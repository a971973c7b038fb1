"""Calculating a period: load → compute purely (the engine) → persist the run in one transaction."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from django.db import transaction
from django.utils import timezone

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record
from attain.apps.calc import restatement
from attain.apps.calc.computed import BOOKED_STATES, Computed
from attain.apps.calc.fx import MissingRate, plan_converter
from attain.apps.calc.inputs import load_inputs, plan_assignments, plan_targets
from attain.apps.calc.lake import Sources
from attain.apps.calc.lineage import write_lineage
from attain.apps.calc.locking import PeriodBusy, period_lock
from attain.apps.calc.models import Approval, CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding, find_default_calendar
from attain.apps.org.models import Participant, Position
from attain.apps.plans.models import PlanVersion
from attain.engine import backends
from attain.engine.calculate import calculate
from attain.engine.crediting import CreditingError, uncredited_activities
from attain.engine.fingerprints import fingerprint, tables_fingerprint
from attain.engine.plans import load_plan

Progress = Callable[[str], None]
Compute = Callable[[Period, Progress], Computed]  # `compute`, with its sources bound
Action = AuditEntry.Action


class CalculationError(ValueError):
    """The period cannot be calculated; the message says why and how to fix it."""


def find_period(name: str) -> Period:
    calendar = find_default_calendar()
    period = Period.objects.filter(calendar=calendar, name=name.strip().upper()).first() if calendar else None
    if period is None:
        months = Period.objects.filter(kind="month").order_by("-start_date").values_list("name", flat=True)[:3]
        raise CalculationError(f"there is no period {name!r}; name a month such as {', '.join(months) or 'FY2026-M03'}")
    if period.kind != "month":
        raise CalculationError(f"{period.name} is a {period.kind}: calculate its months one by one (e.g. "
                               f"{period.name}-M01 style names such as FY{period.fiscal_year}-M03)")
    return period


def calculate_period(name: str, *, user=None, progress: Progress | None = None,
                     run: CalculationRun | None = None, sources: Sources | None = None) -> CalculationRun:
    """Calculate every published plan for one month; the run is recorded even when it fails.

    Only one run of a period at a time (`period_lock`). In the earliest month not yet paid, the run
    also posts the prior-period adjustments: for every paid or closed month, what its earnings are
    now minus what was booked for it (see `restatement`). `run`: a run already recorded (running) by
    the job runner (`calc.jobs`), which this call carries out. `sources`: the transactions are read from
    the data lake by the engine (`calc.lake`), not from the database.
    """
    period = find_period(name)
    check_calculable(period)
    try:
        with period_lock(period):
            _interrupted(period, keep=run)
            run = run or CalculationRun.objects.create(period=period, created_by=user)
            run.engine = backends.current()  # what runs it (a job's run was recorded with the engine asked for)
            CalculationRun.objects.filter(pk=run.pk).update(engine=run.engine)
            _calculate_run(run, period, progress or (lambda step: None), partial(compute, sources=sources))
    except PeriodBusy as busy:
        raise CalculationError(str(busy)) from None
    return run


def check_calculable(period: Period) -> None:
    """A paid or closed month is never calculated again."""
    if period.state in BOOKED_STATES:
        raise CalculationError(f"{period.name} is {period.state}: its results never change; a correction is paid as "
                               "a prior-period adjustment when the first open month is calculated")


def _interrupted(period: Period, keep: CalculationRun | None = None) -> None:
    """Runs of the period left running (their process was killed: we hold the lock) are marked failed."""
    CalculationRun.objects.filter(period=period, status=CalculationRun.Status.RUNNING).exclude(
        pk=keep.pk if keep else None).update(
        status=CalculationRun.Status.FAILED, finished_at=timezone.now(),
        error="interrupted: the run stopped before it finished; none of its results were kept")


def _calculate_run(run: CalculationRun, period: Period, progress: Progress, computing: Compute) -> None:
    try:
        _run(run, period, progress, computing)
    except Exception as failure:  # the run is recorded as failed whatever happened
        run.status, run.error, run.finished_at = CalculationRun.Status.FAILED, str(failure), timezone.now()
        run.save()
        record(Action.CALCULATED, run, user=run.created_by, after={"period": period.name, "status": run.status,
                                                                   "error": run.error})
        if isinstance(failure, (CalculationError, MissingRate, CreditingError)):
            raise CalculationError(str(failure)) from None
        raise


def _run(run: CalculationRun, period: Period, progress: Progress, computing: Compute) -> None:
    timings, started = {}, time.perf_counter()
    computed = computing(period, progress)
    earnings = [(version, e) for version, e in computed.lines() if e.period == period.name]
    adjustments = []
    booked = restatement.months_to_restate(period)
    if booked:
        progress("Comparing paid and closed months with their booked results")
        adjustments = restatement.adjustments(period, booked, computed, computing, progress)
    timings["calculate"] = round(time.perf_counter() - started, 3)
    progress("Saving the results")
    run.inputs_fingerprint = hashlib.sha256("".join(computed.prints).encode()).hexdigest()
    _save(run, period, computed.versions, earnings, adjustments, computed.exceptions, timings)
    progress("Keeping the credits behind the earnings")
    for plan, result in computed.results:  # after the commit: files are a side effect
        write_lineage(run.pk, plan, result, period.end_date)


def compute(period: Period, progress: Progress, sources: Sources | None = None) -> Computed:
    """Every plan version valid at the month's end, calculated purely for its fiscal year up to the month
    (`sources`: transactions from the data lake)."""
    versions = list(PlanVersion.objects.filter(PlanVersion.valid_on(period.end_date), status="published")
                    .select_related("plan").order_by("plan__code"))
    if not versions:
        raise CalculationError(f"no published plan version is valid on {period.end_date}: publish one first")
    plans = [_plan_of(version) for version in versions]
    # opportunities are loaded (and converted) only for a currency whose plans credit pipeline
    pipelines = {plan.currency for plan in plans if any(rule.kind == "pipeline" for rule in plan.credit_rules)}
    computed, by_currency = Computed(period, versions), {}
    for version, plan in zip(versions, plans, strict=True):
        progress(f"Calculating {version.plan.code} v{version.version} for {period.name}")
        basis = (plan.currency, plan.fx_rate)
        if basis not in by_currency:  # inputs, and their costly fingerprint, once per currency and rate basis
            converter = plan_converter(*basis)
            shared = load_inputs(period, converter, opportunities=plan.currency in pipelines, sources=sources)
            by_currency[basis] = (converter, shared, tables_fingerprint(shared))
        converter, shared, tables = by_currency[basis]
        year_start = shared.months[0].start_date
        on_plan, assigned = plan_assignments(version.plan, shared.months)
        inputs = replace(shared, targets=plan_targets(version.plan, period, converter, year_start), assignments=on_plan)
        seats = set().union(*assigned.values())
        result = calculate(plan, inputs, currency_rounding(plan.currency), seats)
        computed.add(version, plan, result, assigned, fingerprint(inputs, version.document, tables=tables))
        unheld = uncredited_activities(inputs.crediting, list(plan.credit_rules), period.start_date, period.end_date)
        computed.exceptions += [f"{plan.code}: {x}" for x in result.exceptions + unheld]
    return computed


def _plan_of(version: PlanVersion):
    plan, problems = load_plan(version.document, f"{version.plan.code} v{version.version}")
    if problems:
        raise CalculationError("; ".join(str(p) for p in problems))
    return plan


@transaction.atomic
def _save(run, period, versions, earnings, adjustments, exceptions, timings) -> None:
    started = time.perf_counter()
    people = dict(Participant.objects.values_list("employee_id", "pk"))
    seats = dict(Position.objects.values_list("code", "pk"))
    rows = []
    for version, e in sorted(earnings, key=lambda pair: (pair[1].participant, pair[1].position, pair[1].component)):
        rows.append(Earning(
            run=run, participant_id=people[e.participant], position_id=seats[e.position], plan_version=version,
            component=e.component, period=period, for_period=period, base=e.base, quota=e.quota,
            earned_to_date=e.earned_to_date, earned_before=e.earned_before, amount=e.amount, amount_rounded=e.rounded,
            currency_id=version.plan.currency_id, explanation=e.explanation))
    for line in adjustments:
        line.run, line.period = run, period
        rows.append(line)
    Earning.objects.bulk_create(rows, batch_size=500)
    timings["save"] = round(time.perf_counter() - started, 3)
    run.status, run.finished_at = CalculationRun.Status.SUCCEEDED, timezone.now()
    run.timings, run.exceptions = timings, exceptions
    run.plan_versions = [{"plan": v.plan.code, "version": v.version} for v in versions]
    record(Action.CALCULATED, run, user=run.created_by, after={"period": period.name, "counts": run.counts,
                                                               "inputs_fingerprint": run.inputs_fingerprint,
                                                               "plan_versions": run.plan_versions})
    run.counts = {"earnings": len(rows) - len(adjustments), "adjustments": len(adjustments),
                  "participants": len({e.participant for _, e in earnings}), "exceptions": len(exceptions)}
    supersede_approvals(period)
    Period.objects.filter(pk=period.pk).update(state=Period.State.CALCULATED)
    run.save()


def supersede_approvals(period: Period) -> None:
    """A new calculation replaces what was submitted or approved: that approval no longer stands."""
    Approval.objects.filter(period=period, state__in=(Approval.State.SUBMITTED, Approval.State.APPROVED)).update(
        state=Approval.State.SUPERSEDED, decided_at=timezone.now())
