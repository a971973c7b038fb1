"""`attain run diff A B`: two calculation runs compared line by line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import setup_django

runs = typer.Typer(help="Calculation runs.", no_args_is_help=True)
console = Console()
SHOWN = 25


@runs.command("diff")
def diff(
    first: Annotated[int, typer.Argument(help="The earlier run's number.")],
    second: Annotated[int, typer.Argument(help="The later run's number.")],
) -> None:
    """Compare two calculation runs earning line by earning line (the largest differences first)."""
    setup_django()
    from attain.apps.calc.diff import diff_runs
    from attain.apps.calc.services import CalculationError
    from attain.engine.money import show_amount

    try:
        found = diff_runs(first, second)
    except CalculationError as failure:
        console.print(f"[red]{failure}[/red]")
        raise typer.Exit(1) from None
    n = len(found.changes)
    title = (f"Run {first} ({found.first.period}) → run {second} ({found.second.period}): "
             f"{n} {'line differs' if n == 1 else 'lines differ'}, {found.unchanged} unchanged")
    if not found.changes:
        console.print(f"{title}: the runs agree on every line, to the last decimal.")
        return
    table = Table(title=title)
    for column in ("participant", "position", "component", "period", "before", "after", "difference"):
        table.add_column(column, justify="right" if column in ("before", "after", "difference") else "left")
    for c in found.changes[:SHOWN]:
        table.add_row(c.participant, c.position, c.component, c.period,
                      "(none)" if c.before is None else show_amount(c.before),
                      "(none)" if c.after is None else show_amount(c.after), show_amount(c.difference))
    console.print(table)
    if len(found.changes) > SHOWN:
        console.print(f"… and {len(found.changes) - SHOWN} more lines")
    for currency in sorted({c.currency for c in found.changes}):
        console.print(f"Total difference: {show_amount(found.total(currency))} {currency}")
