"""The results browser: a month's latest successful run, line by line (participant, plan, component), with
totals per currency, filters, sorting, pages, a CSV of what is filtered, and the run's exceptions. Each line
links to its explanation and lineage on the portal's earning page.
"""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from attain.apps.imports.rejects import neutralise
from attain.apps.workspace import results_query as query
from attain.apps.workspace.access import may_act, workspace_page

PER_PAGE = 50
CSV_COLUMNS = ["earning_id", "employee_id", "first_name", "last_name", "position", "plan", "plan_version", "component",
               "kind", "for_period", "base", "quota", "amount_precise", "amount", "currency"]


@require_GET
@workspace_page
def results(request: HttpRequest) -> HttpResponse:
    months = list(query.months()[:36])
    period = _chosen_month(request, months)
    run = query.latest_run(period) if period else None
    chosen = query.Filters.of(request.GET)
    context = {"workspace_section": "results", "may_act": may_act(request.user), "months": months, "period": period,
               "run": run, "chosen": chosen, "sorts": query.SORTS}
    if run is not None:
        found = query.lines(run, period, chosen)
        filters = {"period": period.name, **{name: getattr(chosen, name) for name in query.FILTERS
                                             if getattr(chosen, name)}}
        context |= {"page": Paginator(query.shown(found), PER_PAGE).get_page(request.GET.get("page")),
                    "totals": query.totals(found), "choices": query.choices(run, period),
                    "query": urlencode(filters | {"sort": chosen.sort}), "filters": urlencode(filters)}
    return render(request, "workspace/data/results.html", context)


@require_GET
@workspace_page
def results_csv(request: HttpRequest) -> HttpResponse:
    """Every line the filters keep, as CSV (amounts as exact decimals)."""
    months = list(query.months())
    period = _chosen_month(request, months)
    run = query.latest_run(period) if period else None
    if run is None:
        return HttpResponse("There are no results for that month: calculate it first.\n", status=404,
                            content_type="text/plain; charset=utf-8")
    found = query.shown(query.lines(run, period, query.Filters.of(request.GET)))
    response = StreamingHttpResponse(_rows(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="earnings-{period.name}-run-{run.pk}.csv"'
    return response


def _rows(found):
    out = _Line()
    writer = csv.writer(out)
    yield writer.writerow(CSV_COLUMNS)
    for e in found.iterator(chunk_size=2000):
        yield writer.writerow([e.pk, neutralise(e.participant.employee_id), neutralise(e.participant.first_name),
                               neutralise(e.participant.last_name), neutralise(e.position.code),
                               e.plan_version.plan.code, e.plan_version.version, neutralise(e.component), e.kind,
                               e.for_period.name, e.base, "" if e.quota is None else e.quota, e.amount,
                               e.amount_rounded, e.currency_id])


class _Line:
    """A file-like object whose write returns the line (for streaming csv rows)."""

    def write(self, line: str) -> str:
        return line


def _chosen_month(request: HttpRequest, months):
    asked = request.GET.get("period", "").strip().upper()
    return next((m for m in months if m.name == asked), months[0] if months and not asked else None)
