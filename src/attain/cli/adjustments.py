"""`attain adjust …`: manual adjustments — add with a reason, approve or reject (someone else), list."""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django
from attain.cli.steps import UserOption, step, user_named

adjust = typer.Typer(help="Manual adjustments to pay: made with a reason, approved by someone else.",
                     no_args_is_help=True)
console = Console()


@adjust.command("add")
def add(employee_id: Annotated[str, typer.Argument(help="The participant's employee id.")],
        amount: Annotated[str, typer.Argument(help="The amount in the payee's currency; negative to take back.")],
        period: Annotated[str, typer.Option(help="The (first) month it is paid in, e.g. FY2026-M03.")],
        reason: Annotated[str, typer.Option(help="Why: the payee and the approver read it.")],
        user: UserOption,
        until: Annotated[str | None, typer.Option(help="Recurring: the last month (default: until stopped).")] = None,
        recurring: Annotated[bool, typer.Option(help="Pay it every month from --period.")] = False,
        attach: Annotated[Path | None, typer.Option(help="A supporting document to keep with it.")] = None) -> None:
    """Add a pending adjustment (it is paid once someone else approves it)."""
    setup_django()
    migrate()
    from django.core.files import File

    from attain.apps.payments.adjustments import create_adjustment

    try:
        value = Decimal(amount)
    except InvalidOperation:
        console.print(f"[red]Not done:[/red] {amount!r} is not an amount: write it like 1500 or -250.50")
        raise typer.Exit(1) from None
    if attach is not None and not attach.is_file():
        console.print(f"[red]Not done:[/red] there is no file {attach}")
        raise typer.Exit(1)
    with attach.open("rb") if attach else nullcontext() as handle:
        document = File(handle, name=attach.name) if attach else None
        made = step(create_adjustment, employee_id, value, period, reason, user_named(user), until=until,
                     recurring=recurring or until is not None, attachment=document)
    console.print(f"Adjustment {made.pk}: {made.participant} {made.amount} {made.currency_id} from "
                  f"{made.first_period}, pending approval (attain adjust approve {made.pk} --user …).")


@adjust.command("approve")
def approve(adjustment: Annotated[int, typer.Argument(help="The adjustment's number.")], user: UserOption,
            note: Annotated[str, typer.Option(help="A note kept with the approval.")] = "") -> None:
    """Approve an adjustment someone else made."""
    setup_django()
    migrate()
    from attain.apps.payments.adjustments import approve_adjustment

    done = step(approve_adjustment, adjustment, user_named(user), note)
    console.print(f"Adjustment {done.pk} approved by {done.decided_by}: paid from {done.applies_from}.")


@adjust.command("reject")
def reject(adjustment: Annotated[int, typer.Argument(help="The adjustment's number.")], user: UserOption,
           reason: Annotated[str, typer.Option(help="Why it is rejected.")]) -> None:
    """Reject an adjustment someone else made, with a reason."""
    setup_django()
    migrate()
    from attain.apps.payments.adjustments import reject_adjustment

    done = step(reject_adjustment, adjustment, user_named(user), reason)
    console.print(f"Adjustment {done.pk} rejected by {done.decided_by}.")


@adjust.command("list")
def list_adjustments(state: Annotated[str | None, typer.Option(help="pending, approved or rejected.")] = None) -> None:
    """The adjustments, newest first."""
    setup_django()
    migrate()
    from attain.apps.payments.models import Adjustment

    found = Adjustment.objects.select_related("participant", "first_period", "last_period", "created_by",
                                              "decided_by")
    if state:
        found = found.filter(state=state)
    table = Table(title="Adjustments")
    for column in ("id", "participant", "amount", "months", "state", "made by", "decided by", "reason"):
        table.add_column(column, justify="right" if column in ("id", "amount") else "left")
    for a in found[:200]:
        months = f"{a.first_period}" + (f"–{a.last_period or 'open'}" if a.kind == Adjustment.Kind.RECURRING else "")
        table.add_row(str(a.pk), str(a.participant), f"{a.amount} {a.currency_id}", months, a.state,
                      str(a.created_by), str(a.decided_by or ""), a.reason)
    console.print(table)
