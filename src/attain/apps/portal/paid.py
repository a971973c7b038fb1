"""A rep's paid months: the list of statements, a statement with the earning lines behind each of its
lines, and one earning line with its explanation and the credits behind it."""

from __future__ import annotations

from dataclasses import dataclass

from attain.apps.calc.models import Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.payments.statements import Statement, StatementLine, statement
from attain.apps.portal.credits import CreditedDeal, measure_credits
from attain.apps.portal.plans import component_of, plan_of


@dataclass(frozen=True)
class ShownLine:
    """A statement line and the earning lines it adds up (the way to "why?")."""

    line: StatementLine
    earnings: tuple[Earning, ...]


@dataclass(frozen=True)
class ShownStatement:
    statement: Statement
    earnings: tuple[ShownLine, ...]
    adjustments: tuple[ShownLine, ...]


@dataclass(frozen=True)
class EarningDetail:
    earning: Earning
    plan: str  # the plan version and its validity
    measure: str | None  # None: a line of the plan's terms (cap, guarantee) or an objective
    credit_count: int | None  # None: no measure, or the run's credits were not kept
    credits: tuple[CreditedDeal, ...]


def statements_of(participant: Participant) -> list[Payment]:
    """The latest payment of every paid month (and currency), the newest month first."""
    latest: dict[tuple[int, str], Payment] = {}
    for payment in (Payment.objects.filter(participant=participant, run__status=PaymentRun.Status.SUCCEEDED)
                    .select_related("period").order_by("run__created_at", "pk")):
        latest[(payment.period_id, payment.currency_id)] = payment
    return sorted(latest.values(), key=lambda p: (p.period.start_date, p.currency_id), reverse=True)


def shown_statement(participant: Participant, period: str | Period) -> ShownStatement:
    """The month's statement (`payments.statements`), each line with its earning lines; StatementError if none."""
    return show_statement(statement(participant, period))


def show_statement(paid: Statement) -> ShownStatement:
    """A statement made already, each line with its earning lines (those the statement loaded)."""
    loaded = {line.pk: line for line in paid.lines}

    def shown(lines: tuple[StatementLine, ...]) -> tuple[ShownLine, ...]:
        return tuple(ShownLine(line, tuple(loaded[pk] for pk in line.earning_ids)) for line in lines)

    return ShownStatement(paid, shown(paid.earnings), shown(paid.adjustments))


def earning_detail(earning: Earning) -> EarningDetail:
    version = earning.plan_version
    plan_text = f"Plan {version.plan.code} version {version.version} (valid {version.span().describe()})"
    measured = credited_measure(earning)
    if measured is None:
        return EarningDetail(earning, plan_text, None, None, ())
    plan_code, measure = measured
    month = earning.for_period
    found = measure_credits(earning.run_id, plan_code, earning.participant.employee_id, measure,
                            month.start_date, month.end_date)
    if found is None:
        return EarningDetail(earning, plan_text, measure, None, ())
    return EarningDetail(earning, plan_text, measure, found[0], tuple(found[1]))


def credited_measure(earning: Earning) -> tuple[str, str] | None:
    """(the plan's code, the measure) whose credits made the line; None for a line of the plan's terms (a cap, a
    guarantee) or of objectives."""
    document = earning.plan_version.document
    component = component_of(document, earning.component)
    if component is None or component.type == "mbo" or not component.measure:
        return None
    return plan_of(document).code, component.measure
