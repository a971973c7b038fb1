"""A throwaway PostgreSQL 15 cluster on 127.0.0.1 for tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PGBIN = Path(os.environ.get("ATTAIN_PGBIN", "/usr/lib/postgresql/15/bin"))


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:  # initdb refuses to run as root
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster in a temporary folder; yield its URL; stop and remove it."""
    if not (PGBIN / "initdb").exists():
        raise PostgresUnavailable(f"no PostgreSQL binaries in {PGBIN}")
    folder = Path(tempfile.mkdtemp(prefix="attain-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    try:
        subprocess.run(_as_postgres([str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                                     "-o", options, "start"]), check=True, capture_output=True)
    except subprocess.CalledProcessError as failure:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"could not start a cluster: {failure.stderr.decode(errors='replace')[-400:]}") from None
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
