"""The calculation engine as the data grows: 1M to 100M transactions, 10,000 to 100,000 payees, DuckDB and Spark.

Data: bench/engine.py's data set (`bench/_scale_data.py`) at each case's size: 1% directors, 9% managers,
90% reps with one territory each (1% handed over on 1 April), ten accounts per payee (5% moving
territory mid-year), 2% of reps changing manager on 1 July, 1% of transactions credit notes; seeded,
written to Parquet in chunks in a child process. Default cases: 1M transactions / 10k payees, 10M / 10k,
10M / 100k and 100M / 100k, each only where memory and disk allow (MemAvailable and free space
against an estimate per row; a skipped case says why).

Plan: bench/engine.py's (territory crediting, two-level roll-up, marginal attainment tiers with
accelerators and a 0% tier above 200%, monthly year-to-date true-up against annual quotas).

Each run is a fresh child process (peak memory per run; no JVM outlives its run): the full-year
`calculate` on DuckDB, the same on local Spark (`local[*]`, `ATTAIN_SPARK_DRIVER_MEMORY`, default 4g),
and the hand-written DuckDB SQL query of bench/engine.py. Figures per case and run: seconds, rows/s,
peak memory (the Python process' peak RSS; for Spark plus the JVM's peak, VmHWM); per case the
DuckDB engine / SQL ratio (target <= 1.5) and the payee-months whose totals differ to the cent between
the DuckDB engine and the SQL, and between Spark and DuckDB (target 0); per run kind, growth: time per
row at the largest case over time per row at the smallest, same payees (DuckDB target <= 1: cost grows
no faster than linearly in rows). A time-vs-rows table closes the output; a default run also writes
it, with a Mermaid chart, between the scale-plot markers of docs/benchmarks.md.

Knobs: ATTAIN_BENCH_SCALE_CASES ("1m:10k,10m:10k": rows:payees, k/m suffixes), ATTAIN_BENCH_SCALE_ENGINES
("duckdb,spark"), ATTAIN_BENCH_SCALE_DATA (a folder outside the repository where the data sets are kept
and reused; by default a temporary folder, each case's data removed after it), ATTAIN_BENCH_SCALE_WRITE=1
(write docs/benchmarks.md after a run of other cases), ATTAIN_BENCH_SCALE_SPARK_MAX ("10m": local Spark only
on cases up to that many rows; the larger ones say it was not run).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _scale_data import Shape, Totals, data_folder, ensure_data, label, mismatches, peak_rss_mb  # noqa: E402
from common import Figures  # noqa: E402

DEFAULT_CASES = "1m:10k,10m:10k,10m:100k,100m:100k"
CASES = os.environ.get("ATTAIN_BENCH_SCALE_CASES", DEFAULT_CASES)
ENGINES = os.environ.get("ATTAIN_BENCH_SCALE_ENGINES", "duckdb,spark")
DATA = os.environ.get("ATTAIN_BENCH_SCALE_DATA")
SPARK_MAX = os.environ.get("ATTAIN_BENCH_SCALE_SPARK_MAX")  # rows, e.g. "10m"
WRITE = os.environ.get("ATTAIN_BENCH_SCALE_WRITE") == "1" or "ATTAIN_BENCH_SCALE_CASES" not in os.environ
DOC = ROOT / "docs" / "benchmarks.md"
MARKERS = ("<!-- scale-plot:start -->", "<!-- scale-plot:end -->")
SQL = "sql"  # the hand-written DuckDB SQL, timed at every case beside the engines
NAMES = {"duckdb": "DuckDB engine", "spark": "Spark engine (local)", SQL: "hand-written DuckDB SQL"}
COLOURS = {"duckdb": ("#2563eb", "blue"), "spark": ("#ea580c", "orange"), SQL: ("#16a34a", "green")}  # the chart's
# what a case needs, by rows (estimates from 10M-row runs, with room to spare): memory for the largest run
# (Spark's JVM and Python, or DuckDB's hash tables), disk for the Parquet (~25 B a row) and spilled shuffles
MEMORY_BASE_MB, MEMORY_PER_ROW_B = 2_048, 100
DISK_PER_ROW_B = 100


@dataclass(frozen=True)
class Case:
    rows: int
    payees: int

    @property
    def name(self) -> str:
        return f"{label(self.rows)}_{label(self.payees)}"

    @property
    def title(self) -> str:
        return f"{label(self.rows).replace('m', 'M')} / {label(self.payees)}"  # "10M / 100k": rows / payees


def count(text: str) -> int:
    """ "200k" → 200000, "1.5m" → 1500000, "5000" → 5000."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(Decimal(text[:-1] if scale > 1 else text) * scale)


def parse_cases(text: str) -> list[Case]:
    cases = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        rows, _, payees = part.partition(":")
        cases.append(Case(count(rows), count(payees or "10k")))
    return cases


# ----------------------------------------------------------------------------------------- room


def mem_info_mb(key: str) -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


def no_room(case: Case, folder: Path) -> str | None:
    """Why the machine cannot take the case now (memory, disk), or None when it can."""
    need_mb = MEMORY_BASE_MB + case.rows * MEMORY_PER_ROW_B / 2**20
    available_mb = mem_info_mb("MemAvailable")
    if available_mb < need_mb:
        return f"needs about {need_mb / 1024:,.1f} GB of memory, {available_mb / 1024:,.1f} GB available"
    existing = folder
    while not existing.exists():
        existing = existing.parent
    need_disk = case.rows * DISK_PER_ROW_B / 2**30
    free = shutil.disk_usage(existing).free / 2**30
    if free < need_disk:
        return f"needs about {need_disk:,.1f} GB of disk under {existing}, {free:,.1f} GB free"
    return None


# ---------------------------------------------------------------------------- measuring (child)


def measure(what: str, folder: Path, totals_file: Path) -> dict:
    """One run in this (fresh) process: the full-year calculation or the SQL; its totals go to `totals_file`."""
    if what == SQL:
        return measure_sql(folder, totals_file)
    return measure_engine(what, folder, totals_file)


def measure_engine(engine: str, folder: Path, totals_file: Path) -> dict:
    from _scale_data import engine_inputs, load_bench_plan, payee_month_totals, read_quotas

    from attain.engine import backends
    from attain.engine.calculate import calculate

    backend = backends.use_engine(engine)  # Spark: a local[*] session; inputs are that backend's tables
    plan = load_bench_plan()
    inputs = engine_inputs(backend, folder, read_quotas(backend, folder))
    started = time.perf_counter()
    result = calculate(plan, inputs)
    seconds = time.perf_counter() - started
    jvm_mb = jvm_peak_mb() if engine == "spark" else 0.0
    if engine == "spark":
        backend._session.stop()
    totals = payee_month_totals(result.earnings)
    python_mb = peak_rss_mb()
    return {"seconds": seconds, "python_peak_mb": python_mb, "jvm_peak_mb": jvm_mb, "peak_mb": python_mb + jvm_mb,
            "earnings": len(result.earnings), "exceptions": len(result.exceptions),
            "digest": write_totals(totals, totals_file)}


def measure_sql(folder: Path, totals_file: Path) -> dict:
    import duckdb
    from _scale_data import sql_query, sql_totals

    started = time.perf_counter()
    rows = duckdb.connect().sql(sql_query(folder)).fetchall()
    seconds = time.perf_counter() - started
    totals = sql_totals(rows)
    return {"seconds": seconds, "python_peak_mb": peak_rss_mb(), "jvm_peak_mb": 0.0, "peak_mb": peak_rss_mb(),
            "earnings": len(rows), "exceptions": 0, "digest": write_totals(totals, totals_file)}


def jvm_peak_mb() -> float:
    """The peak resident memory (VmHWM) of the Java processes this process started (Spark's driver JVM)."""
    return sum(status_kb(pid, "VmHWM") for pid in descendants(os.getpid()) if process_name(pid) == "java") / 1024


def descendants(pid: int) -> list[int]:
    parent_of = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:  # /proc/PID/stat: "pid (name) state ppid …"; the name may hold spaces and parentheses
                parent_of[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in parent_of.items() if parent == pid]
        found += children
        todo += children
    return found


def process_name(pid: int) -> str:
    return status_field(pid, "Name") or ""


def status_kb(pid: int, key: str) -> int:
    value = status_field(pid, key)
    return int(value.split()[0]) if value else 0


def status_field(pid: int, key: str) -> str | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key + ":")), None)


def write_totals(totals: Totals, path: Path) -> str:
    """Non-zero payee-month totals, sorted, one `participant period amount` a line; returns the file's digest."""
    import hashlib

    text = "".join(f"{participant}\t{period}\t{amount}\n" for (participant, period), amount in sorted(totals.items())
                   if amount != 0)
    path.write_text(text)
    return hashlib.sha256(text.encode()).hexdigest()


def read_totals(path: Path) -> Totals:
    totals = {}
    for line in path.read_text().splitlines():
        participant, period, amount = line.split("\t")
        totals[(participant, period)] = Decimal(amount)
    return totals


# ------------------------------------------------------------------------------------ runs (parent)


@dataclass
class Run:
    case: Case
    what: str  # duckdb, spark or sql
    totals_file: Path
    result: dict | None = None  # the child's JSON line; None when it failed
    failure: str = ""

    @property
    def seconds(self) -> float:
        return self.result["seconds"]

    @property
    def rows_per_s(self) -> float:
        return self.case.rows / self.seconds


def run_child(case: Case, what: str, folder: Path, scratch: Path) -> Run:
    """Measure one run in a child process; its last stdout line is the result (JSON)."""
    run = Run(case, what, scratch / f"{case.name}-{what}.tsv")
    log = scratch / f"{case.name}-{what}.log"
    with log.open("w") as errors:
        child = subprocess.run([sys.executable, __file__, "--measure", what, str(folder), str(run.totals_file)],
                               stdout=subprocess.PIPE, stderr=errors, text=True)
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode == 0 and lines:
        run.result = json.loads(lines[-1])
    else:
        tail = log.read_text().strip().splitlines()[-15:]
        run.failure = f"exit code {child.returncode}: " + " | ".join(tail)[-1500:]
    return run


def differing(one: Run, other: Run) -> int:
    """Payee-months whose totals differ between two runs (the digests first: equal files, no difference)."""
    if one.result["digest"] == other.result["digest"]:
        return 0
    return len(mismatches(read_totals(one.totals_file), read_totals(other.totals_file)))


def run_case(case: Case, engines: list[str], base: Path, scratch: Path, figures: Figures) -> tuple[list[Run], str]:
    """The case's runs that succeeded, and why it was skipped or failed ("" when it ran)."""
    shape = Shape.of(case.rows, case.payees)
    folder = data_folder(base, shape)
    why = no_room(case, folder if (folder / "complete").exists() else base)
    if why:
        print(f"# case {case.name} skipped: {why}", flush=True)
        return [], f"{case.title} skipped: {why}"
    print(f"# case {case.name}: {shape.describe()}; data {ensure_data(folder, shape)}", flush=True)
    runs, notes = [], []
    if "spark" in engines and SPARK_MAX and case.rows > count(SPARK_MAX):
        engines = [engine for engine in engines if engine != "spark"]
        notes.append(f"{case.title}: Spark not run (ATTAIN_BENCH_SCALE_SPARK_MAX={SPARK_MAX})")
        print(f"#   {notes[-1]}", flush=True)
    for what in [SQL, *engines]:
        print(f"#   running {NAMES[what]} …", flush=True)
        runs.append(run_child(case, what, folder, scratch))
    if not DATA:
        shutil.rmtree(folder)
    report_case(case, runs, figures)
    failed = [NAMES[run.what] for run in runs if not run.result]
    notes += [f"{case.title}: {', '.join(failed)} failed"] if failed else []
    return [run for run in runs if run.result], "; ".join(notes)


def report_case(case: Case, runs: list[Run], figures: Figures) -> None:
    by_what = {run.what: run for run in runs if run.result}
    for run in runs:
        if not run.result:
            print(f"#   {NAMES[run.what]} failed: {run.failure}", flush=True)
            figures.report(f"{run.what}_{case.name}_failed", 1, "run", "<=", 0)
            continue
        figures.report(f"{run.what}_{case.name}_seconds", run.seconds, "s")
        figures.report(f"{run.what}_{case.name}_rows_per_s", run.rows_per_s, "rows/s")
        figures.report(f"{run.what}_{case.name}_peak_memory", run.result["peak_mb"], "MB")
        r = run.result
        print(f"#   {NAMES[run.what]}: {r['earnings']:,} {'rows' if run.what == SQL else 'earnings'}, "
              f"{r['exceptions']} exceptions"
              + (f"; peak Python {r['python_peak_mb']:,.0f} MB + JVM {r['jvm_peak_mb']:,.0f} MB"
                 if run.what == "spark" else ""), flush=True)
    duckdb, spark, sql = (by_what.get(what) for what in ("duckdb", "spark", SQL))
    if duckdb and sql:
        figures.report(f"duckdb_to_sql_ratio_{case.name}", duckdb.seconds / sql.seconds, "x", "<=", 1.5)
        figures.report(f"duckdb_sql_mismatches_{case.name}", differing(duckdb, sql), "payee-months", "<=", 0)
    if spark and duckdb:
        figures.report(f"spark_duckdb_mismatches_{case.name}", differing(spark, duckdb), "payee-months", "<=", 0)
    elif spark and sql:
        figures.report(f"spark_sql_mismatches_{case.name}", differing(spark, sql), "payee-months", "<=", 0)


# ------------------------------------------------------------------------------------------ growth


def growth_pairs(runs: list[Run]) -> list[tuple[Run, Run, str]]:
    """Per run kind, (smallest, largest, note): the widest span of rows at the same payees, else overall."""
    pairs = []
    for what in dict.fromkeys(run.what for run in runs):
        mine = sorted((run for run in runs if run.what == what), key=lambda run: (run.case.rows, run.case.payees))
        groups = {}
        for run in mine:
            groups.setdefault(run.case.payees, []).append(run)
        spans = [(g[0], g[-1]) for g in groups.values() if g[-1].case.rows > g[0].case.rows]
        for small, large in spans:
            pairs.append((small, large, f"{label(small.case.payees)} payees"))
        if not spans and len(mine) > 1 and mine[-1].case.rows > mine[0].case.rows:
            pairs.append((mine[0], mine[-1], "payees differ"))
    return pairs


def report_growth(runs: list[Run], figures: Figures) -> list[str]:
    """Time per row at the larger case over time per row at the smaller (1: linear); returns lines for the docs."""
    import math

    lines = []
    for small, large, note in growth_pairs(runs):
        growth = (large.seconds / large.case.rows) / (small.seconds / small.case.rows)
        name = f"{small.what}_growth_{small.case.name}_to_{large.case.name}"
        target = ("<=", 1.0) if small.what == "duckdb" else (None, None)
        figures.report(name, growth, "x time per row", *target)
        exponent = math.log(large.seconds / small.seconds) / math.log(large.case.rows / small.case.rows)
        lines.append(f"{NAMES[small.what]}, {small.case.title} → {large.case.title} ({note}): time per row ×"
                     f"{growth:.2f}, time ∝ rows^{exponent:.2f}")
        print(f"#   {lines[-1]}", flush=True)
    if not lines:
        print("# growth: needs two cases of different sizes", flush=True)
    return lines


# ---------------------------------------------------------------------------------- table and plot

ABOUT = """
bench/engine.py's data set and plan (territory crediting, two roll-up levels, marginal attainment
tiers, monthly year-to-date true-up; 1% directors, 9% managers, 90% reps, ten accounts per payee) at
each size, every run in its own process: the full-year `calculate` on DuckDB and on local Spark, and
the hand-written DuckDB SQL. Peak memory is the Python process' peak RSS, plus the JVM's (VmHWM) for
Spark. Targets: the DuckDB engine within 1.5× of the SQL at every size, 0 payee-months differing to
the cent (DuckDB engine vs SQL, Spark vs DuckDB), DuckDB's time per row not growing with rows.
Written by `bench/scale.py`; the next run of the default cases replaces this section.
"""


def table_lines(runs: list[Run]) -> list[str]:
    lines = ["| transactions | payees | run | seconds | rows/s | peak MB |", "| ---: | ---: | --- | ---: | ---: | ---: |"]
    for run in sorted(runs, key=lambda run: (run.case.rows, run.case.payees, run.what)):
        lines.append(f"| {run.case.rows:,} | {run.case.payees:,} | {NAMES[run.what]} | {run.seconds:,.2f} | "
                     f"{run.rows_per_s:,.0f} | {run.result['peak_mb']:,.0f} |")
    return lines


def chart_lines(runs: list[Run]) -> list[str]:
    """A Mermaid xychart-beta: seconds per case (ordered by rows), one line per run kind measured at every case."""
    cases = sorted({run.case for run in runs}, key=lambda case: (case.rows, case.payees))
    seconds = {(run.case, run.what): run.seconds for run in runs}
    kinds = [what for what in ("duckdb", "spark", SQL) if all((case, what) in seconds for case in cases)]
    palette = ", ".join(COLOURS[what][0] for what in kinds)
    return ["```mermaid",
            '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "' + palette + '"}}}}%%',
            "xychart-beta",
            '  title "Full plan year: seconds by transactions / payees"',
            "  x-axis [" + ", ".join(f'"{case.title}"' for case in cases) + "]",
            '  y-axis "seconds"',
            *(f"  line [{', '.join(f'{seconds[(case, what)]:.2f}' for case in cases)}]" for what in kinds),
            "```", "",
            "Lines: " + ", ".join(f"{NAMES[what]} ({COLOURS[what][1]})" for what in kinds) + "."]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    return (f"Machine: {os.cpu_count()} cores ({cpu}), {mem_info_mb('MemTotal') / 1024:,.0f} GB RAM.\nSoftware: Python "
            f"{platform.python_version()}, DuckDB {version('duckdb')}, Ibis {version('ibis-framework')}, PySpark "
            f"{version('pyspark')} (local[*], driver memory {os.environ.get('ATTAIN_SPARK_DRIVER_MEMORY', '4g')}).")


def section(runs: list[Run], skipped: list[str], growth: list[str], figures: Figures) -> str:
    verdict = "targets met" if not figures.missed else "missed: " + ", ".join(figures.missed)
    text = [MARKERS[0], f"## Scale (`make bench BENCH=scale`), {date.today().isoformat()}: {verdict}", "",
            *ABOUT.strip().splitlines(), "", machine(), "", *table_lines(runs), ""]
    text += [f"- {line}" for line in growth + skipped] + ([""] if growth or skipped else [])
    return "\n".join(text + chart_lines(runs) + [MARKERS[1]]) + "\n"


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    start, end = doc.find(MARKERS[0]), doc.find(MARKERS[1])
    if start >= 0 and end > start:
        doc = doc[:start] + text + doc[end + len(MARKERS[1]) + 1:]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc)
    print(f"# wrote the table and chart to {DOC.relative_to(ROOT)}", flush=True)


# -------------------------------------------------------------------------------------------- main


def main() -> int:
    figures = Figures()
    engines = [engine.strip() for engine in ENGINES.split(",") if engine.strip()]
    unknown = [engine for engine in engines if engine not in ("duckdb", "spark")]
    if unknown:
        print(f"ATTAIN_BENCH_SCALE_ENGINES: unknown {', '.join(unknown)}; choose from duckdb, spark", file=sys.stderr)
        return 2
    runs, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="attain-bench-scale-") as scratch:
        base = Path(DATA) if DATA else Path(scratch) / "data"
        for case in parse_cases(CASES):
            measured, note = run_case(case, engines, base, Path(scratch), figures)
            runs += measured
            skipped += [note] if note else []
    print("# time against rows:", flush=True)
    for line in table_lines(runs):
        print(f"#   {line}", flush=True)
    growth = report_growth(runs, figures)
    if WRITE and runs:
        write_doc(section(runs, skipped, growth, figures))
    return figures.exit_code()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))), flush=True)
        sys.exit(0)
    sys.exit(main())
