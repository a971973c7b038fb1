"""Serving the WSGI app: gunicorn's worker processes where the system can fork, waitress otherwise.

Python runs one thread at a time per process, so one process uses one core however many threads it
has. Gunicorn starts `workers` processes (by default one per core) with `threads` threads each, and
spreads requests over them: on a 2-core machine twice the pages per second of a single process. On
systems without fork (Windows), waitress serves with threads in one process. Either way static
files come from the app itself (WhiteNoise): nothing from a CDN.
"""

from __future__ import annotations

import os

from rich.console import Console


def default_workers() -> int:
    return max(2, os.cpu_count() or 1)


def run_server(host: str, port: int, threads: int, workers: int | None = None) -> None:
    workers = workers or default_workers()
    Console().print(f"Attain is serving at [bold]http://{host}:{port}/[/bold]  (Ctrl+C to stop)")
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:  # no fork on this system: one process
        return _waitress(host, port, threads)
    _Gunicorn(BaseApplication, host, port, workers, threads).run()


def _waitress(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from attain.site.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="attain", _quiet=True)


def _worker_exit(server, worker) -> None:
    """A worker stopping (Ctrl+C, a restart) leaves at once, once gunicorn has finished its requests: letting the
    interpreter unwind would destroy DuckDB's and Arrow's native thread pools while they still run, which aborts the
    worker ("terminate called without an active exception", SIGABRT) and alarms whoever pressed Ctrl+C."""
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _Gunicorn(base, host: str, port: int, workers: int, threads: int):
    """A gunicorn application for the Attain WSGI app, configured here rather than in a file."""

    class Application(base):
        def load_config(self) -> None:
            settings = {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                        "worker_class": "gthread", "timeout": 300, "graceful_timeout": 30,
                        "accesslog": None, "errorlog": "-", "loglevel": "warning", "proc_name": "attain",
                        "worker_exit": _worker_exit}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            from attain.site.wsgi import application

            return application

    return Application()
