"""`attain pay PERIOD`: what every participant is paid for a month (earnings, draws, balances)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

console = Console()
COLUMNS = ("earned", "draw_top_up", "recovered", "paid", "owed", "draw_owed")


def pay(period: Annotated[str, typer.Argument(help="The month to pay, e.g. FY2026-M03 (calculate it first).")]) -> None:
    """Compute the month's payments from the year's calculated earnings, draws and balances, and record them."""
    setup_django()
    migrate()
    from attain.apps.calc.services import CalculationError
    from attain.apps.payments.services import PaymentError, pay_period

    try:
        run = pay_period(period)
    except (CalculationError, PaymentError) as failure:
        console.print(f"[red]Cannot pay {period}:[/red] {failure}")
        raise typer.Exit(1) from None
    print_payment_summary(run)


def print_payment_summary(run) -> None:
    from attain.apps.payments.models import Payment
    from attain.engine.money import show_amount

    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    payees: dict[str, int] = defaultdict(int)
    for row in Payment.objects.filter(run=run).values("currency_id", *COLUMNS):  # summed in Python: exact
        payees[row["currency_id"]] += 1
        for column in COLUMNS:
            totals[row["currency_id"]][column] += row[column]
    table = Table(title=f"Payment run {run.pk}: {run.period}")
    for column in ("currency", "payees", "earned", "draw added", "recovered", "paid", "owed after", "draw owed after"):
        table.add_column(column, justify="left" if column == "currency" else "right")
    for currency, sums in sorted(totals.items()):
        table.add_row(currency, str(payees[currency]), *(show_amount(sums[c]) for c in COLUMNS))
    console.print(table)
    for report in run.reports[:10]:
        console.print(f"[yellow]![/yellow] {report}")
