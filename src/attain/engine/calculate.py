"""A plan's earnings for a span of fiscal months: crediting → measures → components, explained.

Credits and measures are Ibis expressions (DuckDB by default); the per-participant month
arithmetic (rate tables, to-date true-up) runs in exact Decimal on the small measure table.
Transactions must already be in the plan's currency. Nothing here rounds but `Earning.rounded`,
the one boundary where a precise amount becomes a payable one.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from attain.engine.compiled import measure_rows
from attain.engine.crediting import CreditingInputs, credit_transactions
from attain.engine.earnings import Earning, attainment, formula_step, rate_on, then
from attain.engine.fast import FastPath, LazyRows
from attain.engine.measures import holders_on_credit_date, measure_values
from attain.engine.money import show_amount, show_percent
from attain.engine.per_transaction import transaction_earnings
from attain.engine.periods import fiscal_periods
from attain.engine.plan_terms import (
    apply_plan_terms,
    assigned_credits,
    eligible_credits,
    eligible_positions,
    mbo_earnings,
)
from attain.engine.plans.loading import Component, Plan
from attain.engine.plans.terms import SCOPE_WINDOW, CarriedCap, CumulativeCap, limit_text
from attain.engine.rates import Objective, RateError
from attain.engine.tenure import (
    NO_TENURE,
    Leave,
    Tenure,
    holds_in,
    prorated_target,
    tenures_on_plan,
    window_limit,
)

ZERO = Decimal(0)
SCOPE_COLUMNS = {"period": "total", "quarter_to_date": "qtd_total", "year_to_date": "ytd_total"}
CREDITING = "crediting_"  # the crediting inputs' names among a query's input tables
ITEM_COLUMNS = {"period": "items", "quarter_to_date": "qtd_items", "year_to_date": "ytd_items"}


@dataclass(frozen=True)
class Month:
    period: str
    quarter: str
    fiscal_year: int
    start_date: date
    end_date: date
    quarter_span: tuple[date, date] | None = None  # first and last day of the month's quarter
    year_span: tuple[date, date] | None = None  # first and last day of its fiscal year

    @property
    def year(self) -> str:
        return f"FY{self.fiscal_year}"

    def span_of(self, level: str) -> tuple[date, date] | None:
        return {"period": (self.start_date, self.end_date), "quarter": self.quarter_span, "year": self.year_span}[level]

    def name_of(self, level: str) -> str:
        """The name of the month's period, quarter or year (FY2026-M03, FY2026-Q1, FY2026)."""
        return {"period": self.period, "quarter": self.quarter, "year": self.year}[level]


@dataclass(frozen=True)
class CalcInputs:
    crediting: CreditingInputs
    holders: Table  # participant, position, valid_from, valid_to
    months: tuple[Month, ...]  # in order
    quotas: dict[tuple[str, str, str], Decimal]  # (position, period name, measure) → quota in force
    targets: dict[str, Decimal] = field(default_factory=dict)  # position → annual target incentive
    # (position, objectives period name such as FY2026-Q1) → the position's scored objectives (MBO)
    objectives: dict[tuple[str, str], tuple[Objective, ...]] = field(default_factory=dict)
    # participant → their leaves of absence that prorate, (first day, last day) both inclusive: their days do
    # not count when quotas, targets, guarantees and objectives are prorated (the holder keeps the credits)
    leaves: dict[str, tuple[Leave, ...]] = field(default_factory=dict)
    # position, valid_from, valid_to (null: open): the days each position is on the plan. Credits dated
    # outside them are not the plan's, and quotas, targets, guarantees and objectives are prorated by the
    # days on the plan. None: every position is on the plan every day (scenario files, engine tests).
    assignments: Table | None = None


ASSIGNMENTS = pa.schema([("position", pa.string()), ("valid_from", pa.date32()), ("valid_to", pa.date32())])


def assignments_table(rows) -> Table:
    """The `assignments` input from (position, valid_from, valid_to) rows (valid_to None: open)."""
    return ibis.memtable(pa.Table.from_pylist([dict(zip(ASSIGNMENTS.names, row, strict=True)) for row in rows],
                                              schema=ASSIGNMENTS))


@dataclass
class CalcResult:
    credits: Table
    measures: list[dict]
    earnings: list[Earning] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


def fiscal_months(fiscal_year: int, start_month: int = 1) -> tuple[Month, ...]:
    """The twelve months of a fiscal year, each with its quarter."""
    spans = fiscal_periods(fiscal_year, start_month)
    year, quarters = spans[0], {q.number: q for q in spans if q.kind == "quarter"}
    months = []
    for month in (p for p in spans if p.kind == "month"):
        quarter = quarters[(month.number - 1) // 3 + 1]
        months.append(Month(month.name, quarter.name, month.fiscal_year, month.start, month.end,
                            (quarter.start, quarter.end), (year.start, year.end)))
    return tuple(months)


def months_table(months: tuple[Month, ...]) -> Table:
    rows = [{"period": m.period, "quarter": m.quarter, "fiscal_year": m.fiscal_year, "start_date": m.start_date,
             "end_date": m.end_date} for m in months]
    return ibis.memtable(pa.Table.from_pylist(rows))


def calculate(plan: Plan, inputs: CalcInputs, rounding: tuple[int, str] = (2, "half_up"),
              positions: set[str] | None = None, fast: bool = True, check: bool = True,
              estimate: bool = False) -> CalcResult:
    """Earnings of every participant (or of those in `positions`, the plan's assigned seats) per month.

    For an estimate (a few thousand lines of inputs a full run has already checked), `estimate=True`
    keeps to the Decimal path (`fast=False`), skips the input checks (`check=False`: split totals,
    doubled splits, hierarchy loops), reads the inputs into memory and runs the measure query compiled
    once per plan and input schema (engine/compiled.py): the same results as without it.
    """
    with _collector_paused():
        return _calculate(plan, inputs, rounding, positions, fast and not estimate, check and not estimate, estimate)


def _calculate(plan: Plan, inputs: CalcInputs, rounding: tuple[int, str], positions: set[str] | None, fast: bool,
               check: bool, estimate: bool) -> CalcResult:
    months = months_table(inputs.months)
    tables = {**{CREDITING + name: getattr(inputs.crediting, name) for name in inputs.crediting.__dataclass_fields__},
              "holders": inputs.holders, "months": months}
    if inputs.assignments is not None:
        tables["assignments"] = inputs.assignments
    build = partial(_measure_query, plan, check=check)
    cached = measure_rows(plan, tables, build) if estimate else None
    if cached is not None:
        credits, values = cached
        return _earnings(plan, inputs, CalcResult(credits, values), values, FastPath(plan, inputs, enabled=False),
                         rounding, positions)
    credits, values = build(tables)
    # fast path (engine/fast.py): measures that add credits up are summed per day and their components rated in
    # SQL where they can be; the rows read below are the same, with the rated earnings as extra columns
    fast = FastPath(plan, inputs, enabled=fast)
    if fast.measures:
        result, values = CalcResult(credits, LazyRows(values)), fast.rows(values, months)
    else:
        values = values.to_pyarrow().to_pylist()  # only the columns the components read: 4× faster to convert
        result = CalcResult(credits, values)
    return _earnings(plan, inputs, result, values, fast, rounding, positions)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while a run makes its rows and earnings.

    A run makes hundreds of thousands of objects without cycles (rows, Decimals, earnings), and each
    collection they trigger scans every live object again, for nothing. Reference counting frees
    everything as usual; the collector resumes
    (if it was on) when the run ends. It is process-wide: a run in another thread is only slower.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _measure_query(plan: Plan, tables: dict[str, Table], check: bool = True) -> tuple[Table, Table]:
    """The credits and the measure values query of the Decimal path (the columns the components read).

    `tables`: the crediting inputs (named `CREDITING` + field), `holders` and `months`.
    """
    crediting = CreditingInputs(**{n[len(CREDITING):]: t for n, t in tables.items() if n.startswith(CREDITING)})
    credits = credit_transactions(crediting, list(plan.credit_rules), plan.timing, check=check)
    credits = assigned_credits(eligible_credits(plan, credits), tables.get("assignments"))
    credits = holders_on_credit_date(credits, tables["holders"])
    values = measure_values(credits, tables["months"], list(plan.measures))
    return credits, values.select("measure", "participant", "position", "period", *SCOPE_COLUMNS.values(),
                                  *ITEM_COLUMNS.values())


def _earnings(plan: Plan, inputs: CalcInputs, result: CalcResult, values: list[dict], fast: FastPath,
              rounding: tuple[int, str], positions: set[str] | None) -> CalcResult:
    """The components' earnings from the measure rows, then per-transaction, MBO and plan terms."""
    credits = result.credits
    positions = eligible_positions(plan, inputs, positions, result.exceptions)
    series = _series(values)
    tenures = tenures_on_plan(inputs.holders, inputs.leaves, inputs.assignments)
    read = _reader({m.name for m in plan.measures if m.aggregate == "average"})
    for (measure, participant, position), by_month in sorted(series.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if positions is not None and position not in positions:
            continue
        if participant is None:
            result.exceptions.append(f"credits to {position} while the position was vacant are not paid "
                                     f"({measure}: {', '.join(sorted(by_month))})")
            continue
        for component in (c for c in plan.components if c.measure == measure and c.scope != "per_transaction"):
            if component.name in fast.rated:  # rated in SQL (fast path)
                fast.earn(component, participant, position, by_month, result, rounding, read,
                          tenures.get((participant, position), NO_TENURE))
                continue
            side = {name: series.get((name, participant, position), {}) for name in component.other_measures}
            _earn(component, participant, position, by_month, inputs, result, rounding, read, side,
                  tenures.get((participant, position), NO_TENURE))
    measures = {m.name: m for m in plan.measures}
    for component in (c for c in plan.components if c.scope == "per_transaction"):
        transaction_earnings(component, measures[component.measure], credits, inputs, positions, rounding, result,
                             tenures)
    for component in (c for c in plan.components if c.objectives is not None):
        mbo_earnings(component, inputs, tenures, positions, rounding, result)
    apply_plan_terms(plan, inputs, tenures, positions, rounding, result)
    return result


def _reader(averages: set[str]):
    """A measure's value in a scope from its row: the total, or for an average measure total ÷ items."""
    def read(measure: str, row: dict, column: str, items: str) -> Decimal:
        return _average(row[column], row[items]) if measure in averages else row[column]
    return read


def _average(total: Decimal, items: Decimal) -> Decimal:
    """An average measure: total ÷ number of lines, in Decimal (28 significant digits); 0 with no lines."""
    return total / items if items else ZERO


def _series(values: list[dict]) -> dict[tuple, dict[str, dict]]:
    series: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for row in values:
        series[(row["measure"], row["participant"], row["position"])][row["period"]] = row
    return series


def _earn(component: Component, participant: str, position: str, by_month: dict[str, dict], inputs: CalcInputs,
          result: CalcResult, rounding: tuple[int, str], read, side: dict[str, dict[str, dict]],
          tenure: Tenure = NO_TENURE) -> None:
    column, items = SCOPE_COLUMNS[component.scope], ITEM_COLUMNS[component.scope]
    to_date: dict[str, Decimal] = {}  # scope key → latest measure to date (carried over quiet months)
    side_to_date: dict[str, dict[str, Decimal]] = defaultdict(dict)  # other measures read, likewise
    earned: dict[str, Decimal] = {}  # scope key → earned to date
    failed: dict[str, list[str]] = defaultdict(list)  # message → months
    annual = inputs.targets.get(position)
    window = _window_cap(component, annual)
    for month in inputs.months:
        key, row = month.name_of(SCOPE_WINDOW[component.scope]), by_month.get(month.period)
        if row is not None:
            to_date[key] = read(component.measure, row, column, items)
        for name, rows in side.items():
            if month.period in rows:
                side_to_date[name][key] = read(name, rows[month.period], column, items)
        if key not in to_date:
            if isinstance(window, CarriedCap) and window.carried:  # a quiet window: what the cap carried into it
                _carried_only(component, participant, position, month, window, ZERO, None, result, rounding, tenure)
            continue
        base, (quota, prorated) = to_date[key], _quota(component, position, month, inputs, tenure)
        target, target_text = prorated_target(component, annual, month.span_of(SCOPE_WINDOW[component.scope]), tenure)
        payout = _payout(component, month.end_date, base, quota, target,
                         {name: values.get(key, ZERO) for name, values in side_to_date.items()})
        if isinstance(payout, RateError) or isinstance(window, RateError):
            failed[(window if isinstance(window, RateError) else payout).message].append(month.period)
            continue
        before = earned.get(key, ZERO)
        earned[key] = payout.amount
        if row is None and payout.amount == before:
            if isinstance(window, CarriedCap) and window.carried:
                _carried_only(component, participant, position, month, window, base, quota, result, rounding,
                              tenure)
            continue
        explain = partial(_explain, component, payout, base, quota, before, prorated, target_text)
        paid_to_date, paid_before = payout.amount, before
        if isinstance(window, CarriedCap):
            paid_to_date, paid_before, explain = window.pay(month, payout.amount - before, explain,
                                                            holds_in(tenure, month))
        elif window is not None:
            limit = window_limit(component.cap, component.prorate_target, annual,
                                 month.span_of(component.cap_per), tenure)
            paid_to_date, paid_before, explain = window.pay(month.name_of(component.cap_per),
                                                            payout.amount - before, explain, component.cap_per, limit)
        result.earnings.append(Earning(participant, position, component.name, month.period, base, quota,
                                       paid_to_date, paid_before, paid_to_date - paid_before, explain, rounding))
    for message, months in failed.items():
        result.exceptions.append(f"{participant} ({position}), {component.name}, not paid for "
                                 f"{', '.join(months)}: {message}")


def _window_cap(component: Component, target: Decimal | None) -> CumulativeCap | CarriedCap | RateError | None:
    """For a cap over a window longer than the scope (e.g. a plan-year cap on a monthly commission), or one that
    carries its excess forward."""
    if not component.cap_window:
        return None
    limit = component.cap.limit(target)
    if isinstance(limit, RateError):
        return limit
    if component.cap_carry:
        return CarriedCap(limit, limit_text(component.cap, target), component.cap_per)
    return CumulativeCap(limit, limit_text(component.cap, target))


def _carried_only(component: Component, participant: str, position: str, month: Month, window: CarriedCap,
                  base: Decimal, quota: Decimal | None, result: CalcResult, rounding: tuple[int, str],
                  tenure: Tenure = NO_TENURE) -> None:
    """A month that earned nothing new: it pays what the cap carried as far as the cap leaves room, or forfeits
    what is still carried at the plan year's end; a line only when it does either."""
    forfeited = window.forfeited
    scope = "month" if component.scope == "period" else SCOPE_WINDOW[component.scope]
    paid, before, explain = window.pay(month, ZERO, lambda: f"{component.name}: nothing new earned this {scope}",
                                       holds_in(tenure, month))
    if paid != before or window.forfeited != forfeited:
        result.earnings.append(Earning(participant, position, component.name, month.period, base, quota, paid,
                                       before, paid - before, explain, rounding))


def _payout(component: Component, day: date, base: Decimal, quota: Decimal | None, target: Decimal | None,
            side: dict[str, Decimal]):
    """The table (or matrix) valid on `day`, × target, × kicker, then the cap: a Payout or Step, or an error."""
    earned = _rate(component, day, base, quota, side)
    if component.formula is not None and not isinstance(earned, RateError):
        earned = formula_step(component, earned, {"value": base, "quota": quota, "target": target,
                                                  "attainment": attainment(base, quota), **side})
    if isinstance(earned, RateError):
        return earned
    if component.payout == "percent_of_target":
        if target is None:
            return RateError("missing_target", "this component pays a percentage of target incentive; assign the "
                                               "position to the plan with its target incentive")
        amount = earned.amount * target
        earned = then("of_target", earned, amount, f"{earned.describe()} of target → {show_percent(earned.amount)} "
                                                    f"× {show_amount(target)} = {show_amount(amount)}")
    if component.kicker is not None:
        kicked = component.kicker.apply(earned.amount, side.get(component.kicker.measure, ZERO))
        if isinstance(kicked, RateError):
            return kicked
        earned = then("kicker", earned, kicked.amount, f"{earned.describe()}; {kicked.describe()}")
    if component.cap is not None and not component.cap_window:
        capped = component.cap.apply(earned.amount, target)
        if isinstance(capped, RateError):
            return capped
        earned = then("cap", earned, capped.amount, f"{earned.describe()}; {capped.describe()}", capped.excess)
    return earned


def _rate(component: Component, day: date, base: Decimal, quota: Decimal | None, side: dict[str, Decimal]):
    """What the component's matrix or rate table gives (None when only a formula says what is earned)."""
    if component.matrix is not None:
        return _matrix_rate(component, base, quota, side)
    return rate_on(component, day, base, quota) if component.tables else None


def _matrix_rate(component: Component, base: Decimal, quota: Decimal | None, side: dict[str, Decimal]):
    """The matrix cell's rate × the base; an attainment axis compares the base with its bands × the quota."""
    axes = (component.matrix.rows, component.matrix.columns)
    if any(a.measure == "attainment" for a in axes) and not quota:
        return RateError("missing_quota", "this matrix reads attainment; give the participant's quota (above 0)")
    values = [base if a.measure == "attainment" else side.get(a.measure, ZERO) for a in axes]
    quotas = tuple(quota if a.measure == "attainment" else None for a in axes)
    return component.matrix.apply(*values, base, quotas=quotas)


def _quota(component: Component, position: str, month: Month, inputs: CalcInputs,
           tenure: Tenure) -> tuple[Decimal | None, str]:
    """The quota in force, prorated by the days the participant held the position less leave (and how, to read)."""
    if component.quota is None:
        return None, ""
    quota = inputs.quotas.get((position, month.name_of(component.quota), component.measure))
    if quota is None or not component.prorate_quota:
        return quota, ""
    return tenure.prorate(quota, month.span_of(component.quota))


def _explain(component: Component, payout, base: Decimal, quota: Decimal | None, before: Decimal,
             prorated: str = "", target: str = "") -> str:
    described, earned = payout.describe(), payout.amount
    against = []
    if quota:
        attainment = (base / quota).quantize(Decimal("0.001"))  # for reading only; tiers compare amounts
        against.append(f"quota {prorated}{show_amount(quota)}, attainment {show_percent(attainment)}")
    if target:
        against.append(target)
    against = f" ({'; '.join(against)})" if against else ""
    if component.scope == "period":
        return f"{component.name}{against}: {described}"
    scope = component.scope.replace("_", " ")
    return (f"{component.name}, {scope}{against}: {described}; earned before {show_amount(before)}, "
            f"so this period {show_amount(earned - before)}")
