"""What the runs pages read: the fiscal year's months with their latest run and submission, and a run's figures.

The months, years and submissions are the finance workspace's (`portal.finance`): one reading of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from attain.apps.calc.models import Approval, CalculationRun
from attain.apps.core.models import Period
from attain.apps.portal import finance

RUN_FIELDS = ("id", "period_id", "status", "started_at", "finished_at", "counts", "exceptions", "error", "step",
              "steps_done", "steps_total", "created_by_id", "worker")


@dataclass
class MonthRow:
    period: Period
    approval: Approval | None  # the latest submission
    run: CalculationRun | None  # the latest run, whatever its status


def year_months(year: int | None) -> list[MonthRow]:
    """The year's months in order, each with its latest submission and latest run (three queries)."""
    if year is None:
        return []
    months = finance.year_months(year)
    latest: dict[int, CalculationRun] = {}
    for run in CalculationRun.objects.filter(period__in=[m.period for m in months]).only(*RUN_FIELDS).order_by(
            "started_at", "pk"):
        latest[run.period_id] = run
    return [MonthRow(m.period, m.approval, latest.get(m.period.pk)) for m in months]


def latest_runs(limit: int = 10) -> list[CalculationRun]:
    return list(CalculationRun.objects.select_related("period", "created_by").defer("plan_versions", "timings")
                .order_by("-started_at", "-pk")[:limit])


def month_runs(period: Period, limit: int = 20) -> list[CalculationRun]:
    return list(CalculationRun.objects.filter(period=period).select_related("period", "created_by")
                .order_by("-started_at", "-pk")[:limit])


def latest_approval(period: Period) -> Approval | None:
    return Approval.objects.filter(period=period).select_related("submitted_by", "decided_by").order_by(
        "-submitted_at", "-pk").first()


def percent_done(run: CalculationRun) -> int:
    """The progress bar's value: 100 once succeeded; never 100 while the run still works."""
    if run.status == CalculationRun.Status.SUCCEEDED:
        return 100
    if not run.steps_total:
        return 0
    return min(99, run.steps_done * 100 // run.steps_total)


def duration(run: CalculationRun) -> str:
    if run.finished_at is None:
        return ""
    seconds = (run.finished_at - run.started_at).total_seconds()
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"
