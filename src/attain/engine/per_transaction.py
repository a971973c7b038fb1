"""Per-transaction components: each credited line is rated on its own (deal commissions, SPIFFs).

The rate table is applied to every credit the measure counts, on its amount; a credit note is rated
as the mirror of its original, so it takes back exactly what the original earned. A month's earning
is the sum over its lines (then the component's cap, when it has one).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from decimal import Decimal

from ibis.expr.types import Table

from attain.engine.earnings import Earning, formula_step, rate_on
from attain.engine.measures import Measure, measure_credits
from attain.engine.money import show_amount
from attain.engine.rates import RateError
from attain.engine.tenure import NO_TENURE, Tenure, prorated_target

SHOWN = 3


def transaction_earnings(component, measure: Measure, credits: Table, inputs, positions: set[str] | None,
                         rounding: tuple[int, str], result, tenures: dict[tuple[str, str], Tenure] | None = None) -> None:
    """Add the component's monthly earnings (and its exceptions) to `result`.

    A cap in percent of target limits each month to the target prorated over the month (`tenures`: days held
    less leave), like a period-scope component's."""
    months, tenures = inputs.months, tenures or {}
    by_name = {m.period: m for m in months}
    starts = [m.start_date for m in months]
    rows = measure_credits(credits, measure)
    rows = rows.filter((rows.credit_date >= months[0].start_date) & (rows.credit_date <= months[-1].end_date))
    read = {"participant", "position", "external_id", "credit_date", "attribution_date", "value"}
    if component.formula is not None:
        read |= component.formula.fields - {"payout"}
    rows = rows.select(*sorted(read)).order_by(
        ["participant", "position", "credit_date", "external_id"]).to_pyarrow().to_pylist()
    lines: dict[tuple, list] = defaultdict(list)
    for row in rows:
        if positions is not None and row["position"] not in positions:
            continue
        month = months[bisect.bisect_right(starts, row["credit_date"]) - 1]
        lines[(row["participant"], row["position"], month.period)].append(row)
    for (participant, position, period), credited in lines.items():
        if participant is None:
            result.exceptions.append(f"credits to {position} while the position was vacant are not paid "
                                     f"({measure.name}: {period})")
            continue
        target, how = prorated_target(component, inputs.targets.get(position), by_name[period].span_of("period"),
                                      tenures.get((participant, position), NO_TENURE))
        earned = _rate_lines(component, credited, target)
        if isinstance(earned, RateError):
            result.exceptions.append(f"{participant} ({position}), {component.name}, not paid for {period}: "
                                     f"{earned.message}")
            continue
        amount, text = earned
        text = f"{text} ({how})" if how else text
        base = sum((r["value"] for r in credited), Decimal(0))
        result.earnings.append(Earning(participant, position, component.name, period, base, None, amount,
                                       Decimal(0), amount, lambda t=text: f"{component.name}, per transaction: {t}",
                                       rounding))


def _rate_lines(component, credited: list[dict], target) -> tuple[Decimal, str] | RateError:
    paid = []
    for row in credited:
        payout = rate_on(component, row["attribution_date"], row["value"]) if component.tables else None
        if component.formula is not None and not isinstance(payout, RateError):
            payout = formula_step(component, payout, row)
        if isinstance(payout, RateError):
            return payout
        paid.append((row, payout))
    total = sum((p.amount for _, p in paid), Decimal(0))
    largest = sorted(paid, key=lambda pair: (-abs(pair[1].amount), pair[0]["external_id"]))[:SHOWN]
    shown = "; ".join(f"{row['external_id']} {show_amount(row['value'])} → {show_amount(p.amount)}"
                      for row, p in largest)
    more = f"; and {len(paid) - SHOWN} more" if len(paid) > SHOWN else ""
    text = f"{len(paid)} line{'s' if len(paid) != 1 else ''} ({shown}{more}) = {show_amount(total)}"
    if component.cap is None:
        return total, text
    capped = component.cap.apply(total, target)
    if isinstance(capped, RateError):
        return capped
    return capped.amount, f"{text}; {capped.describe()}"
