"""Per-transaction components: each credited line is rated on its own (deal commissions, SPIFFs).

The rate table is applied to every credit the measure counts, on its amount; a credit note is rated
as the mirror of its original, so it takes back exactly what the original earned. With a `clawback`
term it takes that back only when it is dated within the window of days after the original's
crediting date, fully or pro rata to the contract months not served (`payments.clawbacks`, DOMAIN E5).
A month's earning is the sum over its lines, then the component's cap, when it has one; a cap that
carries its excess forward (`CarriedCap`) pays it in later months of the plan year, quiet ones too.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from ibis.expr.types import Table

from attain.engine.earnings import Earning, formula_step, rate_on
from attain.engine.measures import Measure, measure_credits
from attain.engine.money import show_amount
from attain.engine.payments.clawbacks import ClawbackPolicy, clawback, outside_window
from attain.engine.periods import whole_months_between
from attain.engine.plans.terms import CarriedCap, limit_text
from attain.engine.rates import RateError
from attain.engine.tenure import NO_TENURE, Tenure, holds_in, prorated_target

SHOWN = 3
ZERO = Decimal(0)


def transaction_earnings(component, measure: Measure, credits: Table, inputs, positions: set[str] | None,
                         rounding: tuple[int, str], result, tenures: dict[tuple[str, str], Tenure] | None = None) -> None:
    """Add the component's monthly earnings (and its exceptions) to `result`.

    A cap in percent of target limits each month to the target prorated over the month (`tenures`: days held
    less leave), like a period-scope component's."""
    months, tenures = inputs.months, tenures or {}
    starts = [m.start_date for m in months]
    rows = measure_credits(credits, measure)
    rows = rows.filter((rows.credit_date >= months[0].start_date) & (rows.credit_date <= months[-1].end_date))
    read = {"participant", "position", "external_id", "credit_date", "attribution_date", "value"}
    if component.formula is not None:
        read |= component.formula.fields - {"payout"}
    if component.clawback is not None:
        rows = _with_contracts(rows, inputs.crediting.transactions)
        read |= {"is_reversal", "contract_start", "contract_end"}
    rows = rows.select(*sorted(read)).order_by(
        ["participant", "position", "credit_date", "external_id"]).to_pyarrow().to_pylist()
    lines: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if positions is not None and row["position"] not in positions:
            continue
        month = months[bisect.bisect_right(starts, row["credit_date"]) - 1]
        lines[(row["participant"], row["position"])][month.period].append(row)
    for (participant, position), by_month in lines.items():
        if participant is None:
            result.exceptions.extend(f"credits to {position} while the position was vacant are not paid "
                                     f"({measure.name}: {period})" for period in by_month)
            continue
        _earn(component, participant, position, by_month, inputs, rounding, result,
              tenures.get((participant, position), NO_TENURE))


def _earn(component, participant: str, position: str, by_month: dict[str, list], inputs, rounding, result,
          tenure: Tenure) -> None:
    """One participant's months on one position: the lines' sum, capped (and carried) as the component says.

    A cap in percent of target limits each month to the target prorated over the month (days held less leave);
    a carried cap keeps the plan year's target."""
    annual = inputs.targets.get(position)
    carried = _carried_cap(component, annual)
    for month in inputs.months:
        credited = by_month.get(month.period)
        if credited is None and not (isinstance(carried, CarriedCap) and carried.carried):
            continue  # a quiet month pays only what a cap carried into it
        target, how = prorated_target(component, annual, month.span_of("period"), tenure)
        earned = _rate_lines(component, credited or [])
        if not isinstance(earned, RateError) and not isinstance(carried, CarriedCap):
            earned = _capped(component, *earned, target)
        if isinstance(carried, RateError) and credited:
            earned = carried
        if isinstance(earned, RateError):
            result.exceptions.append(f"{participant} ({position}), {component.name}, not paid for {month.period}: "
                                     f"{earned.message}")
            continue
        amount, text = earned
        text = f"{text} ({how})" if how else text
        explain = lambda t=text: f"{component.name}, per transaction: {t}"  # noqa: E731
        paid, before = amount, ZERO
        if isinstance(carried, CarriedCap):
            forfeited = carried.forfeited
            paid, before, explain = carried.pay(month, amount, explain, holds_in(tenure, month))
            if credited is None and paid == before and carried.forfeited == forfeited:
                continue  # nothing carried was paid or forfeited
        base = sum((r["value"] for r in credited or ()), ZERO)
        result.earnings.append(Earning(participant, position, component.name, month.period, base, None, paid, before,
                                       paid - before, explain, rounding))


def _carried_cap(component, target) -> CarriedCap | RateError | None:
    if component.cap is None or not component.cap_carry:
        return None
    limit = component.cap.limit(target)
    return limit if isinstance(limit, RateError) else CarriedCap(limit, limit_text(component.cap, target), "period")


def _capped(component, total: Decimal, text: str, target) -> tuple[Decimal, str] | RateError:
    """The month's total under the component's cap (what is above it is not paid)."""
    if component.cap is None:
        return total, text
    capped = component.cap.apply(total, target)
    if isinstance(capped, RateError):
        return capped
    return capped.amount, f"{text}; {capped.describe()}"


def _rate_lines(component, credited: list[dict]) -> tuple[Decimal, str] | RateError:
    """The month's lines rated one by one (credit notes clawed back when the component says so), and their sum."""
    paid, clawed = [], []
    for row in credited:
        payout = rate_on(component, row["attribution_date"], row["value"]) if component.tables else None
        if component.formula is not None and not isinstance(payout, RateError):
            payout = formula_step(component, payout, row)
        if isinstance(payout, RateError):
            return payout
        amount = payout.amount
        if component.clawback is not None and row["is_reversal"]:
            amount, why = _clawed_back(component.clawback, row, amount)
            clawed.append(f"{row['external_id']} {why}")
        paid.append((row, amount))
    if not paid:
        return ZERO, "no lines this month"
    total = sum((amount for _, amount in paid), ZERO)
    largest = sorted(paid, key=lambda pair: (-abs(pair[1]), pair[0]["external_id"]))[:SHOWN]
    shown = "; ".join(f"{row['external_id']} {show_amount(row['value'])} → {show_amount(amount)}"
                      for row, amount in largest)
    text = f"{len(paid)} line{'s' if len(paid) != 1 else ''} ({shown}{_more(paid)}) = {show_amount(total)}"
    if clawed:
        text += f"; clawback{'s' if len(clawed) != 1 else ''}: {'; '.join(clawed[:SHOWN])}{_more(clawed)}"
    return total, text


def _more(items: list) -> str:
    return f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else ""


def _clawed_back(policy: ClawbackPolicy, row: dict, mirrored: Decimal) -> tuple[Decimal, str]:
    """What a credit note takes back: its mirrored earning (negative), × the clawback's factor (1, a share, 0)."""
    booked, cancelled = row["attribution_date"], row["credit_date"]
    start, end = row["contract_start"], row["contract_end"]
    term = whole_months_between(start, end + timedelta(days=1)) if start and end else None
    taken = clawback(policy, -mirrored, booked, cancelled, term, start)
    if taken is None:
        return ZERO, outside_window(policy, booked, cancelled)
    return taken.amount, taken.text


def _with_contracts(rows: Table, transactions: Table) -> Table:
    """The credit rows with their original's contract dates (credit notes of transactions; empty on the others)."""
    t = transactions
    notes = t.filter(t.original_id.notnull()).select(note_id=t.id, original_id=t.original_id)
    originals = t.select(original=t.id, contract_start=t.contract_start, contract_end=t.contract_end)
    contracts = notes.inner_join(originals, notes.original_id == originals.original).select(
        "note_id", "contract_start", "contract_end")
    on = (rows.transaction_id == contracts.note_id) & (rows.source == "transaction") & rows.is_reversal
    return rows.left_join(contracts, on).select(*rows.columns, "contract_start", "contract_end")
