"""GET /api/results/{earning_id}/lineage: the credits and deals behind one earning line, as the portal's earning page
shows them (`portal.credits`, read from the run's lineage files, `calc.lineage`).

The line must be one the caller may see (`results.result`'s rule: the line's participant on the line's month);
the credits are those the line's measure counted for that participant in the month the line is for — an overlay
rep sees the deals credited to them, never anyone else's pay.
"""

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema

from attain.apps.api.errors import problems
from attain.apps.api.rules import visible_participants
from attain.apps.api.types import Id, Money
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.portal.credits import CreditedDeal, measure_credit_page
from attain.apps.portal.paid import credited_measure

router = Router(tags=["results"])


class DealOut(Schema):
    kind: str
    booked_date: date
    account: str
    account_name: str
    product: str | None
    amount: Money = Field(description="The deal's amount as booked (not anyone's pay).")
    currency: str


class CreditOut(Schema):
    external_id: str
    credit_date: date
    rule: str = Field(description="The crediting rule that gave the credit (owner, territory, overlay, …).")
    value: Money = Field(description="What the credit counted in the measure, in the plan's currency.")
    deal: DealOut | None = Field(description="The transaction credited; null for an activity or an opportunity.")


class LineageOut(Schema):
    earning: int
    employee_id: str
    component: str
    measure: str | None = Field(description="Null: the line comes from the plan's terms (a cap, a guarantee, "
                                            "objectives), not from credits.")
    for_period: str
    kept: bool = Field(description="False when the run's credits were not kept (no lineage files).")
    count: int = Field(description="How many credits the measure counted in the month, in all pages.")
    items: list[CreditOut]


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=500, description="How many credits (at most 500).")
    offset: int = Field(0, ge=0, le=10**9, description="How many credits to skip.")


@router.get("/results/{earning_id}/lineage", response={200: LineageOut, **problems()},
            summary="The credits and deals behind an earning line")
def lineage(request, earning_id: Id, page: Query[PageIn]):
    """The credits the line's measure counted in the month the line is for, the largest first (`limit`,
    `offset`; `count` is the total), each with the deal credited. A year-to-date true-up can have none in its
    month. 404 for a line of someone you may not see in the line's month."""
    line = (Earning.objects.filter(pk=earning_id, run__status=CalculationRun.Status.SUCCEEDED)
            .select_related("participant", "plan_version__plan", "period", "for_period").first())
    if line is None or not visible_participants(request.user, line.period.end_date).filter(
            pk=line.participant_id).exists():
        raise Http404(f"No earning line {earning_id} that you may see.")
    shown = LineageOut(earning=line.pk, employee_id=line.participant.employee_id, component=line.component,
                       measure=None, for_period=line.for_period.name, kept=True, count=0, items=[])
    measured = credited_measure(line)
    if measured is None:
        return shown
    plan_code, shown.measure = measured
    found = measure_credit_page(line.run_id, plan_code, line.participant.employee_id, shown.measure,
                                line.for_period.start_date, line.for_period.end_date, page.offset, page.limit)
    if found is None:
        shown.kept = False
        return shown
    shown.count, credits = found
    shown.items = [_credit(credit) for credit in credits]
    return shown


def _credit(credit: CreditedDeal) -> CreditOut:
    deal = credit.transaction
    return CreditOut(external_id=credit.external_id, credit_date=credit.credit_date, rule=credit.rule,
                     value=credit.value, deal=None if deal is None else DealOut(
                         kind=deal.kind, booked_date=deal.booked_date, account=deal.account.external_id,
                         account_name=deal.account.name, product=deal.product.sku if deal.product_id else None,
                         amount=deal.amount, currency=deal.currency_id))
