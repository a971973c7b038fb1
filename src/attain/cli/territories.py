"""`attain territories …`: apply territory rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

territories = typer.Typer(help="Territory assignment.", no_args_is_help=True)
console = Console()


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-07-01") from None


@territories.command("assign")
def assign(
    as_of: Annotated[str, typer.Option("--as-of", help="Day from which the assignments apply (YYYY-MM-DD).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
) -> None:
    """Assign accounts to territories by the rules valid on a day (manual assignments are kept)."""
    day = _parse_day(as_of)
    setup_django()
    migrate()
    from attain.apps.territories.services import apply_territory_rules

    report = apply_territory_rules(day, dry_run=dry_run)
    table = Table(title=f"Territory rules applied from {day}" + (" (dry run: nothing written)" if dry_run else ""))
    table.add_column("outcome")
    table.add_column("accounts", justify="right")
    for label, count in [("newly assigned", report.assigned), ("moved", report.moved),
                         ("unchanged", report.unchanged), ("kept (manual)", report.kept_manual),
                         ("no rule matches", len(report.unassigned)), ("tie between territories", len(report.ambiguous))]:
        table.add_row(label, f"{count:,}")
    console.print(table)
    for account, tied in list(report.ambiguous.items())[:10]:
        console.print(f"[yellow]{account}[/yellow] matches {', '.join(tied)} at the same priority; "
                      f"give one rule a lower priority number. Assigned to {tied[0]}.")
    if report.unassigned:
        sample = ", ".join(report.unassigned[:10])
        console.print(f"[yellow]No rule covers {len(report.unassigned):,} accounts[/yellow] (e.g. {sample}); "
                      "add rules or assign them by hand.")
