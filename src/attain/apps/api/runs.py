"""/api/runs: calculation runs (for the roles that see everyone) and calculating a month (comp admins)."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from attain.apps.api.errors import problems, refused
from attain.apps.api.rules import month_or_404, require, require_everyone
from attain.apps.api.types import Id, Page, PeriodName
from attain.apps.calc.jobs import settle, start_calculation
from attain.apps.calc.models import CalculationRun
from attain.apps.calc.services import CalculationError

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
    step: str = Field(description="What the run is doing now (or did last); \"Done\" when it succeeded.")
    steps_done: int = Field(description="Steps finished: with steps_total, the run's progress.")
    steps_total: int = Field(description="Steps expected (an estimate while the run works).")
    engine: str = Field(description="What runs (or ran) the queries: duckdb, or spark with its master URL.")

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


@router.get("/runs/{run_id}", response={200: RunDetail, **problems(403)},
            summary="A run with its progress, counts and exceptions")
def run(request, run_id: Id):
    """The run; while it is `running`, `step`, `steps_done` and `steps_total` say how far it is (poll this
    address, e.g. every second, until the status is `succeeded` or `failed`). A run whose process died is
    answered as failed, with the reason in `error`."""
    found = runs_of(request.user).filter(pk=run_id).first()
    if found is None:
        raise Http404(f"There is no calculation run {run_id}: GET /api/runs lists them.")
    return settle(found)


@router.post("/runs", response={202: RunDetail, **problems(400, 403)}, summary="Calculate a month (in the background)")
def calculate(request, body: CalculateIn):
    """Start calculating every published plan for the month (as `attain calc` does) and answer at once, 202 with
    the run (`running`, or already ended when the server runs jobs inline); follow it with GET /api/runs/{id}.
    400 when the month cannot be calculated now (unknown, paid or closed, being calculated or paid by someone
    else): `detail` says why. A run that starts and then fails (e.g. no published plan) ends `failed` with
    its `error`. Needs the permission to add runs (comp admins, administrators)."""
    require(request.user, "calc.add_calculationrun", "calculate a period")
    try:
        started = start_calculation(body.period, user=request.user)
    except CalculationError as failure:
        raise refused(str(failure)) from None
    return Status(202, CalculationRun.objects.select_related("period", "created_by").get(pk=started.pk))
