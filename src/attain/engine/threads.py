"""One DuckDB backend per thread, for callers that run the engine from several threads at once (a web server).

The engine builds its inputs as in-memory tables (`ibis.memtable`) and runs them on Ibis's default
backend: one DuckDB connection per process. A DuckDB connection must not run two queries at once, so
two requests estimating at the same moment on one connection fail ("Attempting to execute an
unsuccessful or closed pending query result") or hang. `per_thread()` makes the default backend a
stand-in that hands each thread a DuckDB backend of its own, created on the thread's first query:
every query a thread runs, and the in-memory tables it registers, stay on its own connection.
Single-threaded callers (the CLI, a calculation job) see no difference.
"""

from __future__ import annotations

import threading

import ibis


class PerThreadBackend:
    """Ibis's default backend, one DuckDB connection per thread (everything else is delegated to it)."""

    name = "duckdb"

    def __init__(self) -> None:
        self._local = threading.local()

    def current(self):
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = self._local.backend = ibis.duckdb.connect()
        return backend

    def __getattr__(self, attribute: str):
        return getattr(self.current(), attribute)


def per_thread() -> None:
    """Give each thread its own default DuckDB backend (idempotent; leaves another chosen backend alone)."""
    if ibis.options.default_backend is None:
        ibis.options.default_backend = PerThreadBackend()
