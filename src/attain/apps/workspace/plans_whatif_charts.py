"""The what-if page's charts (attain.site.charts): cost to date, the spread of pay over payees, and the payees whose
pay changes most, live beside draft. Each with its caption, aria-label and the table of its numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from attain.engine.money import show_amount
from attain.site.charts import COLOURS, Chart, Table, figure, graph_objects

if TYPE_CHECKING:
    from attain.apps.workspace.plans_whatif import Outcome

QUANTILES = ("lowest", "25th pct", "median", "75th pct", "highest")
PAYEES_DRAWN = 20


def _pair(go, x, live, draft, **more) -> list:
    return [go.Bar(x=x, y=[float(v) for v in live], name="live", marker={"color": COLOURS["budget"]}, **more),
            go.Bar(x=x, y=[float(v) for v in draft], name="draft", marker={"color": COLOURS["accent"]}, **more)]


def _change(live, draft) -> str:
    return show_amount(draft - live)


def cost_chart(outcome: Outcome) -> Chart:
    go = graph_objects()
    live, draft = outcome.result.live.total, outcome.result.draft.total
    traces = [go.Bar(x=["live", "draft"], y=[float(live), float(draft)],
                     marker={"color": [COLOURS["budget"], COLOURS["accent"]]}, name="total earnings")]
    drawn = figure(traces, height=260, showlegend=False, yaxis={"title": {"text": outcome.live.plan.currency_id},
                                                                  "rangemode": "tozero"})
    direction = "more" if draft > live else "less" if draft < live else "the same"
    summary = (f"To {outcome.month}, the draft pays {show_amount(draft)} against {show_amount(live)} live: "
               f"{show_amount(abs(draft - live)) + ' ' if draft != live else ''}{direction}.")
    table = Table(("Plan", "Total earnings", "Change"), (("live", show_amount(live), ""),
                                                         ("draft", show_amount(draft), _change(live, draft))),
                  (False, True, True))
    return Chart("whatif-cost", "Cost to date, live and draft", summary, drawn, table, height=260)


def spread_chart(outcome: Outcome) -> Chart | None:
    live, draft = outcome.result.live, outcome.result.draft
    if not (live.payees or draft.payees):
        return None
    go = graph_objects()
    drawn = figure(_pair(go, list(QUANTILES), live.distribution, draft.distribution), height=300, barmode="group",
                   yaxis={"title": {"text": f"Pay per payee ({outcome.live.plan.currency_id})"}})
    summary = (f"The median payee earns {show_amount(draft.distribution[2])} on the draft against "
               f"{show_amount(live.distribution[2])} live; the highest {show_amount(draft.distribution[4])} against "
               f"{show_amount(live.distribution[4])}.")
    rows = tuple((name, show_amount(a), show_amount(b), _change(a, b))
                 for name, a, b in zip(QUANTILES, live.distribution, draft.distribution, strict=True))
    return Chart("whatif-spread", "Pay per payee, from lowest to highest", summary, drawn,
                 Table(("Payee", "Live", "Draft", "Change"), rows, (False, True, True, True)), height=300,
                 notes=("Percentiles interpolate between the two nearest payees, like numpy's default.",))


def payee_chart(outcome: Outcome) -> Chart | None:
    changed = outcome.result.differences[:PAYEES_DRAWN]
    if not changed:
        return None
    go = graph_objects()
    names = [row[0] for row in changed]
    drawn = figure(_pair(go, names, [r[1] for r in changed], [r[2] for r in changed]), height=340, barmode="group",
                   xaxis={"type": "category", "tickangle": -45},
                   yaxis={"title": {"text": f"Earnings to date ({outcome.live.plan.currency_id})"}})
    first = changed[0]
    summary = (f"The {len(changed)} payees whose pay changes most; the largest change is {first[0]}'s, "
               f"{show_amount(first[1])} live and {show_amount(first[2])} on the draft.")
    rows = tuple((p, show_amount(a), show_amount(b), _change(a, b)) for p, a, b in changed)
    return Chart("whatif-payees", "Payout per payee, live and draft", summary, drawn,
                 Table(("Payee", "Live", "Draft", "Change"), rows, (False, True, True, True)), height=340,
                 notes=("Payees in order of the size of their change, largest first.",))
