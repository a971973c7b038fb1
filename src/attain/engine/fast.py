"""The fast path of `calculate`: measures summed per position and day, components rated in SQL.

The Decimal path (calculate.py) credits every transaction, rolls each one up, fetches every measure
row into Python and applies the rate table month by month in Decimal. For what the fast path knows,
the same numbers come out of one Ibis query instead:

- a measure that adds credits up (`aggregate: sum`, a filter that does not test a credit's `value`)
  is summed from credits summed per rule, position and day (`crediting.sums`), roll-ups included;
- a component on such a measure whose rate table compiles (`rates.to_ibis`) and whose quota cannot
  change within its scope is rated in the same query: its earned-to-date is a column of the rows.

Everything else (other aggregates, kickers, curves, dated tables, caps paid over a window or carried
forward, components or plans with fields this module does not know) goes through the Decimal path,
per measure and per component, and so does every participant whose quota or target incentive is
prorated (days held, less leave) or whose row SQL could not rate exactly (NULL): the whole series of
that participant is then recomputed by `calculate._earn`. Per-transaction components (clawbacks
included) are rated line by line in Python on either path. Earnings carry the same lazy explanation,
built in Decimal from the base when someone reads it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from attain.engine.arrow_rows import arrow_rows
from attain.engine.crediting.engine import CREDIT_COLUMNS
from attain.engine.crediting.inputs import VALUE
from attain.engine.crediting.sums import SUM_KEYS, credit_sums
from attain.engine.earnings import Earning
from attain.engine.expressions.decimals import literal
from attain.engine.measures import Measure, holders_on_credit_date, measure_credits
from attain.engine.plan_terms import assigned_credits
from attain.engine.plans.terms import SCOPE_WINDOW
from attain.engine.rates.to_ibis import parameter_names, parameters, payout_expr, unsupported
from attain.engine.tenure import Tenure, prorated_target

ZERO = Decimal(0)
TO_DATE = {"period": "total", "quarter_to_date": "qtd_total", "year_to_date": "ytd_total"}
# quota levels that stay the same through a scope's months (so quiet months change nothing)
STEADY_QUOTAS = {"period": {None, "period", "quarter", "year"}, "quarter_to_date": {None, "quarter", "year"},
                 "year_to_date": {None, "year"}}
# the fields of a Component and a Plan this module knows; any other field set off its default: Decimal path
# cap_per and cap_carry: a cap over a longer window or carrying its excess forward (cap_window) is not rated;
# clawback: only per-transaction components have one, and they are rated in Python on either path
KNOWN_COMPONENT = {"name", "type", "measure", "scope", "quota", "tables", "gate", "cap", "payout", "kicker",
                   "prorate_quota", "cap_per", "cap_carry", "clawback", "prorate_target"}
# the plan's cap and guarantee apply to the earnings afterwards, on either path
KNOWN_PLAN = {"code", "name", "currency", "timing", "credit_rules", "measures", "components", "text", "cap",
              "guarantee", "prorate_target"}
LARGEST = Decimal(10) ** 18  # quotas and targets in SQL: at most 18 digits before and after the point
COLUMN_TYPES = {"transaction_id": "int64", "level": "int8", "share": "decimal(15,8)", "value": VALUE,
                "credit_date": "date", "attribution_date": "date", "is_reversal": "boolean", "qualified": "boolean"}


class FastPath:
    """Which measures are summed and which components rated in SQL, for one plan; and their rows."""

    def __init__(self, plan, inputs, enabled: bool = True) -> None:
        self.plan, self.inputs = plan, inputs
        self.keys: set[str] = set()
        self.measures: dict[str, Measure] = {}
        self.rated: dict[str, object] = {}  # component name → component
        self.columns: dict[str, str] = {}
        self._month_keys: dict[str, list[tuple]] = {}
        if not enabled or _unknown_fields(plan, KNOWN_PLAN):
            return
        for measure in plan.measures:
            columns = _filter_columns(measure)
            if measure.aggregate == "sum" and columns is not None and "value" not in columns:
                self.measures[measure.name] = measure
                self.keys |= columns - set(SUM_KEYS)
        for component in plan.components:
            if (component.measure in self.measures and component.scope in TO_DATE
                    and component.quota in STEADY_QUOTAS[component.scope]
                    and not _unknown_fields(component, KNOWN_COMPONENT) and not component.cap_window
                    and unsupported(component) is None):
                self.rated[component.name] = component
        self.columns = {name: f"rated_{i}" for i, name in enumerate(self.rated)}

    def rows(self, values: Table, months: Table) -> list[dict]:
        """The measure rows `calculate` reads: SQL sums (with the rated columns) and the other measures' rows."""
        slow = [m.name for m in self.plan.measures if m.name not in self.measures]
        rows = arrow_rows(values.filter(values.measure.isin(slow)).to_pyarrow()) if slow else []
        if self.measures:
            rows += arrow_rows(self.query(months).to_pyarrow())
        return rows

    def query(self, months: Table) -> Table:
        """One row per measure, participant, position and month with credits: to-date sums, rated columns."""
        inputs = self.inputs
        sums = credit_sums(inputs.crediting, list(self.plan.credit_rules), self.plan.timing, tuple(sorted(self.keys)))
        sums = holders_on_credit_date(assigned_credits(sums, inputs.assignments), inputs.holders)
        tables = {name: self._measure(sums, months, m) for name, m in self.measures.items()}
        types = {c: t[c].type() for t in tables.values() for c in self.columns.values() if c in t.columns}
        return ibis.union(*(t.select(
            measure=ibis.literal(name), participant=t.participant, position=t.position, period=t.period,
            **{c: t[c] if c in self._read(name) else ibis.null(VALUE) for c in TO_DATE.values()},
            **{c: t[c] if c in t.columns else ibis.null(types[c]) for c in self.columns.values()},
        ) for name, t in tables.items()))

    def _read(self, measure: str) -> set[str]:
        """The to-date columns the components read of a measure (as theirs or as their kicker's)."""
        return {TO_DATE[c.scope] for c in self.plan.components if c.scope in TO_DATE and (
            c.measure == measure or measure in c.other_measures)}

    def _measure(self, sums: Table, months: Table, measure: Measure) -> Table:
        """Month and to-date sums of a measure per participant and position, with its components' rated columns."""
        chosen = measure_credits(sums, measure)
        if _calendar(self.inputs.months):
            monthly = _by_calendar_month(chosen, months)
        else:
            monthly = _by_month(chosen, months)
        read = self._read(measure.name)
        by_quarter = ibis.cumulative_window(group_by=["participant", "position", "quarter"], order_by="period_start")
        by_year = ibis.cumulative_window(group_by=["participant", "position", "fiscal_year"], order_by="period_start")
        windows = {"qtd_total": by_quarter, "ytd_total": by_year}
        monthly = monthly.mutate(**{c: monthly.total.sum().over(w).cast(VALUE) if c in read else ibis.null(VALUE)
                                    for c, w in windows.items()})  # only the to-date sums that are read
        for component in (c for c in self.rated.values() if c.measure == measure.name):
            monthly = self._rate(monthly, component)
        return monthly

    def _rate(self, monthly: Table, component) -> Table:
        """The rows with the component's earned-to-date (NULL: computed in Python) in its rated column."""
        n, base = self.columns[component.name], TO_DATE[component.scope]
        names = parameter_names(component)
        if component.tables[0][1].basis == "attainment":
            params = self._by_quota(component, names)
            name = {"period": monthly.period, "quarter": monthly.quarter,
                    "year": ibis.literal("FY").concat(monthly.fiscal_year.cast("string"))}[component.quota]
            on = [monthly.position == params.position, name == params.quota_name]
        elif "target" in names or component.cap is not None and component.cap.kind != "amount":
            params = self._by_target(component, names)
            on = [monthly.position == params.position]
        else:  # the same numbers for every row
            values = parameters(component, None, None)
            if values is None:
                return monthly.mutate(**{n: ibis.null(VALUE)})
            return monthly.mutate(**{n: payout_expr(component, monthly[base], lambda k: (
                _exact_below(values[k]) if k == "exact_below" else _literal(values[k])))})
        joined = monthly.left_join(params, on).select(*monthly.columns, **{f"{n}_{k}": params[k] for k in names})
        earned = payout_expr(component, joined[base], lambda k: joined[f"{n}_{k}"])
        return joined.mutate(**{n: earned}).drop(*(f"{n}_{k}" for k in names))

    def _by_quota(self, component, names: list[str]) -> Table:
        rows, known = [], {}
        targets = self.inputs.targets if "target" in names or component.cap is not None else {}
        for (position, name, measure), quota in self.inputs.quotas.items():
            if measure == component.measure:
                rows.append((position, name, _parameters_of(component, quota, targets.get(position), names, known)))
        return _parameters(rows, names)

    def _by_target(self, component, names: list[str]) -> Table:
        known = {}
        return _parameters([(p, None, _parameters_of(component, None, t, names, known))
                            for p, t in self.inputs.targets.items()], names)

    def earn(self, component, participant: str, position: str, by_month: dict[str, dict], result,
             rounding: tuple[int, str], read, tenure: Tenure) -> None:
        """`calculate._earn` for a rated component: the same earnings, with the rated amounts read from the rows."""
        from attain.engine import calculate as decimal_path  # the Decimal path: fallbacks

        column, rated, inputs = TO_DATE[component.scope], self.columns[component.name], self.inputs
        annual = inputs.targets.get(position)
        quotas, targets, chosen = {}, {}, []
        for month, span, key, window in self._months(component):
            row = by_month.get(month.period)
            if row is None:
                continue
            if span not in quotas:
                quotas[span] = _quota(component, position, month, inputs, tenure, span, decimal_path._quota)
            if window not in targets:  # SQL rates with the full target: a prorated one is the Decimal path's
                targets[window] = prorated_target(component, annual, window, tenure)[1]
            quota, prorated = quotas[span]
            amount = row[rated]
            if amount is None or prorated or targets[window]:
                decimal_path._earn(component, participant, position, by_month, inputs, result, rounding, read, {},
                                   tenure)
                return
            chosen.append((month, key, row[column], amount, quota))
        earned: dict[str, Decimal] = {}
        target, name, append = inputs.targets.get(position), component.name, result.earnings.append
        for month, key, base, amount, quota in chosen:
            before = earned.get(key, ZERO)
            earned[key] = amount
            append(Earning(participant, position, name, month.period, base, quota, amount, before, amount - before,
                           partial(_explain, component, month.end_date, base, quota, before, target), rounding))

    def _months(self, component) -> list[tuple]:
        """(month, the span of its quota, its scope key, its scope's span) for each month, once per component."""
        found = self._month_keys.get(component.name)
        if found is None:
            scope = SCOPE_WINDOW[component.scope]
            found = [(m, component.quota and m.span_of(component.quota), m.name_of(scope), m.span_of(scope))
                     for m in self.inputs.months]
            self._month_keys[component.name] = found
        return found


def _calendar(months) -> bool:
    """Whether every month runs from the 1st to the last day of a calendar month."""
    return all(m.start_date.day == 1 and m.end_date.month == m.start_date.month
               and (m.end_date + timedelta(days=1)).day == 1 for m in months)


def _by_month(credits: Table, months: Table) -> Table:
    """Credits summed per participant, position and month, each credit in the month holding its date."""
    in_month = (months.start_date <= credits.credit_date) & (credits.credit_date <= months.end_date)
    dated = credits.inner_join(months, in_month).select(
        "participant", "position", "value", period_start=months.start_date, period=months.period,
        quarter=months.quarter, fiscal_year=months.fiscal_year)
    carried = {c: dated[c].arbitrary() for c in ("period", "quarter", "fiscal_year")}
    return dated.group_by(["participant", "position", "period_start"]).aggregate(
        total=dated.value.sum().cast(VALUE), **carried)


def _by_calendar_month(credits: Table, months: Table) -> Table:
    """`_by_month` for calendar months: summed per first day of the month, then named (no range join)."""
    first = credits.credit_date.truncate("M").name("period_start")
    summed = credits.group_by(["participant", "position", first]).aggregate(total=credits.value.sum().cast(VALUE))
    named = summed.inner_join(months, summed.period_start == months.start_date)
    return named.select("participant", "position", "period_start", "total", period=months.period,
                        quarter=months.quarter, fiscal_year=months.fiscal_year)


def _explain(component, day: date, base: Decimal, quota: Decimal | None, before: Decimal, target) -> str:
    """The Decimal path's explanation of a rated earning (built when read)."""
    from attain.engine import calculate as decimal_path

    return decimal_path._explain(component, decimal_path._payout(component, day, base, quota, target, {}), base,
                                 quota, before)


def _quota(component, position: str, month, inputs, tenure: Tenure, span, quota_in_force) -> tuple[Decimal | None, str]:
    """`calculate._quota`, without its day counting when the tenure covers the quota's whole span (no leave in it)."""
    if component.quota is None:
        return None, ""
    name = month.name_of(component.quota)
    if span is not None and tenure and component.prorate_quota and not tenure.covers(*span):
        return quota_in_force(component, position, month, inputs, tenure)
    return inputs.quotas.get((position, name, component.measure)), ""


class LazyRows(Sequence):
    """The rows of a query, fetched the first time they are read (a run's measures are rarely read)."""

    def __init__(self, query: Table) -> None:
        self.query, self._rows = query, None

    @property
    def rows(self) -> list[dict]:
        if self._rows is None:
            self._rows = arrow_rows(self.query.to_pyarrow())
        return self._rows

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __eq__(self, other: object) -> bool:
        return list(self.rows) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"LazyRows({len(self.rows)} rows)" if self._rows is not None else "LazyRows(not fetched)"


def _parameters_of(component, quota, target, names: list[str], known: dict) -> tuple | None:
    """`parameters` and the places of each, once per distinct quota and target (as written: 1E+3 and 1000
    differ in places); None where Python must compute (no parameters, or one too large for SQL)."""
    key = (str(quota), str(target))
    if key not in known:
        values = parameters(component, quota, target)
        places = values and [-int(values[k].as_tuple().exponent) for k in names]  # once per value: it is slow
        fits = values is not None and all(p <= 18 and abs(values[k]) <= LARGEST for k, p in zip(names, places, strict=True))
        known[key] = (values, places) if fits else None
    return known[key]


def _parameters(rows: list[tuple], names: list[str]) -> Table:
    """position, quota_name and the `parameters` values of each quota; no row where Python must compute."""
    kept = [(position, name, found) for position, name, found in rows if found is not None]
    columns = {"position": pa.array([r[0] for r in kept], pa.string()),
               "quota_name": pa.array([r[1] for r in kept], pa.string())}
    for i, k in enumerate(names):
        values = [min(r[2][0][k], LARGEST) if k == "exact_below" else r[2][0][k] for r in kept]
        scale = 12 if k == "exact_below" else max([0, *(r[2][1][i] for r in kept)])
        columns[k] = _decimals(values, scale)
    return ibis.memtable(pa.table(columns))


def _decimals(values: list[Decimal], scale: int) -> pa.Array:
    """Decimals as an Arrow decimal column, through their text (much faster than from Decimal objects), and
    as exact (a value with more places than `scale` raises instead of being rounded)."""
    return pa.array([str(v) for v in values], pa.string()).cast(pa.decimal128(38, scale))


def _literal(value: Decimal) -> ibis.Expr:
    return literal(value).cast(f"decimal(38,{max(0, -int(value.as_tuple().exponent))})")


def _exact_below(value: Decimal) -> ibis.Expr:
    return ibis.literal(min(value, LARGEST), type=VALUE)  # compared with a base: the same type, no cast


def _unknown_fields(thing, known: set[str]) -> bool:
    """Whether a plan or component uses a field added after this module (set off its default)."""
    for f in dataclasses.fields(thing):
        if f.name in known:
            continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
        if default is dataclasses.MISSING or getattr(thing, f.name) != default:
            return True
    return False


class _Columns:
    """A credits table that records which columns a measure filter reads."""

    def __init__(self, table: Table) -> None:
        self.table, self.names = table, set()

    def __getitem__(self, name: str):
        self.names.add(name)
        return self.table[name]

    def __getattr__(self, name: str):
        if name in self.table.columns:
            self.names.add(name)
        return getattr(self.table, name)


def _filter_columns(measure: Measure) -> set[str] | None:
    """The credit columns a measure's filter reads (None: it could not be told)."""
    if measure.filter is None:
        return set()
    schema = {c: COLUMN_TYPES.get(c, "string") for c in CREDIT_COLUMNS}
    columns = _Columns(ibis.table(schema, name="credits"))
    try:
        measure.filter(columns)
    except Exception:  # noqa: BLE001 - a filter that cannot be read this way stays on the Decimal path
        return None
    return columns.names
