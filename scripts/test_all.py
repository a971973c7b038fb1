"""Run the whole suite: on SQLite with the browser tests, then the database tests on PostgreSQL.

PostgreSQL: ATTAIN_TEST_POSTGRES_URL names a server to use; otherwise, where PostgreSQL 15's
binaries are installed, a throwaway cluster is started (scripts/pg_cluster.py). With CI=true a
missing PostgreSQL or Chromium is an error, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from pg_cluster import PostgresUnavailable, throwaway_cluster  # noqa: E402

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def run(args: list[str], env: dict[str, str]) -> int:
    print("$", " ".join(args[2:]), flush=True)
    return subprocess.call(args, cwd=ROOT, env=env)


def main() -> int:
    env = dict(os.environ)
    print("== The suite on SQLite (with the browser tests) ==", flush=True)
    status = run(PYTEST, env)
    url = os.environ.get("ATTAIN_TEST_POSTGRES_URL")
    if url:
        return status or postgres_suite(env, url)
    try:
        with throwaway_cluster() as url:
            return status or postgres_suite(env, url)
    except PostgresUnavailable as why:
        if CI:
            print(f"CI=true but PostgreSQL is unavailable: {why}", file=sys.stderr)
            return 1
        print(f"SKIPPED the PostgreSQL suite: {why}. Install Debian's postgresql package to run it.")
        return status


def postgres_suite(env: dict[str, str], url: str) -> int:
    print(f"== The database tests on PostgreSQL ({url}) ==", flush=True)
    env = {**env, "ATTAIN_DATABASE_URL": url}
    return run([*PYTEST, "-m", "not browser"], env)


if __name__ == "__main__":
    sys.exit(main())
