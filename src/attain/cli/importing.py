"""`attain import`: the command-line face of attain.apps.imports.services.import_file."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

SHOWN = 20
BIG_FILE = 5_000_000  # bytes: show a progress bar above this size


def run_import(entity: str, file: Path, *, dry_run: bool = False, skip_invalid: bool = False,
               mapping: str | None = None, console: Console | None = None, reason: str = "") -> int:
    """Import a file; the exit code is 0 when imported, 1 when rows were invalid, 2 when unreadable."""
    console = console or Console()
    setup_django()
    migrate()
    from attain.apps.imports.services import import_file
    from attain.io.entities import UnknownEntity
    from attain.io.mappings import UnknownMapping

    try:
        with _progress(console, file) as progress:
            result = import_file(entity, file, dry_run=dry_run, skip_invalid=skip_invalid, mapping=mapping,
                                 progress=progress, reason=reason)
    except (UnknownEntity, UnknownMapping) as unknown:
        console.print(f"[red]{unknown.message}[/red]")
        return 2
    _print_report(console, result, dry_run)
    return result.exit_code


class _progress:
    """A rich progress bar for big files; a no-op callback for small ones."""

    def __init__(self, console: Console, file: Path) -> None:
        big = file.exists() and file.stat().st_size > BIG_FILE
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                            TimeElapsedColumn(), console=console, transient=True) if big else None
        self.task = None

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.start()
        self.task = self.bar.add_task("reading", total=None)
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.bar.update(self.task, description=stage, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_report(console: Console, result, dry_run: bool) -> None:
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    if result.problems:
        _print_problems(console, result.problems)
    counts = result.counts
    console.print(f"{result.file}: {result.rows_read:,} rows read; {counts.created:,} created, "
                  f"{counts.updated:,} updated, {counts.unchanged:,} unchanged, {result.rejected:,} rejected"
                  + (" (dry run: nothing written)" if dry_run else "") + ".")
    console.print(_verdict(result, dry_run))
    if result.rejects_file:
        console.print(f"The rejected rows and their reasons are in {result.rejects_file}")


def _print_problems(console: Console, problems) -> None:
    table = Table(title=f"Problems ({len(problems):,}; the first {min(SHOWN, len(problems))} shown)")
    for name in ("file", "row", "column", "value", "reason"):
        table.add_column(name, overflow="fold")
    for p in problems[:SHOWN]:
        value = "" if p.value is None else (p.value if len(p.value) <= 40 else p.value[:40] + "…")
        table.add_row(p.file, "" if p.row is None else str(p.row), p.column or "", value, p.reason)
    console.print(table)


def _verdict(result, dry_run: bool) -> str:
    if result.exit_code == 2:
        return "[red]The file could not be read: nothing was written.[/red]"
    if result.exit_code == 1:
        return ("[red]Nothing was written: correct the rows above and import again, or use --skip-invalid to "
                "write the valid rows.[/red]")
    if dry_run:
        return "[green]The file is valid (dry run: nothing written).[/green]"
    return "[green]Imported.[/green]" if not result.rejected else "[yellow]Imported the valid rows.[/yellow]"
