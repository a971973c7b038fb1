"""`attain statement`, `attain payroll`, `attain journal`: what a paid month says to payees, payroll and the books."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

console = Console()
Month = Annotated[str, typer.Argument(help="A paid month, e.g. FY2026-M03.")]


def _fail(failure: Exception) -> None:
    console.print(f"[red]Not exported:[/red] {failure}")
    raise typer.Exit(1) from None


def statement(employee_id: Annotated[str, typer.Argument(help="The participant's employee id.")],
              period: Month,
              pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write the statement as a PDF to this file "
                                                                    "(the rep portal's PDF).")] = None) -> None:
    """A payee's statement for a paid month: earnings by component, adjustments, balances, payment, year to date."""
    setup_django()
    migrate()
    from attain.apps.calc.services import CalculationError
    from attain.apps.payments.statements import StatementError
    from attain.apps.payments.statements import statement as make_statement
    from attain.engine.money import show_amount

    try:
        found = make_statement(employee_id, period)
    except (CalculationError, StatementError) as failure:
        _fail(failure)
    p = found.payment
    table = Table(title=f"Statement: {found.participant} — {found.period}")
    table.add_column("")
    table.add_column("amount", justify="right")
    table.add_column("currency")
    for line in found.earnings + found.adjustments + found.manual:
        table.add_row(line.label, show_amount(line.amount), line.currency)
    for label, amount in (("Draw added", p.draw_top_up), ("Recovered", -p.recovered), ("Forgiven", p.forgiven)):
        if amount:
            table.add_row(label, show_amount(amount), found.currency)
    table.add_row("[bold]Payment[/bold]", f"[bold]{show_amount(p.paid)}[/bold]", found.currency)
    table.add_row("Owed after", show_amount(p.owed), found.currency)
    table.add_row("Draw owed after", show_amount(p.draw_owed), found.currency)
    for key, amount in found.year_to_date.items():
        table.add_row(f"Year to date: {key}", show_amount(amount), found.currency)
    console.print(table)
    console.print(f"How: {p.explanation}")
    if pdf is not None:
        from attain.apps.portal.paid import show_statement
        from attain.apps.portal.statement_pdf import render_pdf

        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(render_pdf(show_statement(found)))
        console.print(f"PDF: {pdf}")


def payroll(period: Month,
            out: Annotated[Path, typer.Option(help="The folder for the files (one per pay group and pay date).")] =
            Path("var/exports"),
            layout: Annotated[str, typer.Option(help="attain, adp, paychex or workday (docs/payroll-export.md).")] =
            "attain",
            pay_date: Annotated[str | None, typer.Option(help="The pay date, YYYY-MM-DD (default: the month's last "
                                                              "day).")] = None,
            earning_code: Annotated[str, typer.Option(help="The payroll earning code for commissions.")] = "COMM",
            setting: Annotated[list[str] | None, typer.Option(help="A layout setting KEY=VALUE (e.g. company_code="
                                                                   "ABC), repeatable.")] = None) -> None:
    """Write the month's payroll files: each payee's payment, per pay group and pay date."""
    setup_django()
    migrate()
    from attain.apps.calc.services import CalculationError
    from attain.apps.payments.exports import ExportError, export_payroll
    from attain.engine.exports.payroll import PayrollExportError

    try:
        settings = dict(item.split("=", 1) for item in setting or [])
        day = date.fromisoformat(pay_date) if pay_date else None
        written = export_payroll(period, out, layout=layout, pay_date=day, earning_code=earning_code,
                                 settings=settings)
    except (CalculationError, ExportError, PayrollExportError, ValueError) as failure:
        _fail(failure)
    for file in written:
        console.print(f"{file.path}: {file.rows} payees")
    if not written:
        console.print("Nobody is paid anything this month: no payroll file.")


def journal(period: Month,
            out: Annotated[Path, typer.Option(help="The CSV file to write.")] = Path("var/exports/journal.csv")) -> None:
    """Write the month's journal entries (accrual and settlement per payee), balanced, as CSV; print the trial balance."""
    setup_django()
    migrate()
    from attain.apps.calc.services import CalculationError
    from attain.apps.payments.attribution import LineageMissing
    from attain.apps.payments.exports import ExportError, journal_entries, write_journal_csv
    from attain.engine.accounting import summarise
    from attain.engine.money import show_amount

    try:
        entries = journal_entries(period)
    except (CalculationError, ExportError, LineageMissing) as failure:
        _fail(failure)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = write_journal_csv(entries, out)
    table = Table(title=f"Trial balance of {period}'s entries ({len(entries)} entries, {written.rows} lines: {out})")
    for column in ("currency", "account", "debits", "credits", "net"):
        table.add_column(column, justify="right" if column in ("debits", "credits", "net") else "left")
    for row in summarise(entries):
        table.add_row(row.currency, f"{row.account_code} {row.account_name}", show_amount(row.debits),
                      show_amount(row.credits), show_amount(row.net))
    console.print(table)


def deferred(period: Month,
             start: Annotated[str | None, typer.Option("--from", help="The first month (default: the fiscal year's "
                                                                      "first).")] = None,
             by_payee: Annotated[bool, typer.Option(help="One row per payee.")] = False) -> None:
    """The deferred-commissions roll-forward (ASC 340-40): opening, capitalised, amortised, clawed back, impaired,
    closing; it ties to the journal's deferred-commissions account."""
    setup_django()
    migrate()
    from attain.apps.calc.services import CalculationError, find_period
    from attain.apps.core.models import Period
    from attain.apps.payments.attribution import LineageMissing
    from attain.apps.payments.deferred_kept import kept_roll_forward
    from attain.engine.money import show_amount

    try:
        last = find_period(period)
        first = find_period(start) if start else Period.objects.filter(
            calendar=last.calendar, kind="month", fiscal_year=last.fiscal_year).order_by("start_date").first()
        rows = kept_roll_forward(first, last, by_payee=by_payee)
    except (CalculationError, LineageMissing) as failure:
        _fail(failure)
    table = Table(title=f"Deferred commissions, {first.name} to {last.name}")
    for column in ("currency", "payee", "opening", "capitalised", "amortised", "clawed back", "impaired", "closing"):
        table.add_column(column, justify="left" if column in ("currency", "payee") else "right")
    for row in rows:
        table.add_row(row.currency, row.payee or "all", *(show_amount(x) for x in (
            row.opening, row.capitalised, row.amortised, row.clawed_back, row.impaired, row.closing)))
    console.print(table)
    if not rows:
        console.print("No commission paid so far is on a contract longer than the policy's months.")
