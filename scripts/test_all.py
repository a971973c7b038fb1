"""Run the whole suite: on SQLite with the browser tests, and the database tests on PostgreSQL, at once.

The Spark conformance tests (marker `spark`) run in the PostgreSQL half, the shorter one (the browser
tests are in the other); without PostgreSQL they run in the SQLite suite.

The two runs are separate processes working on separate databases (every test writes its files in its
own folder), so they run side by side, one per core: the suite takes about as long as its longer half.
The SQLite run prints as it goes; the PostgreSQL run's output follows when both are done.

PostgreSQL: ATTAIN_TEST_POSTGRES_URL names a server to use; otherwise, where PostgreSQL 15's
binaries are installed, a throwaway cluster is started (scripts/pg_cluster.py). With CI=true a
missing PostgreSQL or Chromium is an error, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from pg_cluster import PostgresUnavailable, throwaway_cluster  # noqa: E402

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=25"]


def run(args: list[str], env: dict[str, str]) -> int:
    print("$", " ".join(args[2:]), flush=True)
    return subprocess.call(args, cwd=ROOT, env=env)


def main() -> int:
    env = dict(os.environ)
    url = os.environ.get("ATTAIN_TEST_POSTGRES_URL")
    if url:
        return both(env, url)
    try:
        with throwaway_cluster() as url:
            return both(env, url)
    except PostgresUnavailable as why:
        if CI:
            print(f"CI=true but PostgreSQL is unavailable: {why}", file=sys.stderr)
            return 1
        print(f"SKIPPED the PostgreSQL suite: {why}. Install Debian's postgresql package to run it.")
        print("== The suite on SQLite (with the browser tests) ==", flush=True)
        return run(PYTEST, env)


def both(env: dict[str, str], url: str) -> int:
    """The SQLite suite (printing as it goes) and the PostgreSQL suite (printed after) side by side."""
    with tempfile.TemporaryFile("w+") as log:
        postgres = subprocess.Popen([*PYTEST, "-m", "not browser"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    env={**env, "ATTAIN_DATABASE_URL": url})
        print("== The suite on SQLite (with the browser tests; Spark runs with PostgreSQL) ==", flush=True)
        sqlite = run([*PYTEST, "-m", "not spark"], env)
        status = postgres.wait()
        log.seek(0)
        print(f"== The database tests on PostgreSQL ({url}) ==\n$ pytest -q -m 'not browser' (Spark included)", flush=True)
        sys.stdout.write(log.read())
    return sqlite or status


if __name__ == "__main__":
    sys.exit(main())
