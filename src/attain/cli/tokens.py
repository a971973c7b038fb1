"""`attain token …`: API tokens — create (the token is shown once), revoke, list."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from attain.cli.django_setup import migrate, setup_django

tokens = typer.Typer(help="Tokens for the REST API (Authorization: Bearer <token>).", no_args_is_help=True)
console = Console()


@tokens.command("create")
def create(user: Annotated[str, typer.Option("--user", help="The Attain user the token acts for.")],
           name: Annotated[str, typer.Option("--name", help="What it is for, e.g. 'payroll sync'.")],
           expires: Annotated[str | None, typer.Option(help="The last day it works, e.g. 2027-06-30 "
                                                            "(default: until revoked).")] = None) -> None:
    """Create a token and print it once: only its hash is kept, so copy it now."""
    setup_django()
    migrate()
    from attain.apps.api.tokens import TokenError, create_token

    try:
        made, secret = create_token(user, name, expires_at=_end_of(expires) if expires else None)
    except TokenError as refused:
        _fail(str(refused))
    console.print(f"Token {made.name!r} for {made.user} ({'expires ' + str(made.expires_at) if made.expires_at else 'until revoked'}).")
    console.print("Copy it now; it is not shown again:")
    print(secret)


@tokens.command("revoke")
def revoke(user: Annotated[str, typer.Option("--user", help="Whose token.")],
           name: Annotated[str, typer.Option("--name", help="The token's name.")]) -> None:
    """Revoke a token: it stops working at once."""
    setup_django()
    migrate()
    from attain.apps.api.tokens import TokenError, revoke_token

    try:
        done = revoke_token(user, name)
    except TokenError as refused:
        _fail(str(refused))
    console.print(f"Token {done.name!r} of {done.user} revoked.")


@tokens.command("list")
def list_tokens(user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None) -> None:
    """The tokens (never their secrets): name, user, first characters, state, dates."""
    setup_django()
    migrate()
    from attain.apps.api.models import ApiToken

    found = ApiToken.objects.select_related("user").order_by("user__username", "name")
    if user:
        found = found.filter(user__username=user)
    table = Table(title="API tokens")
    for column in ("user", "name", "starts with", "state", "created", "expires", "last used"):
        table.add_column(column)
    for token in found:
        table.add_row(token.user.username, token.name, token.prefix + "…", token.state(), _day(token.created_at),
                      _day(token.expires_at), _day(token.last_used_at))
    console.print(table)


def _end_of(day: str) -> datetime:
    from django.utils import timezone

    try:
        parsed = datetime.strptime(day.strip(), "%Y-%m-%d").date()
    except ValueError:
        _fail(f"{day!r} is not a day: write it like 2027-06-30")
    return timezone.make_aware(datetime.combine(parsed, time.max))


def _day(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else ""


def _fail(message: str):
    console.print(f"[red]Not done:[/red] {message}")
    raise typer.Exit(1)
