"""What the workflow commands share: who the user is, and a step whose refusal is printed, not raised."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console()
UserOption = Annotated[str, typer.Option("--user", envvar="ATTAIN_USER",
                                         help="Who you are: an Attain user name (or set ATTAIN_USER).")]


def user_named(name: str):
    """The Attain user called `name`; a clear message and exit 1 when there is none."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        console.print(f"[red]There is no user {name!r}:[/red] name an Attain user with --user (e.g. compadmin)")
        raise typer.Exit(1)
    return user


def step(action, *args, **kwargs):
    """Run one workflow step; a refusal (approval, calculation, payment, adjustment) is printed, exit 1."""
    from attain.apps.calc.approvals import ApprovalError
    from attain.apps.calc.services import CalculationError
    from attain.apps.payments.adjustments import AdjustmentError
    from attain.apps.payments.services import PaymentError

    try:
        return action(*args, **kwargs)
    except (AdjustmentError, ApprovalError, CalculationError, PaymentError) as failure:
        console.print(f"[red]Not done:[/red] {failure}")
        raise typer.Exit(1) from None
