"""Load the demo company into a fresh SQLite database, and write 10,000,000 synthetic transactions.

Both run the real CLI (`attain demo --no-serve`, `attain demo --scale`) in a child process on a
temporary ATTAIN_VAR_DIR, so var/attain.sqlite3 is never touched. Peak memory is the child's
maximum resident set size.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import Figures  # noqa: E402

ATTAIN = str(Path(sys.executable).with_name("attain"))
SCALE_ROWS = int(os.environ.get("ATTAIN_BENCH_SCALE_ROWS", 10_000_000))


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([ATTAIN, *args], env=env, check=True, stdout=subprocess.DEVNULL, cwd=env["ATTAIN_VAR_DIR"])
    return time.perf_counter() - started


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="attain-bench-") as folder:
        env = {**os.environ, "ATTAIN_VAR_DIR": folder, "ATTAIN_DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3"}
        figures.report("demo_load_sqlite", timed(["demo", "--no-serve"], env), "s", "<=", 60)
        figures.report("demo_load_peak_memory", peak_child_mb(), "MB", "<=", 2048)
        seconds = timed(["demo", "--scale", str(SCALE_ROWS), "--payees", "10000", "--out", f"{folder}/scale"], env)
        figures.report(f"scale_write_{SCALE_ROWS // 1_000_000}m_transactions", seconds, "s", "<=", 120)
        figures.report("scale_write_rows_per_s", SCALE_ROWS / seconds, "rows/s")
        size = sum(p.stat().st_size for p in Path(folder, "scale").rglob("*") if p.is_file()) / 2**20
        figures.report("scale_parquet_size", size, "MB")
    return figures.exit_code()


if __name__ == "__main__":
    sys.exit(main())
