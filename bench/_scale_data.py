"""The engine benchmarks' data set, plan, engine inputs and hand-written SQL (bench/engine.py, bench/scale.py).

A `Shape` says how many transactions and payees: 1% directors, 9% managers, 90% reps (one territory
each), ten accounts per payee. `generate` writes the seeded Parquet files in chunks of a million
transactions, so its memory stays bounded however many rows; run it in a child process
(`ensure_data`) so its memory does not count in the caller's peak. 10,000 payees give the original
engine benchmark's data set, byte for byte.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

SEED = 2026
YEAR = 2026
CHUNK = 1_000_000  # transactions generated and written at a time

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


@dataclass(frozen=True)
class Shape:
    """How big a data set is: transactions, and payees by level; accounts spread over the reps' territories."""

    rows: int
    directors: int
    managers: int
    reps: int
    accounts: int

    @classmethod
    def of(cls, rows: int, payees: int) -> Shape:
        """1% directors, 9% managers, the rest reps; ten accounts per payee (10,000 payees: 100/900/9,000, 100,000)."""
        directors, managers = payees // 100, payees * 9 // 100
        if directors < 1 or managers < 2:
            raise ValueError(f"{payees} payees are too few: the plan needs at least 1 director and 2 managers (200 payees)")
        return cls(rows, directors, managers, payees - directors - managers, payees * 10)

    @property
    def payees(self) -> int:
        return self.directors + self.managers + self.reps

    def describe(self) -> str:
        return (f"{self.rows:,} transactions, {self.payees:,} payees ({self.directors:,} directors, "
                f"{self.managers:,} managers, {self.reps:,} reps), {self.accounts:,} accounts")


def label(number: int) -> str:
    """1000000 → "1m", 200000 → "200k", 2500000 → "2.5m" (names of figures and cases)."""
    for suffix, size in (("m", 1_000_000), ("k", 1_000)):
        if number >= size:
            return f"{number / size:g}{suffix}"
    return str(number)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------- data


def data_folder(base: Path, shape: Shape) -> Path:
    """Where a kept data set lives under `base` (10,000 payees: the name bench/engine.py always used)."""
    name = f"seed{SEED}-rows{shape.rows}"
    return base / (name if shape.payees == 10_000 else f"{name}-payees{shape.payees}")


def ensure_data(folder: Path, shape: Shape) -> str:
    """Generate the data set into `folder` in a child process unless a complete one is there; says which."""
    import time

    if (folder / "complete").exists():
        return f"reused from {folder}"
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, str(folder), str(shape.rows), str(shape.payees)], check=True)
    (folder / "complete").touch()
    return f"written in {time.perf_counter() - started:.1f} s"


class Writer:
    """numpy → Arrow → Parquet helpers for one data set (codes wide enough for its counts)."""

    def __init__(self, folder: Path, shape: Shape) -> None:
        import numpy as np

        self.folder, self.shape = folder, shape
        self.rng = np.random.default_rng(SEED)
        self.widths = {"P": max(5, len(str(shape.payees - 1))), "T": max(5, len(str(shape.reps - 1))),
                       "A": max(6, len(str(shape.accounts - 1))), "transaction": max(9, len(str(shape.rows - 1)))}
        self.widths["E"] = self.widths["P"]

    @staticmethod
    def day(d: date) -> int:
        return (d - date(1970, 1, 1)).days

    @staticmethod
    def dates(days):
        import numpy as np
        import pyarrow as pa

        return pa.array(np.asarray(days, dtype=np.int32), pa.date32())

    def ends(self, to):
        """Last valid days, -1 meaning open-ended (NULL)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.if_else(pa.array(to < 0), pa.nulls(len(to), pa.date32()), self.dates(to.clip(min=0)))

    def codes(self, prefix: str, numbers, of: str | None = None):
        """P00042, E00042, T00042, A000042: wide enough for the data set (`of`: whose width, the prefix's by default)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), self.widths[of or prefix], "0")
        return pc.binary_join_element_wise(pa.scalar(prefix), text, "")

    def write(self, name: str, columns: dict) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table(columns), self.folder / f"{name}.parquet")


def generate(folder: Path, shape: Shape) -> None:
    """Write the Parquet files of the data set (run in a child process: `ensure_data`)."""
    w = Writer(folder, shape)
    write_people(w)
    write_territories(w)
    write_accounts(w)
    write_quotas(w)
    write_transactions(w)


LONG_AGO = date(2020, 1, 1)


def write_people(w: Writer) -> None:
    """Positions, their holders and reporting lines (rep → manager → director); 2% of reps move on 1 July."""
    import numpy as np
    import pyarrow as pa

    s, rng = w.shape, w.rng
    everyone = np.arange(s.payees)
    # positions P00000… directors, then managers, then reps
    directors, managers = np.arange(s.directors), s.directors + np.arange(s.managers)
    reps = s.directors + s.managers + np.arange(s.reps)
    kinds = ["director"] * s.directors + ["manager"] * s.managers + ["rep"] * s.reps
    w.write("positions", {"position": w.codes("P", everyone), "kind": pa.array(kinds),
                          "product_family": pa.nulls(s.payees, pa.string())})
    w.write("holders", {"participant": w.codes("E", everyone),
                        "position": w.codes("P", everyone), "valid_from": w.dates(np.full(s.payees, w.day(LONG_AGO))),
                        "valid_to": pa.nulls(s.payees, pa.date32())})
    rep_manager = managers[np.arange(s.reps) % s.managers]
    movers = rng.choice(s.reps, s.reps // 50, replace=False)
    new_manager = managers[(np.arange(s.reps)[movers] + 1 + rng.integers(0, s.managers - 1, len(movers))) % s.managers]
    july = w.day(date(YEAR, 7, 1))
    ends = np.full(s.reps, -1)
    ends[movers] = july - 1
    w.write("reporting_lines", {
        "position": w.codes("P", np.concatenate([reps, managers, reps[movers]])),
        "manager": w.codes("P", np.concatenate([rep_manager, directors[np.arange(s.managers) % s.directors], new_manager])),
        "valid_from": w.dates(np.concatenate([np.full(s.reps + s.managers, w.day(LONG_AGO)), np.full(len(movers), july)])),
        "valid_to": w.ends(np.concatenate([ends, np.full(s.managers + len(movers), -1)]))})


def write_territories(w: Writer) -> None:
    """Territory k is rep k's; 1% are handed to another rep on 1 April. No territory hierarchy."""
    import numpy as np
    import pyarrow as pa

    s, rng = w.shape, w.rng
    reps = s.directors + s.managers + np.arange(s.reps)
    handed = rng.choice(s.reps, s.reps // 100, replace=False)
    april = w.day(date(YEAR, 4, 1))
    new_rep = reps[(handed + 1 + rng.integers(0, s.reps - 1, len(handed))) % s.reps]
    ends = np.full(s.reps, -1)
    ends[handed] = april - 1
    territories = np.concatenate([np.arange(s.reps), handed])
    w.write("territory_positions", {
        "territory": w.codes("T", territories), "position": w.codes("P", np.concatenate([reps, new_rep])),
        "role": pa.array(["primary"] * len(territories)),
        "valid_from": w.dates(np.concatenate([np.full(s.reps, w.day(LONG_AGO)), np.full(len(handed), april)])),
        "valid_to": w.ends(np.concatenate([ends, np.full(len(handed), -1)]))})
    w.write("territory_ancestors", {"territory": w.codes("T", np.arange(s.reps)),
                                    "ancestor": w.codes("T", np.arange(s.reps))})


def write_accounts(w: Writer) -> None:
    """Account a is in territory a % reps; 5% move to another territory on a day between March and October."""
    import numpy as np

    s, rng = w.shape, w.rng
    moved = rng.choice(s.accounts, s.accounts // 20, replace=False)
    move_day = rng.integers(w.day(date(YEAR, 3, 1)), w.day(date(YEAR, 10, 31)), len(moved))
    ends = np.full(s.accounts, -1)
    ends[moved] = move_day - 1
    territory = np.concatenate([np.arange(s.accounts) % s.reps,
                                (moved + 1 + rng.integers(0, s.reps - 1, len(moved))) % s.reps])
    w.write("account_territories", {
        "account": w.codes("A", np.concatenate([np.arange(s.accounts), moved])), "territory": w.codes("T", territory),
        "valid_from": w.dates(np.concatenate([np.full(s.accounts, w.day(LONG_AGO)), move_day])),
        "valid_to": w.ends(np.concatenate([ends, np.full(len(moved), -1)]))})


def write_quotas(w: Writer) -> None:
    """A rep's annual quota is its expected bookings × 0.6–1.5 (attainment spreads over the tiers); a manager's
    is the sum of its reps' (as of 1 January), a director's the sum of its managers'."""
    import numpy as np
    import pyarrow as pa

    from attain.demo.scale import decimals

    s = w.shape
    mean_units = 52_000_000  # mean amount ≈ 5,200.00 (ten-thousandths)
    expected = s.rows / s.reps * mean_units
    rep_quota = (np.round(expected * w.rng.uniform(0.6, 1.5, s.reps) / 10_000_000) * 10_000_000).astype(np.int64)
    manager_quota = np.bincount(np.arange(s.reps) % s.managers, weights=rep_quota, minlength=s.managers).astype(np.int64)
    director_quota = np.bincount(np.arange(s.managers) % s.directors, weights=manager_quota,
                                 minlength=s.directors).astype(np.int64)
    w.write("quotas", {"position": w.codes("P", np.arange(s.payees)), "period": pa.array([f"FY{YEAR}"] * s.payees),
                       "measure": pa.array(["bookings"] * s.payees),
                       "amount": decimals(np.concatenate([director_quota, manager_quota, rep_quota]))})


def write_transactions(w: Writer) -> None:
    """Transactions in chunks of a million; the last 1% of each chunk are credit notes negating an earlier line."""
    import pyarrow.parquet as pq

    writer = None
    for first in range(0, w.shape.rows, CHUNK):
        table = transaction_chunk(w, first, min(CHUNK, w.shape.rows - first))
        writer = writer or pq.ParquetWriter(w.folder / "transactions.parquet", table.schema, compression="snappy")
        writer.write_table(table, row_group_size=256_000)
    writer.close()


def transaction_chunk(w: Writer, first: int, n: int):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from attain.demo.scale import decimals

    rng = w.rng
    start, end = w.day(date(YEAR, 1, 1)), w.day(date(YEAR, 12, 31))
    notes = n // 100
    originals = n - notes
    booked = rng.integers(start, end + 1, n)
    account = rng.integers(0, w.shape.accounts, n)
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
    no_date = pa.nulls(n, pa.date32())
    return pa.table({
        "id": pa.array(ids, pa.int64()), "external_id": w.codes("T", ids, of="transaction"),
        "kind": pc.if_else(pa.array(np.arange(n) >= originals), "credit_note", "booking"),
        "booked_date": w.dates(booked), "invoiced_date": no_date, "paid_date": no_date,
        "account": w.codes("A", account),
        "product_family": pc.take(pa.array(["Data", "Platform", "Services", "Support"]), pa.array(family)),
        "quantity": decimals(quantity), "amount": decimals(amount), "cost": pa.nulls(n, pa.decimal128(15, 4)),
        "currency": pa.array(np.full(n, "USD")),
        "deal_type": pc.take(pa.array(["new", "expansion", "renewal"]), pa.array(deal)),
        "owner_position": pa.nulls(n, pa.string()), "contract_start": no_date, "contract_end": no_date,
        "original_id": pc.if_else(pa.array(original >= 0), pa.array(original), pa.scalar(None, pa.int64())),
    })


# ------------------------------------------------------------------------------------------ engine


def load_bench_plan():
    from attain.engine.plans import load_plan

    plan, problems = load_plan(PLAN, "bench")
    assert not problems, problems
    return plan


def months():
    from attain.engine.calculate import fiscal_months

    return fiscal_months(YEAR)


def read_quotas(con, folder: Path) -> dict:
    rows = con.read_parquet(str(folder / "quotas.parquet")).to_pyarrow().to_pylist()
    return {(r["position"], r["period"], r["measure"]): r["amount"] for r in rows}


def engine_inputs(con, folder: Path, quotas: dict, only_position: str | None = None):
    """CalcInputs as Ibis tables of backend `con` (DuckDB, Spark) reading the Parquet files (all, or one rep's share)."""
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


Totals = dict[tuple[str, str], Decimal]  # (participant, period) → rounded earnings of the month


def payee_month_totals(earnings) -> Totals:
    totals: Totals = defaultdict(Decimal)
    for e in earnings:
        totals[(e.participant, e.period)] += e.rounded
    return dict(totals)


def mismatches(one: Totals, other: Totals) -> list[tuple[str, str]]:
    """The payee-months whose totals differ (a payee-month missing on one side counts as zero)."""
    keys = set(one) | set(other)
    return sorted(k for k in keys if one.get(k, Decimal(0)) != other.get(k, Decimal(0)))


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


def sql_totals(rows) -> Totals:
    """The SQL query's rows summed per payee-month (exact decimals: a float would fail here)."""
    totals: Totals = defaultdict(Decimal)
    for participant, period, amount in rows:
        assert isinstance(amount, Decimal), f"the SQL amount is {type(amount).__name__}, not an exact decimal"
        totals[(participant, period)] += amount
    return dict(totals)


if __name__ == "__main__":  # python bench/_scale_data.py FOLDER ROWS PAYEES: write a data set
    generate(Path(sys.argv[1]), Shape.of(int(sys.argv[2]), int(sys.argv[3])))
