"""What-if in the browser: a draft beside the live plan over the fiscal year to a month (`compare_draft`, as
`attain plan compare` does): the cost, its spread over payees, the payees whose pay changes most, and charts.

Nothing is stored (a what-if is a copy, never an edit), so the page is a GET that finance may open too. The
comparison calculates both plans over the year's data, which takes seconds on a large company: the form posts
with htmx and shows "Comparing…" meanwhile; without JavaScript the page simply loads when it is done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attain.apps.calc.services import CalculationError
from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.plans.models import Plan, PlanVersion
from attain.apps.plans.services import PlanFileError, compare_draft
from attain.apps.workspace.access import workspace_page
from attain.apps.workspace.plans_views import context
from attain.apps.workspace.plans_whatif_charts import cost_chart, payee_chart, spread_chart
from attain.engine.money import show_amount, show_percent
from attain.engine.whatif import Comparison

TOP = 10  # largest changes listed
QUANTILES = ("lowest", "25th percentile", "median", "75th percentile", "highest")


@dataclass(frozen=True)
class Change:
    participant: str
    name: str
    live: Decimal
    draft: Decimal

    @property
    def change(self) -> Decimal:
        return self.draft - self.live


@dataclass(frozen=True)
class Outcome:
    draft: PlanVersion
    live: PlanVersion
    month: str
    result: Comparison
    seconds: float

    def rows(self) -> list[tuple[str, str, str, str]]:
        live, draft = self.result.live, self.result.draft
        rows = [("Total earnings", show_amount(live.total), show_amount(draft.total),
                 show_amount(draft.total - live.total)),
                ("Payees", str(live.payees), str(draft.payees), str(draft.payees - live.payees))]
        if self.result.revenue:
            rows.append(("Cost of sales", *(show_percent(c.cost_of_sales(self.result.revenue)
                                                         .quantize(Decimal("0.0001"))) for c in (live, draft)), ""))
        rows += [(f"Payee {name}", show_amount(live.distribution[i]), show_amount(draft.distribution[i]),
                  show_amount(draft.distribution[i] - live.distribution[i])) for i, name in enumerate(QUANTILES)]
        return rows


def choices() -> dict:
    drafts = list(PlanVersion.objects.filter(status=PlanVersion.Status.DRAFT).select_related("plan")
                  .order_by("plan__code", "version"))
    plans = list(Plan.objects.filter(versions__status=PlanVersion.Status.PUBLISHED).distinct().order_by("code"))
    months = list(Period.objects.filter(kind=Period.Kind.MONTH).order_by("-start_date")
                  .values_list("name", "start_date"))
    today = timezone.localdate()  # by default the year to the month we are in
    default_month = next((name for name, start in months if start <= today), months[-1][0] if months else "")
    return {"drafts": drafts, "plans": plans, "months": [name for name, _end in months],
            "default_month": default_month}


def largest_changes(result: Comparison) -> list[Change]:
    top = result.differences[:TOP]
    names = {p.employee_id: f"{p.first_name} {p.last_name}" for p in
             Participant.objects.filter(employee_id__in=[row[0] for row in top]).only("employee_id", "first_name",
                                                                                      "last_name")}
    return [Change(participant, names.get(participant, ""), live, draft) for participant, live, draft in top]


def _compare(draft_id: str, against: str, month: str) -> tuple[Outcome | None, str]:
    draft = (PlanVersion.objects.filter(pk=draft_id, status=PlanVersion.Status.DRAFT).select_related("plan").first()
             if draft_id.isdigit() else None)
    if draft is None:
        return None, "Choose a draft version to compare (a published version is compared by making a draft of it)."
    started = time.perf_counter()
    try:
        live, result = compare_draft(draft.document, against, month)
    except (PlanFileError, CalculationError) as failure:
        return None, f"Cannot compare: {failure}"
    return Outcome(draft, live, month, result, time.perf_counter() - started), ""


@require_GET
@workspace_page
def whatif(request: HttpRequest) -> HttpResponse:
    chosen = {key: request.GET.get(key, "").strip() for key in ("draft", "against", "period")}
    options = choices()
    if not chosen["period"]:
        chosen["period"] = options["default_month"]
    if not chosen["against"] and chosen["draft"].isdigit():
        chosen["against"] = (PlanVersion.objects.filter(pk=chosen["draft"]).values_list("plan__code", flat=True)
                             .first() or "")
    outcome, error = (None, "")
    if request.GET.get("compare"):
        outcome, error = _compare(chosen["draft"], chosen["against"], chosen["period"])
    results = {"outcome": outcome, "error": error}
    if outcome:
        results |= {"changes": largest_changes(outcome.result), "rows": outcome.rows(),
                    "charts": [c for c in (cost_chart(outcome), spread_chart(outcome), payee_chart(outcome)) if c]}
    template = ("workspace/plans/_whatif_results.html" if request.headers.get("HX-Request")
                else "workspace/plans/whatif.html")
    return render(request, template, {**context(request), "workspace_section": "whatif", "chosen": chosen,
                                      **options, **results})
