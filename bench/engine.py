"""The calculation engine on one plan year: 10,000,000 transactions, 10,000 payees.

Data (`bench/_scale_data.py`, shared with bench/scale.py; seeded, vectorised with numpy/pyarrow, exact
decimal128(15,4) money, written to Parquet in a child process so its memory does not count): 100 directors, 900 managers, 9,000 reps; one territory
per rep (1% change rep on 1 April); 100,000 accounts (5% move territory on a mid-year day); 2% of reps
change manager on 1 July; 1% of transactions are credit notes negating an earlier line.

Plan (a real plan document through `load_plan`): territory crediting as of the booking date, a
two-level manager roll-up, one year-to-date commission with marginal attainment tiers (2%, 5%,
an 8% and 12% accelerator) against an annual quota, trued up monthly. The plan language has no
`cap` field on a component (`attain.engine.rates.Cap` exists but `calculate` does not use it), so the
cap is written as a 0% tier above 200% of quota: earnings stop growing there.

Figures: the full-year `calculate` time, the process' peak RSS, rows/s; the same numbers computed by a
hand-written DuckDB SQL query on the same Parquet (checked to agree per payee and month to the cent);
the engine/SQL ratio; and an estimate: `calculate` for one rep, inputs filtered to its territory.
ATTAIN_BENCH_ENGINE_ROWS scales the transactions down for a quick run; ATTAIN_BENCH_ENGINE_DATA names a
folder (outside the repository) where the generated Parquet is kept and reused by later runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _scale_data import (  # noqa: E402
    Shape,
    data_folder,
    engine_inputs,
    ensure_data,
    label,
    load_bench_plan,
    mismatches,
    payee_month_totals,
    peak_rss_mb,
    read_quotas,
    sql_query,
    sql_totals,
)
from common import Figures  # noqa: E402

ROWS = int(os.environ.get("ATTAIN_BENCH_ENGINE_ROWS", 10_000_000))
DATA = os.environ.get("ATTAIN_BENCH_ENGINE_DATA")  # a folder to keep the generated data in (reused)
SHAPE = Shape.of(ROWS, 10_000)  # 100 directors, 900 managers, 9,000 reps, 100,000 accounts


# ------------------------------------------------------------------------------------------ engine


class Timings:
    """Wraps the steps `calculate` calls (same module names) with timers: no change to the engine."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def install(self):
        import attain.engine.calculate as calc

        saved = {name: getattr(calc, name) for name in ("credit_transactions", "holders_on_credit_date",
                                                       "measure_values", "_earn", "_series")}
        timings = self

        def timed(name, function):
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    timings.seconds[name] += time.perf_counter() - started
            return wrapper

        class Rows:  # what `.to_pyarrow()` returns: time the Arrow → Python dicts step
            def __init__(self, arrow):
                self.arrow = arrow

            def to_pylist(self):
                return timed("arrow_to_python_rows", self.arrow.to_pylist)()

        class Query:  # what `measure_values` returns: time running the SQL and fetching Arrow
            def __init__(self, expr):
                self.expr = expr

            def select(self, *columns):
                return Query(self.expr.select(*columns))

            def to_pyarrow(self):
                return Rows(timed("sql_crediting_and_measures_to_arrow", self.expr.to_pyarrow)())

        import attain.engine.fast as fast  # the fast path: its query (run and fetched) and its earnings

        saved["fast.rows"], saved["fast.earn"] = fast.FastPath.rows, fast.FastPath.earn
        fast.FastPath.rows = timed("fast_path_sql_sums_and_rates_to_python_rows", saved["fast.rows"])
        fast.FastPath.earn = timed("python_earnings_from_rated_rows", saved["fast.earn"])
        calc.credit_transactions = timed("build_credit_expressions_and_input_checks", saved["credit_transactions"])
        calc.holders_on_credit_date = timed("build_measure_expressions", saved["holders_on_credit_date"])
        calc.measure_values = lambda *a, **k: Query(timed("build_measure_expressions", saved["measure_values"])(*a, **k))
        calc._earn = timed("python_rates_and_true_up (Decimal path)", saved["_earn"])
        calc._series = timed("python_group_rows", saved["_series"])
        return saved

    @staticmethod
    def uninstall(saved) -> None:
        import attain.engine.calculate as calc
        import attain.engine.fast as fast

        fast.FastPath.rows, fast.FastPath.earn = saved.pop("fast.rows"), saved.pop("fast.earn")
        for name, function in saved.items():
            setattr(calc, name, function)


# -------------------------------------------------------------------------------------------- main


def main() -> int:
    import duckdb
    import ibis

    from attain.engine.calculate import calculate

    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="attain-bench-engine-") as name:
        folder = data_folder(Path(DATA), SHAPE) if DATA else Path(name)
        print(f"# data: {ROWS:,} transactions, {SHAPE.payees:,} payees, {ensure_data(folder, SHAPE)}", flush=True)
        plan = load_bench_plan()
        con = ibis.duckdb.connect()
        quotas = read_quotas(con, folder)
        inputs = engine_inputs(con, folder, quotas)

        timings = Timings()
        saved = timings.install()
        started = time.perf_counter()
        result = calculate(plan, inputs)
        engine_seconds = time.perf_counter() - started
        Timings.uninstall(saved)
        engine_peak = peak_rss_mb()
        engine_totals = payee_month_totals(result.earnings)
        figures.report(f"engine_full_year_{label(ROWS)}", engine_seconds, "s", "<=", 30)
        figures.report("engine_peak_memory", engine_peak, "MB", "<=", 6144)
        figures.report("engine_rows_per_s", ROWS / engine_seconds, "rows/s")
        for step, seconds in timings.seconds.items():
            print(f"#   {step}: {seconds:.2f} s", flush=True)
        print(f"#   earnings: {len(result.earnings):,}, exceptions: {len(result.exceptions)}", flush=True)
        if result.exceptions:
            print("#   first exception: " + result.exceptions[0][:300], flush=True)

        raw = duckdb.connect()
        started = time.perf_counter()
        sql_rows = raw.sql(sql_query(folder)).fetchall()
        sql_seconds = time.perf_counter() - started
        by_sql = sql_totals(sql_rows)
        figures.report(f"sql_full_year_{label(ROWS)}", sql_seconds, "s")
        keys = set(engine_totals) | set(by_sql)
        differ = mismatches(engine_totals, by_sql)
        total = sum(engine_totals.values(), Decimal(0))
        print(f"# check: {len(keys):,} payee-months, engine total {total:,.2f}, SQL total "
              f"{sum(by_sql.values(), Decimal(0)):,.2f}, differing payee-months: {len(differ)}"
              + (f" (first: {differ[0]} engine {engine_totals.get(differ[0])} SQL {by_sql.get(differ[0])})"
                 if differ else ""), flush=True)
        figures.report("engine_sql_payee_month_mismatches", len(differ), "payee-months", "<=", 0)
        figures.report("engine_to_sql_ratio", engine_seconds / sql_seconds, "x", "<=", 1.5)

        # an estimate: one rep whose territory changed hands mid-year (so the filter has work to do)
        rep = raw.sql(f"SELECT position FROM read_parquet('{folder}/territory_positions.parquet') "
                      "WHERE valid_from > DATE '2020-01-01' ORDER BY position LIMIT 1").fetchone()[0]
        participant = "E" + rep[1:]
        one = engine_inputs(con, folder, quotas, only_position=rep)
        expected = {k: v for k, v in engine_totals.items() if k[0] == participant}

        def median_ms(inputs) -> tuple[float, object]:
            # an estimate (estimate=True) keeps to the Decimal path, skips the input checks the full run made and
            # runs the measure query compiled once per plan and input schema (engine/compiled.py)
            calculate(plan, inputs, estimate=True)  # warm: compiles the query, file metadata, Python code paths
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                estimate = calculate(plan, inputs, estimate=True)
                runs.append(time.perf_counter() - started)
            same = payee_month_totals(estimate.earnings) == expected
            print(f"# estimate for {participant} ({rep}): {len(estimate.earnings)} earnings, "
                  f"same as the full run: {same}", flush=True)
            if not same:
                figures.missed.append("estimate_matches_full_run")
            return sorted(runs)[len(runs) // 2] * 1000, estimate

        # (a) the rep's rows already fetched (as an app would by index): Arrow in memory, then `calculate`
        started = time.perf_counter()
        crediting = {name: ibis.memtable(getattr(one.crediting, name).to_pyarrow())
                     for name in one.crediting.__dataclass_fields__}
        fetched = type(one)(type(one.crediting)(**crediting), ibis.memtable(one.holders.to_pyarrow()), one.months,
                            one.quotas)
        print(f"# fetching the rep's rows from the {ROWS:,}-row Parquet: {(time.perf_counter() - started) * 1000:.0f} ms "
              f"({crediting['transactions'].count().execute()} transactions)", flush=True)
        figures.report("estimate_one_participant", median_ms(fetched)[0], "ms", "<=", 200)
        # (b) the same, with the filter inside the query over the whole Parquet file (no index to use)
        figures.report("estimate_one_participant_filtering_parquet", median_ms(one)[0], "ms")
        figures.report("bench_peak_memory", peak_rss_mb(), "MB")
    return figures.exit_code()


if __name__ == "__main__":
    sys.exit(main())
