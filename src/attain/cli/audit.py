"""`attain audit show|export`: read the audit log, or write it to a CSV or JSON-lines file (docs/audit.md)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

audit = typer.Typer(help="The audit log: who changed what, when, before and after, and why.", no_args_is_help=True)
console = Console()
SHOWN_VALUE = 40


def _day(text: str | None, option: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"write {option} as YYYY-MM-DD, e.g. 2026-11-01", param_hint=option) from None


def _django() -> None:
    setup_django()
    migrate()


@audit.command("show")
def show(
    object_: Annotated[str | None, typer.Option("--object", help="TYPE or TYPE:ID, e.g. plans.PlanVersion:3.")] = None,
    since: Annotated[str | None, typer.Option(help="From this day on (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day, included (YYYY-MM-DD).")] = None,
    user: Annotated[str | None, typer.Option(help="Only this user's changes (username).")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. changed or published.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many entries, newest first.")] = 50,
) -> None:
    """List audit entries, newest first, with the fields each change touched."""
    days = _day(since, "--since"), _day(until, "--until")
    _django()
    from attain.apps.audit.queries import select_entries

    entries = list(select_entries(object_=object_, since=days[0], until=days[1], username=user, action=action)
                   [:limit])
    if not entries:
        console.print("No audit entries match.")
        return
    console.print(entries_table(entries))


def entries_table(entries) -> Table:
    from attain.apps.audit.services import changes

    table = Table(title=f"Audit log: {len(entries)} {'entry' if len(entries) == 1 else 'entries'}, newest first")
    for column in ("#", "at (UTC)", "user", "action", "object", "what", "source", "reason", "changes"):
        table.add_column(column, overflow="fold", justify="right" if column == "#" else "left")
    for e in entries:
        before, after = changes(e.before, e.after)
        shown = "\n".join(f"{k}: {_value(before.get(k))} → {_value(after.get(k))}" for k in {**before, **after})
        table.add_row(str(e.pk), e.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                      escape(e.username or "(system)"), e.action, escape(f"{e.object_type}:{e.object_id}"),
                      escape(e.object_repr), e.source, escape(e.reason), escape(shown))
    return table


def _value(value) -> str:
    text = "–" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_VALUE else text[:SHOWN_VALUE - 1] + "…"


@audit.command("export")
def export(
    format_: Annotated[str, typer.Option("--format", help="csv or jsonl (JSON lines).")],
    out: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    since: Annotated[str | None, typer.Option(help="From this day on (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day, included (YYYY-MM-DD).")] = None,
) -> None:
    """Write the audit log (oldest first) to a file; docs/audit.md describes the columns. The export is itself
    recorded in the log."""
    days = _day(since, "--since"), _day(until, "--until")
    if format_ not in ("csv", "jsonl"):
        raise typer.BadParameter("use csv or jsonl", param_hint="--format")
    _django()
    from attain.apps.audit.export import write_entries
    from attain.apps.audit.models import AuditEntry
    from attain.apps.audit.queries import select_entries
    from attain.apps.audit.services import Action, Source, record

    entries = select_entries(since=days[0], until=days[1]).order_by("at", "id")
    try:
        with out.open("w", newline="", encoding="utf-8") as file:
            rows = write_entries(entries, file, format_)
    except OSError as failure:
        console.print(f"[red]Cannot write {escape(str(out))}:[/red] {escape(failure.strerror or str(failure))}")
        raise typer.Exit(1) from None
    record(Action.EXPORTED, object_type=AuditEntry._meta.label, object_repr=f"{rows} audit entries",
           after={"format": format_, "rows": rows, "since": since, "until": until, "file": out.name},
           source=Source.CLI)
    console.print(f"Wrote {rows:,} audit {'entry' if rows == 1 else 'entries'} to {escape(str(out))} ({format_}).")
