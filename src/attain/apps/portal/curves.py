"""The rep's charts (attain.site.charts): the earnings trend on their home and a component's payout curve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.apps.portal.trend import Trend
from attain.engine.money import show_amount, show_percent
from attain.engine.payout_curve import CurvePoint
from attain.site.charts import COLOURS, Chart, Table, figure, graph_objects


def _f(amount: Decimal) -> float:
    """A figure for drawing only (the table and the text keep the exact amounts)."""
    return float(round(amount, 4))


def trend_chart(trend: Trend) -> Chart | None:
    if not any(m.calculated is not None or m.paid is not None for m in trend.months):
        return None
    go = graph_objects()
    names = [m.name for m in trend.months]
    traces = [
        go.Bar(x=names, y=[_f(m.calculated or 0) for m in trend.months], name="Calculated",
               marker={"color": COLOURS["accent"]}, hovertemplate="%{x}: %{y:,.2f}<extra>calculated</extra>"),
        go.Bar(x=names, y=[_f(m.paid or 0) for m in trend.months], name="Paid", marker={"color": COLOURS["good"]},
               hovertemplate="%{x}: %{y:,.2f}<extra>paid</extra>"),
        go.Scatter(x=names, y=[None if m.cumulative is None else _f(m.cumulative) for m in trend.months],
                   name="Calculated, year to date",
                   mode="lines+markers", line={"color": COLOURS["ink"], "width": 2}, yaxis="y",
                   hovertemplate="%{x}: %{y:,.2f}<extra>to date</extra>")]
    if trend.target is not None:
        traces.append(go.Scatter(x=names, y=[_f(m.target_to_date) for m in trend.months], name="Target, year to date",
                                 mode="lines", line={"color": COLOURS["budget"], "dash": "dash", "width": 2},
                                 hovertemplate="%{x}: %{y:,.2f}<extra>target</extra>"))
    drawn = figure(traces, height=320, barmode="group", xaxis={"type": "category"},
                   yaxis={"title": {"text": trend.currency}, "rangemode": "tozero", "tickformat": ",.0f"})
    done = [m for m in trend.months if m.calculated is not None]
    last = done[-1] if done else trend.months[0]
    summary = f"Earned {show_amount(last.cumulative or 0)} {trend.currency} in FY{trend.fiscal_year} to {last.name}"
    if trend.target is not None and last.target_to_date and last.cumulative is not None:
        summary += (f", against {show_amount(last.target_to_date)} of target to date "
                    f"({show_percent((last.cumulative / last.target_to_date).quantize(Decimal('0.001')))})")
    rows = tuple((m.name, "—" if m.calculated is None else show_amount(m.calculated),
                  "—" if m.paid is None else show_amount(m.paid), "—" if m.cumulative is None else show_amount(m.cumulative),
                  "—" if m.target_to_date is None else show_amount(m.target_to_date)) for m in trend.months)
    table = Table(("Month", "Calculated", "Paid", "Calculated, year to date", "Target, year to date"), rows,
                  (False, True, True, True, True))
    return Chart("earnings-trend", f"My earnings by month, FY{trend.fiscal_year}", summary + ".", drawn, table,
                 height=320, notes=("Calculated: the latest calculation of each month (a month not yet paid may "
                                    "change). Paid: the month's payment, after draws, holds and adjustments.",))


def payout_curve_chart(key: str, component: str, points: list[CurvePoint], currency: str,
                       current: Decimal | None, day: date) -> Chart:
    go = graph_objects()
    xs = [_f(p.attainment * 100) for p in points]
    traces = [go.Scatter(x=xs, y=[_f(p.payout) for p in points], name="Payout", mode="lines+markers",
                         line={"color": COLOURS["accent"], "width": 2},
                         hovertemplate="%{x}% of quota: %{y:,.2f}<extra>payout</extra>")]
    shapes = []
    if current is not None:
        shapes.append({"type": "line", "x0": _f(current * 100), "x1": _f(current * 100), "yref": "paper", "y0": 0,
                       "y1": 1, "line": {"color": COLOURS["warn"], "width": 2, "dash": "dot"}})
    drawn = figure(traces, height=300, shapes=shapes,
                   xaxis={"title": {"text": "Attainment (% of quota)"}, "ticksuffix": "%"},
                   yaxis={"title": {"text": f"Payout ({currency})"}, "rangemode": "tozero", "tickformat": ",.0f"})
    top = points[-1]
    summary = (f"What the component pays at attainment from 0% to {show_percent(top.attainment)} of quota, "
               f"from the rate table valid on {day:%-d %B %Y}; at {show_percent(top.attainment)} it pays "
               f"{show_amount(top.payout)} {currency}")
    if current is not None:
        summary += f". You are at {show_percent(current.quantize(Decimal('0.001')))} (the dotted line)"
    rows = tuple((show_percent(p.attainment), show_amount(p.base), show_amount(p.payout),
                  "—" if p.rate is None else show_percent(p.rate.quantize(Decimal("0.00001")))) for p in points)
    return Chart(f"payout-curve-{key}", f"Payout curve: {component}", summary + ".", drawn,
                 Table(("Attainment", "Value", "Payout", "Effective rate"), rows, (True, True, True, True)), height=300)
