"""`attain demo`: load the demo company (run_demo) or write large synthetic Parquet sets (run_scale)."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from attain.cli.django_setup import migrate, setup_django

console = Console()
URL = "http://127.0.0.1:8000/"
SUMMARY = [("org.Participant", "participants"), ("org.Position", "positions"), ("catalog.Account", "accounts"),
           ("catalog.Product", "products"), ("territories.Territory", "territories"),
           ("sales.Transaction", "transactions"), ("sales.Opportunity", "opportunities"),
           ("sales.OpportunityStageEvent", "stage events"), ("sales.Activity", "activities"),
           ("quotas.Quota", "quotas"), ("plans.PlanAssignment", "plan assignments"), ("plans.Goal", "goals"),
           ("core.FxRate", "FX rates"), ("core.Period", "periods")]


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=console)


def run_demo(seed: int, reset: bool, through: str | None = None) -> None:
    """Load the demo company into the database (once; again with reset) and print the logins."""
    setup_django()
    migrate()
    from attain.apps.org.models import Participant
    from attain.demo import load
    from attain.demo.company import generate
    from attain.demo.users import create_demo_users

    if Participant.objects.exists() and not reset:
        console.print("The database already holds data: not loading the demo again (use --reset to replace it).")
    else:
        started = time.perf_counter()
        with _progress() as progress:
            task = progress.add_task("Generating the demo company", total=None)
            company = generate(seed)
            progress.update(task, total=len(company.tables) + 1, completed=1)
            before = load.counts() if reset else None
            if reset:
                progress.update(task, description="Deleting the existing data")
                load.reset()

            def step(model: str) -> None:
                progress.update(task, description=f"Loading {model}", advance=1)

            load.load(company.tables, step)
            progress.update(task, description="Loaded")
        console.print(f"Demo company (seed {seed}) loaded in {time.perf_counter() - started:.1f} s.")
        after = load.counts()
        _record_load(seed, before, after)
        _print_counts(after)
    logins = create_demo_users()
    if through:
        run_months_through(through)
    _calculate_latest_month()
    _print_logins(logins)


def _record_load(seed: int, before: dict[str, int] | None, after: dict[str, int]) -> None:
    """The audit log (which a reset keeps) records the load: row counts before the reset and after."""
    from attain.apps.audit.services import Action, Source, record

    record(Action.RESET if before is not None else Action.IMPORTED, object_type="demo.Company", object_id=seed,
           object_repr=f"Demo company (seed {seed})", before=before, after=after, source=Source.CLI,
           reason="attain demo --reset: all data replaced by the demo company" if before is not None
           else "attain demo: the demo company loaded")


def run_months_through(name: str) -> None:
    """Every month not yet paid, up to `name`, in order: calculated, submitted by compadmin, approved by the
    controller, paid and closed by finance (the demo's logins; each step is checked and audited as usual)."""
    from django.contrib.auth import get_user_model

    from attain.apps.calc.approvals import approve, submit
    from attain.apps.calc.services import calculate_period, find_period
    from attain.apps.core.models import Period
    from attain.apps.payments.services import close_period, pay_period
    from attain.cli.steps import step

    last = step(find_period, name)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("compadmin", "controller",
                                                                                 "finance"))}
    months = list(Period.objects.filter(calendar=last.calendar, kind="month", end_date__lte=last.end_date).exclude(
        state__in=("paid", "closed")).order_by("start_date"))
    with _progress() as progress:
        task = progress.add_task("Paying the months", total=len(months))
        for month in months:
            progress.update(task, description=f"{month.name}: calculating")
            step(calculate_period, month.name, user=users["compadmin"])
            progress.update(task, description=f"{month.name}: approving and paying")
            step(submit, month.name, users["compadmin"], "demo month")
            step(approve, month.name, users["controller"], "demo month")
            step(pay_period, month.name, user=users["finance"])
            step(close_period, month.name, user=users["finance"])
            progress.update(task, advance=1)
    console.print(f"{len(months)} months calculated, approved, paid and closed through {last.name}.")


def _calculate_latest_month() -> None:
    """Calculate the demo's last month (once: a later `attain demo` reuses the run)."""
    from attain.apps.calc.models import CalculationRun
    from attain.apps.calc.services import calculate_period
    from attain.apps.core.models import Period
    from attain.cli.calc import print_run_summary
    from attain.demo.rows import AS_OF

    month = Period.objects.filter(kind="month", end_date__lte=AS_OF, state="open").order_by("-end_date").first()
    if month is None or CalculationRun.objects.filter(period=month, status="succeeded").exists():
        return
    with console.status(f"Calculating {month.name}…") as status:
        run = calculate_period(month.name, progress=lambda step: status.update(step))
    print_run_summary(run)
    console.print(f"Explain anyone's pay: .venv/bin/attain explain rep {month.name}")


def _print_counts(counts: dict[str, int]) -> None:
    table = RichTable(title="The demo company")
    table.add_column("what")
    table.add_column("rows", justify="right")
    for label, name in SUMMARY:
        table.add_row(name, f"{counts[label]:,}")
    console.print(table)


def _print_logins(logins) -> None:
    from attain.demo.users import DEMO_PASSWORD

    table = RichTable(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
    for column in ("username", "role", "person", "position"):
        table.add_column(column)
    for login, person in logins:
        table.add_row(login.username, login.role, person or "-", login.position or "-")
    console.print(table)
    console.print(f"Open {URL} and sign in.")


def run_scale(n_transactions: int, payees: int, out: Path, seed: int) -> None:
    """Write large synthetic Parquet sets (no database) into `out`, with a progress bar."""
    from attain.demo.scale import ScaleSpec, write_scale

    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("Writing synthetic data", total=n_transactions)
        spec = ScaleSpec(n_transactions=n_transactions, payees=payees, seed=seed)
        files = write_scale(spec, out, lambda rows: progress.update(task, advance=rows))
    table = RichTable(title=f"Synthetic data in {out} ({time.perf_counter() - started:.1f} s)")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in files.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
