"""The `attain` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from attain.cli.adjustments import adjust
from attain.cli.audit import audit
from attain.cli.calc import calc, explain
from attain.cli.django_setup import migrate, setup_django
from attain.cli.exports import deferred, journal, payroll, statement
from attain.cli.pay import pay
from attain.cli.periods import periods
from attain.cli.plans import plans
from attain.cli.runs import runs
from attain.cli.territories import territories
from attain.cli.tokens import tokens
from attain.io.entities import ENTITIES

app = typer.Typer(
    help="Attain: open-source sales performance management.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(territories, name="territories")
app.add_typer(plans, name="plan")
app.add_typer(runs, name="run")
app.add_typer(periods, name="period")
app.add_typer(adjust, name="adjust")
app.add_typer(audit, name="audit")
app.add_typer(tokens, name="token")
app.command()(calc)
app.command()(explain)
app.command()(pay)
app.command()(statement)
app.command()(payroll)
app.command()(journal)
app.command()(deferred)
console = Console()


@app.command("migrate")
def migrate_command() -> None:
    """Create or upgrade the database (ATTAIN_DATABASE_URL) and the role groups."""
    setup_django()
    migrate(verbosity=1)
    console.print("[green]Database is up to date.[/green]")


@app.command()
def check(deploy: Annotated[bool, typer.Option("--deploy", help="Also check settings for production.")] = False) -> None:
    """Check the installation and, with --deploy, warn about unsafe production settings."""
    setup_django()
    from django.core.management import call_command

    call_command("check", deploy=deploy)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option(help="Threads per worker process (2: see docs/architecture.md, Serving).")] = 2,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: one per core, at least 2).")] = None,
) -> None:
    """Serve the web app (a production WSGI server; static files included, no CDN)."""
    setup_django()
    from attain.cli.serving import run_server

    run_server(host, port, threads, workers)


@app.command()
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load the demo company, then stop.")] = False,
    scale: Annotated[
        int | None,
        typer.Option(help="Instead of the demo company, write N synthetic transactions as Parquet (for benchmarks)."),
    ] = None,
    payees: Annotated[int, typer.Option(help="With --scale: number of payees.")] = 10_000,
    out: Annotated[Path, typer.Option(help="With --scale: folder for the Parquet files.")] = Path("var/scale"),
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same company.")] = 2026,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the data in the database and load the demo again.")] = False,
    through: Annotated[str | None, typer.Option(
        "--through", help="Also take every month up to this one (e.g. FY2026-M10) through calculation, approval, "
                          "payment and close, as the demo's logins would.")] = None,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Load the demo company into the database, print the demo logins and serve the app."""
    from attain.cli.demo import run_demo, run_scale

    if scale is not None:
        run_scale(scale, payees, out, seed)
        return
    run_demo(seed=seed, reset=reset, through=through)
    if not no_serve:
        from attain.cli.serving import run_server

        run_server(host, port, 2)


@app.command("import")
def import_command(
    entity: Annotated[str, typer.Argument(help=(
        f"What the file holds, one of (in the order a full load imports them): {', '.join(ENTITIES)}."))],
    file: Annotated[Path, typer.Argument(help="A .csv, .xlsx or .parquet file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows; put the others in a rejects file.")
    ] = False,
    mapping: Annotated[
        str | None, typer.Option(help="Column names of a CRM export: salesforce or hubspot.")
    ] = None,
    reason: Annotated[str, typer.Option(help="Why the data is imported (kept in the audit log).")] = "",
) -> None:
    """Import a file of one entity. Nothing is written if any row is invalid (unless --skip-invalid).

    Re-importing the same file changes nothing: rows are matched on their key (external id or natural key).
    docs/data-formats.md lists every column. Exit code: 0 imported, 1 invalid rows, 2 unreadable file.
    """
    from attain.cli.importing import run_import

    raise typer.Exit(run_import(entity, file, dry_run=dry_run, skip_invalid=skip_invalid, mapping=mapping,
                                reason=reason))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
