"""Import 1,000,000 transaction rows from CSV into a fresh SQLite database and a throwaway PostgreSQL.

Then the same file again (every row unchanged), then a copy with every tenth amount changed (each changed
row also gets its audit-log entry with the amount before and after).

Each database is measured in a child process (Django reads its settings once per process), on a
temporary ATTAIN_VAR_DIR: var/attain.sqlite3 is never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "scripts")]

from common import Figures  # noqa: E402

ROWS = int(os.environ.get("ATTAIN_BENCH_ROWS", 1_000_000))
ACCOUNTS, PRODUCTS, POSITIONS = 20_000, 200, 2_000
TARGET_SECONDS = 60
CHANGED_EVERY = 10


def write_csv(path: Path, rows: int, changed_every: int = 0) -> None:
    """A vectorised transaction file: ids, dates, accounts, products, owners and exact 2-place amounts.

    With `changed_every`, every n-th row's amount is one cent more (the same rows otherwise)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    rng = np.random.default_rng(2026)
    ids = pa.array(np.arange(rows))
    days = pa.array(np.datetime64("2025-01-01") + rng.integers(0, 730, rows)).cast(pa.string())
    cents = rng.integers(1_000, 20_000_000, rows)
    if changed_every:
        cents[::changed_every] += 1
    amounts = pc.binary_join_element_wise(pa.array(cents // 100).cast(pa.string()),
                                          pc.utf8_lpad(pa.array(cents % 100).cast(pa.string()), 2, "0"), ".")
    kinds = np.array(["booking", "invoice", "order"])[rng.integers(0, 3, rows)]
    table = pa.table({
        "external_id": pc.binary_join_element_wise("TX", ids.cast(pa.string()), ""),
        "kind": pa.array(kinds),
        "booked_date": days,
        "account": pc.binary_join_element_wise("ACC", pa.array(rng.integers(0, ACCOUNTS, rows)).cast(pa.string()), ""),
        "product": pc.binary_join_element_wise("SKU", pa.array(rng.integers(0, PRODUCTS, rows)).cast(pa.string()), ""),
        "quantity": pa.array(rng.integers(1, 20, rows)).cast(pa.string()),
        "amount": amounts,
        "currency": pa.array(np.full(rows, "USD")),
        "deal_type": pa.array(np.array(["new", "expansion", "renewal"])[rng.integers(0, 3, rows)]),
        "owner_position": pc.binary_join_element_wise(
            "AE", pa.array(rng.integers(0, POSITIONS, rows)).cast(pa.string()), ""),
    })
    pcsv.write_csv(table, path)


def reference_data() -> None:
    from datetime import date

    from attain.apps.catalog.models import Account, Product, ProductFamily
    from attain.apps.core.models import Currency
    from attain.apps.org.models import Position

    Currency.objects.create(code="USD", name="US dollar")
    family = ProductFamily.objects.create(code="CORE", name="Core")
    Account.objects.bulk_create([Account(external_id=f"ACC{i}", name=f"Account {i}", country="US")
                                 for i in range(ACCOUNTS)], batch_size=2000)
    Product.objects.bulk_create([Product(sku=f"SKU{i}", name=f"Product {i}", family=family, list_price=100,
                                         unit_cost=10, currency_id="USD") for i in range(PRODUCTS)])
    Position.objects.bulk_create([Position(code=f"AE{i}", name=f"AE {i}", kind="ae", created_on=date(2024, 1, 1))
                                  for i in range(POSITIONS)], batch_size=2000)


def child(csv_path: str, changed_path: str) -> None:
    """Runs in a child process with ATTAIN_DATABASE_URL set: prints the timings as JSON."""
    import time

    from attain.cli.django_setup import migrate, setup_django

    setup_django()
    migrate()
    reference_data()
    from attain.apps.imports.services import import_file

    timings = {}
    for label, path in (("first", csv_path), ("again", csv_path), ("changed", changed_path)):
        started = time.perf_counter()
        result = import_file("transactions", path)
        timings[label] = time.perf_counter() - started
        timings[f"{label}_counts"] = [result.counts.created, result.counts.updated, result.counts.unchanged,
                                      result.rejected]
    print(json.dumps(timings))


def measure(csv_path: Path, changed_path: Path, url: str, var_dir: Path) -> dict:
    env = {**os.environ, "ATTAIN_DATABASE_URL": url, "ATTAIN_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, __file__, "--child", str(csv_path), str(changed_path)], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(figures: Figures, name: str, timings: dict) -> None:
    figures.report(f"import_csv_1m_{name}", timings["first"], "s", "<=", TARGET_SECONDS)
    figures.report(f"import_csv_1m_{name}_rows_per_s", ROWS / timings["first"], "rows/s")
    figures.report(f"reimport_csv_1m_{name}_unchanged", timings["again"], "s", "<=", TARGET_SECONDS)
    figures.report(f"reimport_csv_1m_{name}_10pct_changed_audited", timings["changed"], "s", "<=", TARGET_SECONDS)
    changed = len(range(0, ROWS, CHANGED_EVERY))
    expected = [[ROWS, 0, 0, 0], [0, 0, ROWS, 0], [0, changed, ROWS - changed, 0]]
    found = [timings["first_counts"], timings["again_counts"], timings["changed_counts"]]
    if found != expected:
        print(f"unexpected counts on {name}: {found}")
        figures.missed.append(name)


def main() -> int:
    from pg_cluster import PostgresUnavailable, throwaway_cluster

    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="attain-bench-import-") as folder:
        folder = Path(folder)
        csv_path, changed_path = folder / "transactions.csv", folder / "changed" / "transactions.csv"
        changed_path.parent.mkdir()
        write_csv(csv_path, ROWS)
        write_csv(changed_path, ROWS, CHANGED_EVERY)
        print(f"# {ROWS:,} rows, {csv_path.stat().st_size / 1e6:,.0f} MB of CSV", flush=True)
        report(figures, "sqlite", measure(csv_path, changed_path, f"sqlite:///{folder / 'bench.sqlite3'}", folder))
        try:
            with throwaway_cluster() as url:
                report(figures, "postgresql", measure(csv_path, changed_path, url, folder))
        except PostgresUnavailable as why:
            print(f"import_csv_1m_postgresql: skipped ({why})")
    return figures.exit_code()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
