"""/api/runs: calculation runs (for the roles that see everyone) and calculating a month (comp admins)."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from attain.apps.api.errors import problems, refused
from attain.apps.api.rules import month_or_404, require, require_everyone
from attain.apps.api.types import Id, Page, PeriodName
from attain.apps.calc.models import CalculationRun
from attain.apps.calc.services import CalculationError, calculate_period

router = Router(tags=["calculation runs"])
RunState = Literal[tuple(CalculationRun.Status.values)]  # type: ignore[valid-type]


class PlanVersionUsed(Schema):
    plan: str
    version: int


class RunOut(Schema):
    id: int
    period: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    created_by: str | None
    counts: dict[str, int]
    error: str

    @staticmethod
    def resolve_period(run: CalculationRun) -> str:
        return run.period.name

    @staticmethod
    def resolve_created_by(run: CalculationRun) -> str | None:
        return run.created_by.username if run.created_by_id else None


class RunDetail(RunOut):
    plan_versions: list[PlanVersionUsed]
    timings: dict[str, float]
    exceptions: list[str]
    inputs_fingerprint: str


class CalculateIn(Schema):
    period: PeriodName


def runs_of(user):
    require_everyone(user, "Calculation runs")
    return CalculationRun.objects.select_related("period", "created_by")


@router.get("/runs", response={200: list[RunOut], **problems(403)}, summary="Calculation runs")
@paginate(Page)
def runs(request, period: PeriodName | None = None, status: RunState | None = None):
    """The runs, newest first; `period` (a month) and `status` narrow them. Reps and managers read their own
    lines through /api/results instead (403 here)."""
    found = runs_of(request.user)
    if period:
        found = found.filter(period=month_or_404(period))
    if status:
        found = found.filter(status=status)
    return found.order_by("-started_at", "-pk")


@router.get("/runs/{run_id}", response={200: RunDetail, **problems(403)}, summary="A run with counts and exceptions")
def run(request, run_id: Id):
    found = runs_of(request.user).filter(pk=run_id).first()
    if found is None:
        raise Http404(f"There is no calculation run {run_id}: GET /api/runs lists them.")
    return found


@router.post("/runs", response={201: RunDetail, **problems(400, 403)}, summary="Calculate a month")
def calculate(request, body: CalculateIn):
    """Calculate every published plan for the month (as `attain calc` does) and answer with the run; the call
    returns when the run has finished. 400 when the month cannot be calculated (paid or closed, being
    calculated by someone else, no published plan): `detail` says why. Needs the permission to add runs
    (comp admins, administrators)."""
    require(request.user, "calc.add_calculationrun", "calculate a period")
    try:
        done = calculate_period(body.period, user=request.user)
    except CalculationError as failure:
        raise refused(str(failure)) from None
    return Status(201, CalculationRun.objects.select_related("period", "created_by").get(pk=done.pk))
