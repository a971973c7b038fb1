"""GET /api/results: the earning lines of a month's calculation, row by row as far as the caller may see.

Everyone reads their own lines (a rep), their team's (a manager, the team on the month's last day) or
everyone's; the lines come from the month's latest successful run unless `run` names another run of it.
"""

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from attain.apps.api.errors import problems
from attain.apps.api.rules import month_or_404, participant_or_404, visible_participants
from attain.apps.api.types import Code, EmployeeId, Id, Money, Page, PeriodName
from attain.apps.calc.models import CalculationRun, Earning

router = Router(tags=["results"])


class EarningOut(Schema):
    id: int
    run: int
    employee_id: str
    position: str
    plan: str
    plan_version: int
    component: str
    kind: str
    period: str
    for_period: str
    base: Money
    quota: Money | None
    earned_to_date: Money
    earned_before: Money
    amount: Money
    amount_rounded: Money
    currency: str
    explanation: str

    @staticmethod
    def resolve_run(line: Earning) -> int:
        return line.run_id

    @staticmethod
    def resolve_employee_id(line: Earning) -> str:
        return line.participant.employee_id

    @staticmethod
    def resolve_position(line: Earning) -> str:
        return line.position.code

    @staticmethod
    def resolve_plan(line: Earning) -> str:
        return line.plan_version.plan.code

    @staticmethod
    def resolve_plan_version(line: Earning) -> int:
        return line.plan_version.version

    @staticmethod
    def resolve_period(line: Earning) -> str:
        return line.period.name

    @staticmethod
    def resolve_for_period(line: Earning) -> str:
        return line.for_period.name

    @staticmethod
    def resolve_currency(line: Earning) -> str:
        return line.currency_id


RELATED = ("participant", "position", "plan_version__plan", "period", "for_period")


@router.get("/results", response={200: list[EarningOut], **problems()}, summary="Earning lines of a month")
@paginate(Page)
def results(request, period: PeriodName, employee_id: EmployeeId | None = None, run: Id | None = None,
            plan: Code | None = None):
    """The month's earning lines you may see (`amount` precise, `amount_rounded` what is paid), by participant
    and component. 404 when the month has no successful run (or `run` is not one of it)."""
    month = month_or_404(period)
    runs = CalculationRun.objects.filter(period=month, status=CalculationRun.Status.SUCCEEDED)
    chosen = (runs.filter(pk=run) if run else runs.order_by("-started_at", "-pk")).values_list("pk", flat=True).first()
    if chosen is None:
        raise Http404(f"{month.name} has no successful calculation run{f' {run}' if run else ''}: it is {month.state}.")
    people = ([participant_or_404(request.user, employee_id, month.end_date)] if employee_id
              else visible_participants(request.user, month.end_date))
    lines = Earning.objects.filter(run_id=chosen, participant__in=people)
    if plan:
        lines = lines.filter(plan_version__plan__code=plan)
    return lines.select_related(*RELATED).order_by("participant__employee_id", "kind", "component", "pk")


@router.get("/results/{earning_id}", response={200: EarningOut, **problems()}, summary="One earning line")
def result(request, earning_id: Id):
    """404 for a line of someone you may not see in the line's month."""
    line = Earning.objects.filter(pk=earning_id, run__status=CalculationRun.Status.SUCCEEDED).select_related(
        *RELATED).first()
    if line is None or not visible_participants(request.user, line.period.end_date).filter(
            pk=line.participant_id).exists():
        raise Http404(f"No earning line {earning_id} that you may see.")
    return line
