"""The calculation engine on one plan year: 10,000,000 transactions, 10,000 payees.

Data (seeded, vectorised with numpy/pyarrow, exact decimal128(15,4) money, written to Parquet in a
child process so its memory does not count): 100 directors, 900 managers, 9,000 reps; one territory
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
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import Figures  # noqa: E402

ROWS = int(os.environ.get("ATTAIN_BENCH_ENGINE_ROWS", 10_000_000))
DATA = os.environ.get("ATTAIN_BENCH_ENGINE_DATA")  # a folder to keep the generated data in (reused)
SEED = 2026
DIRECTORS, MANAGERS, REPS = 100, 900, 9_000
PAYEES = DIRECTORS + MANAGERS + REPS
ACCOUNTS = 100_000
YEAR = 2026
CENT = Decimal("0.01")

PLAN = """
plan: BENCH-2026
name: Territory plan with roll-up, accelerator and YTD true-up
currency: USD
timing: booked
credit_rules:
  - {name: territory, kind: territory}
  - {name: managers, kind: rollup, source: [territory], depth: 2}
measures:
  - {name: bookings}
components:
  - name: Commission
    measure: bookings
    scope: year_to_date
    quota: year
    rate_table:
      method: marginal
      basis: attainment
      tiers:
        - {from: 0, to: 0.5, rate: 0.02}
        - {from: 0.5, to: 1.0, rate: 0.05}
        - {from: 1.0, to: 1.5, rate: 0.08}
        - {from: 1.5, to: 2.0, rate: 0.12}
        - {from: 2.0, rate: 0}
"""
# the same tiers for the SQL query: (from, to, rate) in attainment terms
TIERS = [("0", "0.5", "0.02"), ("0.5", "1.0", "0.05"), ("1.0", "1.5", "0.08"), ("1.5", "2.0", "0.12"), ("2.0", None, "0")]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------- data


def generate(folder: Path, rows: int) -> None:
    """Write the Parquet files of the data set (run in a child process)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from attain.demo.scale import decimals

    rng = np.random.default_rng(SEED)
    epoch = date(1970, 1, 1)

    def day(d: date) -> int:
        return (d - epoch).days

    def dates(days) -> pa.Array:
        return pa.array(np.asarray(days, dtype=np.int32), pa.date32())

    def codes(prefix: str, numbers, width: int) -> pa.Array:
        text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
        return pc.binary_join_element_wise(pa.scalar(prefix), text, "")

    def nulls_date(n):
        return pa.nulls(n, pa.date32())

    start, end = day(date(YEAR, 1, 1)), day(date(YEAR, 12, 31))
    long_ago = day(date(2020, 1, 1))
    # positions P00000–P00099 directors, P00100–P00999 managers, P01000–P09999 reps
    directors = np.arange(DIRECTORS)
    managers = DIRECTORS + np.arange(MANAGERS)
    reps = DIRECTORS + MANAGERS + np.arange(REPS)
    kinds = ["director"] * DIRECTORS + ["manager"] * MANAGERS + ["rep"] * REPS
    pq.write_table(pa.table({"position": codes("P", np.arange(PAYEES), 5), "kind": pa.array(kinds),
                             "product_family": pa.nulls(PAYEES, pa.string())}), folder / "positions.parquet")
    pq.write_table(pa.table({"participant": codes("E", np.arange(PAYEES), 5), "position": codes("P", np.arange(PAYEES), 5),
                             "valid_from": dates(np.full(PAYEES, long_ago)), "valid_to": nulls_date(PAYEES)}),
                   folder / "holders.parquet")
    # reporting lines: rep → manager, manager → director; 2% of reps change manager on 1 July
    rep_manager = managers[np.arange(REPS) % MANAGERS]
    movers = rng.choice(REPS, REPS // 50, replace=False)
    new_manager = managers[(np.arange(REPS)[movers] + 1 + rng.integers(0, MANAGERS - 1, len(movers))) % MANAGERS]
    july = day(date(YEAR, 7, 1))
    ends = np.full(REPS, -1)
    ends[movers] = july - 1
    pos = np.concatenate([reps, managers, reps[movers]])
    mgr = np.concatenate([rep_manager, directors[np.arange(MANAGERS) % DIRECTORS], new_manager])
    frm = np.concatenate([np.full(REPS + MANAGERS, long_ago), np.full(len(movers), july)])
    to = np.concatenate([ends, np.full(MANAGERS + len(movers), -1)])
    pq.write_table(pa.table({"position": codes("P", pos, 5), "manager": codes("P", mgr, 5), "valid_from": dates(frm),
                             "valid_to": pc.if_else(pa.array(to < 0), nulls_date(len(to)), dates(np.maximum(to, 0)))}),
                   folder / "reporting_lines.parquet")
    # territories: T00000–T08999, territory k → rep k; 1% are handed to another rep on 1 April
    handed = rng.choice(REPS, REPS // 100, replace=False)
    april = day(date(YEAR, 4, 1))
    new_rep = reps[(handed + 1 + rng.integers(0, REPS - 1, len(handed))) % REPS]
    t_ends = np.full(REPS, -1)
    t_ends[handed] = april - 1
    terr = np.concatenate([np.arange(REPS), handed])
    holder = np.concatenate([reps, new_rep])
    t_from = np.concatenate([np.full(REPS, long_ago), np.full(len(handed), april)])
    t_to = np.concatenate([t_ends, np.full(len(handed), -1)])
    pq.write_table(pa.table({"territory": codes("T", terr, 5), "position": codes("P", holder, 5),
                             "role": pa.array(["primary"] * len(terr)), "valid_from": dates(t_from),
                             "valid_to": pc.if_else(pa.array(t_to < 0), nulls_date(len(t_to)), dates(np.maximum(t_to, 0)))}),
                   folder / "territory_positions.parquet")
    pq.write_table(pa.table({"territory": codes("T", np.arange(REPS), 5), "ancestor": codes("T", np.arange(REPS), 5)}),
                   folder / "territory_ancestors.parquet")
    # accounts: account a in territory a % 9000; 5% move to another territory on a mid-year day
    moved = rng.choice(ACCOUNTS, ACCOUNTS // 20, replace=False)
    move_day = rng.integers(day(date(YEAR, 3, 1)), day(date(YEAR, 10, 31)), len(moved))
    a_ends = np.full(ACCOUNTS, -1)
    a_ends[moved] = move_day - 1
    acc = np.concatenate([np.arange(ACCOUNTS), moved])
    a_terr = np.concatenate([np.arange(ACCOUNTS) % REPS, (moved + 1 + rng.integers(0, REPS - 1, len(moved))) % REPS])
    a_from = np.concatenate([np.full(ACCOUNTS, long_ago), move_day])
    a_to = np.concatenate([a_ends, np.full(len(moved), -1)])
    pq.write_table(pa.table({"account": codes("A", acc, 6), "territory": codes("T", a_terr, 5), "valid_from": dates(a_from),
                             "valid_to": pc.if_else(pa.array(a_to < 0), nulls_date(len(a_to)), dates(np.maximum(a_to, 0)))}),
                   folder / "account_territories.parquet")
    # quotas: a rep's annual quota is its expected bookings × 0.6–1.5 (so attainment spreads over the
    # tiers); a manager's is the sum of its reps' (as of 1 January), a director's the sum of its managers'
    mean_units = 52_000_000  # mean amount ≈ 5,200.00 (ten-thousandths)
    expected = rows / REPS * mean_units
    rep_quota = (np.round(expected * rng.uniform(0.6, 1.5, REPS) / 10_000_000) * 10_000_000).astype(np.int64)
    manager_quota = np.bincount(np.arange(REPS) % MANAGERS, weights=rep_quota, minlength=MANAGERS).astype(np.int64)
    director_quota = np.bincount(np.arange(MANAGERS) % DIRECTORS, weights=manager_quota, minlength=DIRECTORS).astype(np.int64)
    quota = np.concatenate([director_quota, manager_quota, rep_quota])
    pq.write_table(pa.table({"position": codes("P", np.arange(PAYEES), 5), "period": pa.array([f"FY{YEAR}"] * PAYEES),
                             "measure": pa.array(["bookings"] * PAYEES), "amount": decimals(quota)}),
                   folder / "quotas.parquet")
    # transactions, in chunks; the last 1% of each chunk are credit notes negating an earlier line
    writer = None
    chunk = 1_000_000
    for first in range(0, rows, chunk):
        n = min(chunk, rows - first)
        notes = n // 100
        originals = n - notes
        booked = rng.integers(start, end + 1, n)
        account = rng.integers(0, ACCOUNTS, n)
        cents = np.maximum(100, np.round(rng.lognormal(np.log(3_000), 1.0, n))).astype(np.int64) * 100
        amount = cents * 100 + rng.integers(0, 100, n)  # ten-thousandths, some below the cent
        quantity = rng.integers(1, 20, n) * 10_000
        family = rng.integers(0, 4, n)
        deal = rng.integers(0, 3, n)
        source = rng.integers(0, originals, notes)
        original = np.full(n, -1, dtype=np.int64)
        original[originals:] = first + source
        for column in (account, amount, quantity, family, deal):
            column[originals:] = column[source]
        amount[originals:] = -amount[originals:]
        quantity[originals:] = -quantity[originals:]
        booked[originals:] = np.minimum(booked[source] + rng.integers(1, 60, notes), end)
        ids = first + np.arange(n)
        is_note = np.arange(n) >= originals
        table = pa.table({
            "id": pa.array(ids, pa.int64()), "external_id": codes("T", ids, 9),
            "kind": pc.if_else(pa.array(is_note), "credit_note", "booking"),
            "booked_date": dates(booked), "invoiced_date": nulls_date(n), "paid_date": nulls_date(n),
            "account": codes("A", account, 6),
            "product_family": pc.take(pa.array(["Data", "Platform", "Services", "Support"]), pa.array(family)),
            "quantity": decimals(quantity), "amount": decimals(amount), "cost": pa.nulls(n, pa.decimal128(15, 4)),
            "currency": pa.array(np.full(n, "USD")),
            "deal_type": pc.take(pa.array(["new", "expansion", "renewal"]), pa.array(deal)),
            "owner_position": pa.nulls(n, pa.string()), "contract_start": nulls_date(n), "contract_end": nulls_date(n),
            "original_id": pc.if_else(pa.array(original >= 0), pa.array(original), pa.scalar(None, pa.int64())),
        })
        writer = writer or pq.ParquetWriter(folder / "transactions.parquet", table.schema, compression="snappy")
        writer.write_table(table, row_group_size=256_000)
    writer.close()


# ------------------------------------------------------------------------------------------ engine


def months():
    from attain.engine.calculate import fiscal_months

    return fiscal_months(YEAR)


def read_quotas(con, folder: Path) -> dict:
    rows = con.read_parquet(str(folder / "quotas.parquet")).to_pyarrow().to_pylist()
    return {(r["position"], r["period"], r["measure"]): r["amount"] for r in rows}


def engine_inputs(con, folder: Path, quotas: dict, only_position: str | None = None):
    """CalcInputs as Ibis tables over DuckDB reading the Parquet files (all of them, or one rep's share)."""
    import ibis

    from attain.engine.calculate import CalcInputs
    from attain.engine.crediting import CreditingInputs
    from attain.engine.crediting.inputs import SCHEMAS, conform

    def table(name: str, file: str | None = None):
        t = con.read_parquet(str(folder / f"{file or name}.parquet"))
        return conform(name, t) if name in SCHEMAS else t  # columns the files lack (e.g. opportunity) are empty

    # activities and opportunities are not part of the benchmark: those inputs stay empty
    tables = {name: table(name) for name in SCHEMAS if name != "splits" and (folder / f"{name}.parquet").exists()}
    tables["splits"] = ibis.memtable(ibis.schema(SCHEMAS["splits"]).to_pyarrow().empty_table())
    holders = table("holders")
    if only_position is not None:
        # an estimate for one rep: its territories, their accounts, those accounts' transactions; no roll-up
        tp = tables["territory_positions"].filter(lambda t: t.position == only_position)
        at = tables["account_territories"]
        at = at.filter(at.territory.isin(tp.territory))
        tx = tables["transactions"]
        tables.update(territory_positions=tp, account_territories=at,
                      transactions=tx.filter(tx.account.isin(at.account)),
                      reporting_lines=tables["reporting_lines"].filter(ibis.literal(False)))
        holders = holders.filter(holders.position == only_position)
        quotas = {k: v for k, v in quotas.items() if k[0] == only_position}
    return CalcInputs(CreditingInputs(**tables), holders, months(), quotas)


def payee_month_totals(earnings) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for e in earnings:
        totals[(e.participant, e.period)] += e.rounded
    return dict(totals)


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


# --------------------------------------------------------------------------------------------- SQL


def sql_query(folder: Path) -> str:
    """Credits by territory as of the booking date, two roll-up levels, per-month YTD, marginal tiers, true-up."""
    f = {name: f"read_parquet('{folder / name}.parquet')" for name in (
        "transactions", "account_territories", "territory_positions", "reporting_lines", "holders", "quotas")}

    def valid(alias: str, day: str) -> str:
        return f"{alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {day} <= {alias}.valid_to)"

    quota = "CAST(q.amount AS DECIMAL(18,4))"
    # the part of |ytd| in each tier, times its rate (marginal); a negative YTD is the mirror image
    tiers = " + ".join(
        f"CAST({rate} AS DECIMAL(6,4)) * GREATEST(0::DECIMAL(38,12), "
        f"{'abs_ytd' if hi is None else f'LEAST(abs_ytd, CAST({hi} AS DECIMAL(6,4)) * {quota})'}"
        f" - CAST({lo} AS DECIMAL(6,4)) * {quota})"
        for lo, hi, rate in TIERS)
    return f"""
WITH t AS (SELECT id, original_id, booked_date, account, CAST(amount AS DECIMAL(38,12)) AS amount
           FROM {f['transactions']} WHERE booked_date IS NOT NULL),
notes AS (  -- credit notes: attributed like the original (its account, on its booking date)
  SELECT n.id, o.account, o.booked_date AS attribution_date
  FROM t n JOIN t o ON n.original_id = o.id WHERE n.original_id IS NOT NULL),
lines AS (
  SELECT t.booked_date AS credit_date, coalesce(notes.attribution_date, t.booked_date) AS attribution_date,
         coalesce(notes.account, t.account) AS account, t.amount
  FROM t LEFT JOIN notes ON t.id = notes.id),
territory AS (  -- the rep covering the account's territory on the attribution date, summed per day
  SELECT tp.position, l.credit_date, l.attribution_date, sum(l.amount) AS value
  FROM lines l
  JOIN {f['account_territories']} a ON l.account = a.account AND {valid('a', 'l.attribution_date')}
  JOIN {f['territory_positions']} tp ON tp.territory = a.territory AND tp.role = 'primary'
       AND {valid('tp', 'l.attribution_date')}
  GROUP BY ALL),
level1 AS (
  SELECT r.manager AS position, c.credit_date, c.attribution_date, sum(c.value) AS value
  FROM territory c JOIN {f['reporting_lines']} r ON r.position = c.position AND {valid('r', 'c.attribution_date')}
  GROUP BY ALL),
level2 AS (
  SELECT r.manager AS position, c.credit_date, c.attribution_date, sum(c.value) AS value
  FROM level1 c JOIN {f['reporting_lines']} r ON r.position = c.position AND {valid('r', 'c.attribution_date')}
  GROUP BY ALL),
credits AS (SELECT * FROM territory UNION ALL SELECT * FROM level1 UNION ALL SELECT * FROM level2),
monthly AS (
  SELECT h.participant, c.position, date_trunc('month', c.credit_date) AS month, sum(c.value) AS total
  FROM credits c JOIN {f['holders']} h ON h.position = c.position AND {valid('h', 'c.credit_date')}
  WHERE c.credit_date BETWEEN DATE '{YEAR}-01-01' AND DATE '{YEAR}-12-31'
  GROUP BY ALL),
ytd AS (
  SELECT *, sum(total) OVER (PARTITION BY participant, position ORDER BY month) AS ytd FROM monthly),
earned AS (
  SELECT y.participant, y.month,
         CASE WHEN y.ytd < 0 THEN -({tiers.replace('abs_ytd', '(-y.ytd)')}) ELSE {tiers.replace('abs_ytd', 'y.ytd')} END
         AS to_date
  FROM ytd y JOIN {f['quotas']} q ON q.position = y.position AND q.period = 'FY{YEAR}' AND q.measure = 'bookings')
SELECT participant, 'FY{YEAR}-M' || strftime(month, '%m') AS period,
       round(to_date - coalesce(lag(to_date) OVER (PARTITION BY participant ORDER BY month), 0), 2) AS amount
FROM earned
"""


# -------------------------------------------------------------------------------------------- main


def main() -> int:
    import duckdb
    import ibis

    from attain.engine.calculate import calculate
    from attain.engine.plans import load_plan

    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="attain-bench-engine-") as name:
        folder = Path(DATA) / f"seed{SEED}-rows{ROWS}" if DATA else Path(name)
        started = time.perf_counter()
        if (folder / "complete").exists():
            print(f"# data: {ROWS:,} transactions, {PAYEES:,} payees, reused from {folder}", flush=True)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, __file__, "--generate", str(folder), str(ROWS)], check=True)
            (folder / "complete").touch()
            print(f"# data: {ROWS:,} transactions, {PAYEES:,} payees, written in {time.perf_counter() - started:.1f} s",
                  flush=True)
        plan, problems = load_plan(PLAN, "bench")
        assert not problems, problems
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
        label = f"{ROWS / 1e6:g}m" if ROWS >= 1_000_000 else f"{ROWS // 1000}k"
        figures.report(f"engine_full_year_{label}", engine_seconds, "s", "<=", 30)
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
        sql_totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for participant, period, amount in sql_rows:
            assert isinstance(amount, Decimal), f"the SQL amount is {type(amount).__name__}, not an exact decimal"
            sql_totals[(participant, period)] += amount
        figures.report(f"sql_full_year_{label}", sql_seconds, "s")
        keys = set(engine_totals) | set(sql_totals)
        differ = sorted(k for k in keys if engine_totals.get(k, Decimal(0)) != sql_totals.get(k, Decimal(0)))
        total = sum(engine_totals.values(), Decimal(0))
        print(f"# check: {len(keys):,} payee-months, engine total {total:,.2f}, SQL total "
              f"{sum(sql_totals.values(), Decimal(0)):,.2f}, differing payee-months: {len(differ)}"
              + (f" (first: {differ[0]} engine {engine_totals.get(differ[0])} SQL {sql_totals.get(differ[0])})"
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
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        generate(Path(sys.argv[2]), int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
