"""`attain plan …`: work with plan documents; `attain plan test PATH` runs scenario tests."""

from __future__ import annotations

from decimal import Decimal
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


def _django() -> None:
    from attain.cli.django_setup import migrate, setup_django

    setup_django()
    migrate()


@plans.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A plan document (.yaml or .json).")],
    valid_from: Annotated[str, typer.Option("--from", help="First day the version applies (YYYY-MM-DD).")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day it applies (empty = open).")] = None,
    publish: Annotated[bool, typer.Option("--publish", help="Publish it (default: a draft).")] = False,
    note: Annotated[str, typer.Option(help="Why this version exists.")] = "",
) -> None:
    """Store a plan document as the plan's next version, after validating it."""
    from datetime import date

    _django()
    from django.core.exceptions import ValidationError

    from attain.apps.plans.services import PlanFileError, import_plan_version

    console = Console()
    try:
        days = [date.fromisoformat(d) if d else None for d in (valid_from, valid_to)]
    except ValueError:
        raise typer.BadParameter("write dates as YYYY-MM-DD, e.g. 2026-01-01") from None
    try:
        version = import_plan_version(file.read_text(encoding="utf-8"), valid_from=days[0], valid_to=days[1],
                                      publish=publish, change_note=note, source="cli")
    except (PlanFileError, ValidationError, OSError, UnicodeDecodeError) as failure:
        console.print(f"[red]{escape(str(file))} was not imported:[/red]\n{escape(_reason(failure))}")
        raise typer.Exit(1) from None
    console.print(f"Stored {version.plan.code} version {version.version} ({version.status}), "
                  f"valid {version.span().describe()}.")


@plans.command("publish")
def publish(
    code: Annotated[str, typer.Argument(help="The plan's code.")],
    version: Annotated[int, typer.Argument(help="The draft version to publish.")],
    reason: Annotated[str, typer.Option(help="Why it is published (kept in the audit log).")] = "",
) -> None:
    """Publish a draft version: calculations use it from then on (recorded in the audit log)."""
    _django()
    from django.core.exceptions import ValidationError

    from attain.apps.plans.services import PlanFileError, publish_plan_version

    console = Console()
    try:
        found = publish_plan_version(code, version, reason=reason, source="cli")
    except (PlanFileError, ValidationError) as failure:
        console.print(f"[red]{escape(code)} v{version} was not published:[/red]\n{escape(_reason(failure))}")
        raise typer.Exit(1) from None
    console.print(f"Published {found.plan.code} version {found.version}, valid {found.span().describe()}.")


def _reason(failure: Exception) -> str:
    messages = getattr(failure, "messages", None)
    return "\n".join(messages) if messages else str(failure)


@plans.command("export")
def export(
    code: Annotated[str, typer.Argument(help="The plan's code.")],
    version: Annotated[int | None, typer.Option(help="Version number (default: latest published).")] = None,
) -> None:
    """Print a plan version's document, to save as a file and review in git."""
    _django()
    from attain.apps.plans.services import PlanFileError, export_plan_version

    try:
        found = export_plan_version(code, version)
    except PlanFileError as failure:
        Console(stderr=True).print(f"[red]{escape(str(failure))}[/red]")
        raise typer.Exit(1) from None
    typer.echo(found.document, nl=not found.document.endswith("\n"))


@plans.command("compare")
def compare(
    draft: Annotated[Path, typer.Argument(help="The draft plan document (.yaml or .json).")],
    against: Annotated[str, typer.Option("--against", help="Code of the live plan.")],
    period: Annotated[str, typer.Option("--period", help="Last month of the comparison, e.g. FY2026-M11.")],
    top: Annotated[int, typer.Option(help="How many of the largest changes to list.")] = 10,
) -> None:
    """What-if: run a draft beside the live plan over the fiscal year to a month; nothing is stored."""
    _django()
    from attain.apps.plans.services import PlanFileError, compare_draft

    console = Console()
    try:
        live_version, result = compare_draft(draft.read_text(encoding="utf-8"), against, period)
    except (PlanFileError, OSError, UnicodeDecodeError) as failure:
        console.print(f"[red]Cannot compare:[/red] {escape(str(failure))}")
        raise typer.Exit(1) from None
    print_comparison(console, f"{against} v{live_version.version}", draft.name, result, top)


def print_comparison(console: Console, live_name: str, draft_name: str, result, top: int) -> None:
    from attain.engine.money import show_amount, show_percent

    summary = Table(title=f"What-if to date: {live_name} (live) vs {draft_name} (draft)")
    for column in ("", "live", "draft", "change"):
        summary.add_column(column, justify="right" if column else "left")
    live, draft = result.live, result.draft
    summary.add_row("total earnings", show_amount(live.total), show_amount(draft.total),
                    show_amount(draft.total - live.total))
    summary.add_row("payees", str(live.payees), str(draft.payees), str(draft.payees - live.payees))
    if result.revenue:
        summary.add_row("cost of sales", *(show_percent(c.cost_of_sales(result.revenue).quantize(Decimal("0.0001")))
                                           for c in (live, draft)), "")
    for name, i in (("lowest", 0), ("25th percentile", 1), ("median", 2), ("75th percentile", 3), ("highest", 4)):
        summary.add_row(f"payee {name}", show_amount(live.distribution[i]), show_amount(draft.distribution[i]),
                        show_amount(draft.distribution[i] - live.distribution[i]))
    console.print(summary)
    changes = Table(title=f"The {min(top, len(result.differences))} largest changes per payee")
    for column in ("participant", "live", "draft", "change"):
        changes.add_column(column, justify="left" if column == "participant" else "right")
    for participant, before, after in result.differences[:top]:
        changes.add_row(participant, show_amount(before), show_amount(after), show_amount(after - before))
    console.print(changes)
