"""GET /api/participants/{employee_id}/statements[/{period}]: a payee's paid months and their statements.

The statement is `payments.statements.statement`, the same the portal, the CLI and the PDF show: built from
the month's payment and the approved run it paid, so it agrees with payroll and the ledger.
"""

from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from attain.apps.api.errors import problems
from attain.apps.api.rules import month_or_404, participant_or_404, today
from attain.apps.api.types import EmployeeId, Money, PeriodName
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.payments.statements import Statement, StatementError, StatementLine, statement

router = Router(tags=["statements"])


class PaidMonth(Schema):
    period: str
    currency: str
    paid: Money
    paid_on_run: int


class LineOut(Schema):
    label: str
    amount: Money
    precise: Money
    currency: str
    explanation: str


class PaymentOut(Schema):
    earned: Money
    adjustments: Money
    draw_top_up: Money
    recovered: Money
    forgiven: Money
    owed: Money
    draw_owed: Money
    precise: Money
    paid: Money
    explanation: str


class YearToDate(Schema):
    earned: Money
    adjustments: Money
    paid: Money


class StatementOut(Schema):
    employee_id: str
    name: str
    period: str
    currency: str
    paid: Money
    earnings: list[LineOut]
    adjustments: list[LineOut]
    manual: list[LineOut]
    year_to_date: YearToDate
    payment: PaymentOut


@router.get("/participants/{employee_id}/statements", response={200: list[PaidMonth], **problems()},
            summary="A participant's paid months")
def statements(request, employee_id: EmployeeId):
    """The latest payment of every paid month (and currency), newest first. The participant must be one you
    may see today."""
    person = participant_or_404(request.user, employee_id, today())
    latest: dict[tuple[int, str], Payment] = {}
    for payment in (Payment.objects.filter(participant=person, run__status=PaymentRun.Status.SUCCEEDED)
                    .select_related("period").order_by("run__created_at", "pk")):
        latest[(payment.period_id, payment.currency_id)] = payment
    shown = sorted(latest.values(), key=lambda p: (p.period.start_date, p.currency_id), reverse=True)
    return [PaidMonth(period=p.period.name, currency=p.currency_id, paid=p.paid, paid_on_run=p.run_id) for p in shown]


@router.get("/participants/{employee_id}/statements/{period}", response={200: StatementOut, **problems()},
            summary="A statement")
def statement_of(request, employee_id: EmployeeId, period: PeriodName):
    """Earnings by plan and component, prior-period and manual adjustments, the payment (draw, recovery,
    balances) and the year to date. Lines are rounded so that they add up to the rounded totals; `precise`
    keeps each line's unrounded amount. 404 when the month is not paid yet, or the participant is not one you
    may see on the month's last day (a manager sees a former team member's months in the team)."""
    month = month_or_404(period)
    person = participant_or_404(request.user, employee_id, month.end_date)
    try:
        return shown(statement(person.employee_id, month.name))
    except StatementError as missing:
        raise Http404(f"No statement: {missing}.") from None


def shown(paid: Statement) -> StatementOut:
    payment = paid.payment
    return StatementOut(
        employee_id=paid.participant.employee_id, name=paid.participant.name, period=paid.period,
        currency=paid.currency, paid=paid.paid, earnings=_lines(paid.earnings), adjustments=_lines(paid.adjustments),
        manual=_lines(paid.manual), year_to_date=YearToDate(**paid.year_to_date),
        payment=PaymentOut(**{name: getattr(payment, name) for name in PaymentOut.model_fields}))


def _lines(lines: tuple[StatementLine, ...]) -> list[LineOut]:
    return [LineOut(label=line.label, amount=Decimal(line.amount), precise=line.precise, currency=line.currency,
                    explanation=line.explanation) for line in lines]
