"""`attain period …`: a month's way from open to closed — status, submit, approve or reject, close."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django
from attain.cli.steps import UserOption, step, user_named

periods = typer.Typer(help="Pay periods: open → calculated → approved → paid → closed.", no_args_is_help=True)
console = Console()


@periods.command("status")
def status(year: Annotated[int | None, typer.Argument(help="The fiscal year, e.g. 2026 (default: all).")] = None) -> None:
    """Each month's state, its latest run and its approval."""
    setup_django()
    migrate()
    from attain.apps.calc.models import Approval
    from attain.apps.core.models import Period

    months = Period.objects.filter(kind="month").order_by("start_date")
    if year is not None:
        months = months.filter(fiscal_year=year)
    approvals = {}
    for approval in Approval.objects.filter(period__in=months).select_related("submitted_by", "decided_by").order_by(
            "submitted_at"):
        approvals[approval.period_id] = approval  # the latest wins
    table = Table(title="Pay periods")
    for column in ("month", "from", "to", "state", "approval"):
        table.add_column(column)
    for month in months:
        a = approvals.get(month.pk)
        said = "" if a is None else f"run {a.run_id} {a.state} (by {a.submitted_by}" + (
            f", {a.decided_by})" if a.decided_by else ")")
        table.add_row(month.name, str(month.start_date), str(month.end_date), month.state, said)
    console.print(table)


@periods.command("submit")
def submit(period: Annotated[str, typer.Argument(help="The month, e.g. FY2026-M03.")], user: UserOption,
           note: Annotated[str, typer.Option(help="A note for the approver.")] = "") -> None:
    """Submit the month's latest calculation for approval (the maker's step)."""
    setup_django()
    migrate()
    from attain.apps.calc.approvals import submit as submit_results

    approval = step(submit_results, period, user_named(user), note)
    console.print(f"{approval.period} run {approval.run_id} submitted by {approval.submitted_by}.")
    for escalation in approval.escalations[:10]:
        console.print(f"[yellow]escalated[/yellow] {escalation['participant']}: {escalation['payout']} "
                      f"{escalation['currency']} — {', '.join(escalation['reasons'])}")
    if approval.escalations:
        console.print(f"{len(approval.escalations)} escalated payouts: an approver with 'Can approve escalated "
                      "results' must approve.")


@periods.command("approve")
def approve(period: Annotated[str, typer.Argument(help="The month, e.g. FY2026-M03.")], user: UserOption,
            note: Annotated[str, typer.Option(help="A note kept with the approval.")] = "") -> None:
    """Approve the month's submitted results (the checker's step: not the submitter)."""
    setup_django()
    migrate()
    from attain.apps.calc.approvals import approve as approve_results

    approval = step(approve_results, period, user_named(user), note)
    console.print(f"{approval.period} run {approval.run_id} approved by {approval.decided_by}: ready to pay "
                  f"(attain pay {approval.period}).")


@periods.command("reject")
def reject(period: Annotated[str, typer.Argument(help="The month, e.g. FY2026-M03.")], user: UserOption,
           reason: Annotated[str, typer.Option(help="Why: what the comp admin should fix.")]) -> None:
    """Send the month's submitted results back to the comp admin, with a reason."""
    setup_django()
    migrate()
    from attain.apps.calc.approvals import reject as reject_results

    approval = step(reject_results, period, user_named(user), reason)
    console.print(f"{approval.period} run {approval.run_id} rejected by {approval.decided_by}: {reason}")


@periods.command("close")
def close(period: Annotated[str, typer.Argument(help="The month, e.g. FY2026-M03.")], user: UserOption) -> None:
    """Close a paid month: its results never change again (corrections become prior-period adjustments)."""
    setup_django()
    migrate()
    from attain.apps.payments.services import close_period

    closed = step(close_period, period, user=user_named(user))
    console.print(f"{closed} is closed.")
