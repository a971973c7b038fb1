"""`attain calc PERIOD` and `attain explain PARTICIPANT PERIOD`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

console = Console()


def calc(period: Annotated[str, typer.Argument(help="The month to calculate, e.g. FY2026-M03.")],
         engine: Annotated[str | None, typer.Option(
             help="duckdb (embedded) or spark. Default: ATTAIN_ENGINE, else duckdb.")] = None,
         master: Annotated[str | None, typer.Option(
             help="With --engine spark: the Spark master URL (local[*], spark://host:7077, yarn, k8s://…). "
                  "Default: ATTAIN_SPARK_MASTER, else local[*].")] = None,
         transactions: Annotated[str | None, typer.Option(
             help="Read the transactions from the data lake instead of the database: a Parquet file or folder "
                  "(e.g. partitioned by period), or a table of the engine's catalog (docs/scale-out.md). "
                  "Default: ATTAIN_LAKE_TRANSACTIONS, else the database.")] = None,
         splits: Annotated[str | None, typer.Option(
             help="With --transactions: their credit splits, a Parquet path or a table. Default: "
                  "ATTAIN_LAKE_SPLITS.")] = None,
         results: Annotated[str | None, typer.Option(
             help="Also write the run's earning lines to a Parquet file or folder, or (on Spark) a table or a "
                  "storage URI such as s3a://bucket/earnings/.")] = None,
         job: Annotated[int | None, typer.Option(hidden=True, help="Carry out run N, recorded by the web app or "
                                                                  "the API (attain.apps.calc.jobs).")] = None) -> None:
    """Calculate every published plan for a month and record the run."""
    setup_django()
    from django.conf import settings

    from attain.apps.calc.lake import ResultsError, check_results_target, configured_sources, write_results

    engine, master = engine or settings.ATTAIN_ENGINE, master or settings.ATTAIN_SPARK_MASTER or None
    if splits and not transactions:
        fail("--splits goes with --transactions (the database's transactions have their splits)")
    sources = configured_sources(transactions, splits)
    if job is not None:
        from attain.apps.calc.jobs import perform, this_worker

        raise typer.Exit(perform(job, this_worker(), engine, master, sources))
    migrate()
    start_engine(engine, master)
    from attain.apps.calc.services import CalculationError, calculate_period

    try:
        if results:
            check_results_target(results)
        with console.status(f"Calculating {period}…") as status:
            run = calculate_period(period, progress=lambda step: status.update(step), sources=sources)
        print_run_summary(run)
        if results:
            console.print(f"Earning lines written to {write_results(run, results)}")
    except (CalculationError, ResultsError) as failure:
        fail(f"Cannot calculate {period}: {failure}")


def fail(message: str) -> None:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(1)


def start_engine(engine: str, master: str | None) -> None:
    """Run the engine's queries on `engine` in this process (DuckDB needs nothing started)."""
    from attain.apps.calc.lake import spark_warehouse
    from attain.engine import backends

    if engine == "duckdb":
        return
    try:
        with console.status(f"Starting {backends.describe(engine, master)}…"):
            backends.use_engine(engine, master, spark_warehouse())
    except backends.EngineUnavailable as unavailable:
        console.print(f"[red]Cannot use that engine:[/red] {unavailable}")
        raise typer.Exit(1) from None


def print_run_summary(run) -> None:
    from collections import defaultdict
    from decimal import Decimal

    from attain.apps.calc.models import Earning
    from attain.engine.money import show_amount

    table = Table(title=f"Run {run.pk}: {run.period} ({run.status}, {run.timings.get('calculate', 0)} s on {run.engine})")
    for column in ("plan", "currency", "payees", "earnings"):
        table.add_column(column, justify="right" if column in ("payees", "earnings") else "left")
    payees, totals = defaultdict(set), defaultdict(Decimal)  # summed in Python: SQLite sums decimals as floats
    for plan, currency, participant, amount in Earning.objects.filter(run=run).values_list(
            "plan_version__plan__code", "currency", "participant", "amount_rounded"):
        payees[(plan, currency)].add(participant)
        totals[(plan, currency)] += amount
    for (plan, currency), total in sorted(totals.items()):
        table.add_row(plan, currency, str(len(payees[(plan, currency)])), show_amount(total))
    console.print(table)
    for exception in run.exceptions[:10]:
        console.print(f"[yellow]![/yellow] {exception}")
    if len(run.exceptions) > 10:
        console.print(f"… and {len(run.exceptions) - 10} more exceptions (see the run in the admin)")


def explain(
    participant: Annotated[str, typer.Argument(help="Employee id or login of the participant.")],
    period: Annotated[str, typer.Argument(help="The month, e.g. FY2026-M03.")],
) -> None:
    """Explain, in plain language, how a participant's earnings for a month were computed."""
    setup_django()
    from attain.apps.calc.explain import explain_earnings
    from attain.apps.calc.services import CalculationError

    try:
        console.print(explain_earnings(participant, period).text(), highlight=False)
    except CalculationError as failure:
        console.print(f"[red]{failure}[/red]")
        raise typer.Exit(1) from None
