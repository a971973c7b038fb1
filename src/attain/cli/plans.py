"""`attain plan …`: work with plan documents; `attain plan test PATH` runs scenario tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from attain.engine.scenarios import SCENARIO_SUFFIX, ScenarioResult, find_scenario_files, run_file

plans = typer.Typer(help="Plan documents and their scenario tests.", no_args_is_help=True)
STYLES = {"passed": "green", "failed": "red", "error": "red"}


@plans.callback()
def group() -> None:
    """Plan documents and their scenario tests."""


@plans.command("test")
def test(path: Annotated[Path, typer.Argument(help=f"A scenario file, or a folder searched for *{SCENARIO_SUFFIX}.")]
         ) -> None:
    """Run scenario tests: calculate each scenario's plan on its data and compare with the expected earnings.

    Exit code: 0 when every scenario passes, 1 when one fails or cannot run (or none is found).
    """
    raise typer.Exit(run_tests(path, Console()))


def run_tests(path: Path, console: Console) -> int:
    if not path.exists():
        console.print(f"[red]{escape(str(path))} does not exist[/red]: give a scenario file or a folder.")
        return 1
    files = find_scenario_files(path)
    if not files:
        console.print(f"[red]No scenario files[/red] (*{SCENARIO_SUFFIX}) under {escape(str(path))}.")
        return 1
    results = [result for file in files for result in run_file(file)]
    console.print(summary_table(results, path if path.is_dir() else path.parent))
    for result in results:
        if not result.passed:
            console.print(escape(result.report()), highlight=False)
    failed = sum(not r.passed for r in results)
    colour = "red" if failed else "green"
    console.print(f"[{colour}]{len(results) - failed} passed, {failed} failed[/{colour}] "
                  f"({_count(len(results), 'scenario')} in {_count(len(files), 'file')})")
    return 1 if failed else 0


def summary_table(results: list[ScenarioResult], root: Path) -> Table:
    table = Table(title=f"Scenario tests in {escape(str(root))}")
    table.add_column("file")
    table.add_column("scenario")
    table.add_column("rows checked", justify="right")
    table.add_column("differences", justify="right")
    table.add_column("result")
    for r in results:
        differences = len(r.differences) + len(r.missing_exceptions) + len(r.unexpected_exceptions)
        table.add_row(escape(_relative(Path(r.source), root)), escape(r.name), str(r.checked), "" if r.error else str(differences),
                      f"[{STYLES[r.status]}]{r.status}[/{STYLES[r.status]}]")
    return table


def _relative(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root))
    except ValueError:
        return str(file)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
