"""The team page's charts (attain.site.charts): the attainment distribution and the earnings trend."""

from __future__ import annotations

from decimal import Decimal

from attain.apps.portal.team import Team
from attain.engine.money import show_amount
from attain.site.charts import COLOURS, Chart, Table, figure, graph_objects


def percent(fraction: Decimal | None) -> str:
    return "—" if fraction is None else f"{(fraction * 100).quantize(Decimal('0.1'))}%"


def distribution_chart(team: Team) -> Chart | None:
    if not team.measured:
        return None
    go = graph_objects()
    colours = [COLOURS["good"] if b.low >= 100 else COLOURS["warn"] if b.low >= team.threshold else COLOURS["bad"]
               for b in team.bins]
    bars = go.Bar(x=[b.label for b in team.bins], y=[b.count for b in team.bins], marker={"color": colours},
                  customdata=[", ".join(b.names) or "nobody" for b in team.bins],
                  hovertemplate="%{x}: %{y}<br>%{customdata}<extra></extra>", name="members")
    drawn = figure([bars], height=300, bargap=0.08, xaxis={"title": {"text": f"Attainment ({team.scope})"},
                                                         "type": "category", "tickangle": -45},
                   yaxis={"title": {"text": "Members"}, "dtick": 1 if max(b.count for b in team.bins) < 10 else None,
                          "rangemode": "tozero"})
    summary = (f"{team.at_quota} of {team.measured} at or above 100% of quota ({percent(team.share_at_quota)}); "
               f"{team.at_threshold} of {team.measured} at or above {team.threshold}% "
               f"({percent(team.share_at_threshold)}).")
    table = Table(("Attainment", "Members", "Who"), tuple((b.label, str(b.count), ", ".join(b.names)) for b in team.bins),
                  (False, True, False))
    return Chart("attainment-distribution", f"Attainment on {team.measure.replace('_', ' ')}, {team.month.name}",
                 summary, drawn, table, height=300,
                 notes=("Each bar counts attainment from its lower bound up to, not including, its upper bound. "
                        "Green: at or above quota; amber: at or above the threshold; red: below it.",))


def trend_chart(team: Team) -> Chart | None:
    budget = team.budget
    if budget is None or not budget.currencies or not budget.months:
        return None
    go = graph_objects()
    traces, rows = [], []
    several = len(budget.currencies) > 1
    for currency in budget.currencies:
        names = [f.month.name for f in budget.months]
        earned = [f.earned.get(currency, Decimal(0)) for f in budget.months]
        planned = [f.budget.get(currency, Decimal(0)) for f in budget.months]
        cumulative, cumulative_budget, total, total_budget = [], [], Decimal(0), Decimal(0)
        for month, amount, plan in zip(names, earned, planned, strict=True):
            total, total_budget = total + amount, total_budget + plan
            cumulative.append(total)
            cumulative_budget.append(total_budget)
            calculated = budget.months[len(cumulative) - 1].calculated
            rows.append((month, *((currency,) if several else ()),
                         show_amount(amount) if calculated else "not calculated", show_amount(total),
                         show_amount(total_budget)))
        suffix = f" ({currency})" if several else ""
        traces += [
            go.Bar(x=names, y=[_f(a) for a in earned], name=f"Earned in the month{suffix}",
                   marker={"color": COLOURS["accent"]}, hovertemplate="%{x}: %{y:,.2f}<extra>earned</extra>"),
            go.Scatter(x=names, y=[_f(a) for a in cumulative], name=f"Earned, year to date{suffix}", mode="lines+markers",
                       line={"color": COLOURS["ink"], "width": 2}, hovertemplate="%{x}: %{y:,.2f}<extra>to date</extra>"),
            go.Scatter(x=names, y=[_f(a) for a in cumulative_budget], name=f"Budget, year to date{suffix}",
                       mode="lines", line={"color": COLOURS["budget"], "dash": "dash", "width": 2},
                       hovertemplate="%{x}: %{y:,.2f}<extra>budget</extra>"),
        ]
    first = budget.currencies[0]
    drawn = figure(traces, height=320, barmode="group",
                   yaxis={"title": {"text": ", ".join(budget.currencies)}, "rangemode": "tozero", "tickformat": ",.0f"},
                   xaxis={"type": "category"})
    earned, to_date = budget.earned.get(first, Decimal(0)), budget.budget_to_date.get(first, Decimal(0))
    summary = (f"The team earned {show_amount(earned)} {first} in FY{team.month.fiscal_year} to {team.month.name}, "
               f"against a budget to date of {show_amount(to_date)} {first}"
               + (f" ({percent(earned / to_date)})." if to_date else "."))
    headings = ("Month", *(("Currency",) if several else ()), "Earned", "Earned, year to date", "Budget, year to date")
    numeric = (False, *((False,) if several else ()), True, True, True)
    return Chart("earnings-trend", "Team earnings by month against budget", summary, drawn,
                 Table(headings, tuple(rows), numeric), height=320)


def _f(amount: Decimal) -> float:
    """A figure for drawing only (the table and the text keep the exact amounts)."""
    return float(round(amount, 2))
