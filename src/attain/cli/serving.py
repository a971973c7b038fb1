"""Serving the WSGI app with waitress (pure Python, production-grade, works the same everywhere)."""

from __future__ import annotations

from rich.console import Console


def run_server(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from attain.site.wsgi import application

    Console().print(f"Attain is serving at [bold]http://{host}:{port}/[/bold]  (Ctrl+C to stop)")
    serve(application, host=host, port=port, threads=threads, ident="attain", _quiet=True)
