"""A paid month's files for payroll and the ledger, its trial balance, and the deferred-commission roll-forward,
made by the functions the CLI calls (`payments.exports`, `payments.deferred_kept`), never re-implemented.

The files are written into a temporary folder and read back into memory, so nothing is left under var/
(`attain payroll` and `attain journal` write there; the web downloads do not). The payroll export is
audited by `export_payroll` itself, as from the CLI.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from attain.apps.calc.services import find_period
from attain.apps.core.models import Period
from attain.apps.payments.deferred_kept import kept_roll_forward
from attain.apps.payments.exports import export_payroll, journal_entries, policy_chart, write_journal_csv
from attain.apps.portal.finance_cache import kept_books
from attain.engine.accounting import RollForward, TrialBalanceRow, summarise
from attain.engine.exports.payroll_layouts import LAYOUTS

PAYROLL_LAYOUTS = sorted(LAYOUTS)  # attain, adp, paychex, workday


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    content_type: str


def payroll_layouts() -> list[tuple[str, str, dict[str, str]]]:
    """Each layout's name, description and the company settings it needs (key → meaning)."""
    return [(name, LAYOUTS[name].description, LAYOUTS[name].settings_needed()) for name in PAYROLL_LAYOUTS]


def payroll_download(name: str, layout: str, pay_date: date | None = None, earning_code: str = "COMM",
                     settings: dict[str, str] | None = None) -> Download | None:
    """The month's payroll file in the layout (a zip of them when several pay groups or pay dates make several);
    None when nobody is paid anything."""
    with tempfile.TemporaryDirectory(prefix="attain-payroll-") as folder:
        written = export_payroll(name, Path(folder), layout=layout, pay_date=pay_date,
                                 earning_code=earning_code or "COMM", settings=settings)
        if not written:
            return None
        if len(written) == 1:
            only = written[0].path
            return Download(f"{name}-{layout}-{only.name}", only.read_bytes(), "text/csv; charset=utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in written:
                archive.writestr(file.path.name, file.path.read_bytes())
        return Download(f"{name}-payroll-{layout}.zip", buffer.getvalue(), "application/zip")


def journal_download(name: str) -> Download:
    """The month's journal entries as the CSV `attain journal` writes (kept while nothing it is made from changes)."""
    return kept_books("journal", find_period(name), lambda: _journal_download(name), JournalFile())


def _journal_download(name: str) -> Download:
    chart = policy_chart()
    entries = journal_entries(name, chart)
    with tempfile.TemporaryDirectory(prefix="attain-journal-") as folder:
        path = Path(folder) / f"journal-{name}.csv"
        write_journal_csv(entries, path, chart)
        return Download(path.name, path.read_bytes(), "text/csv; charset=utf-8")


def trial_balance(name: str) -> list[TrialBalanceRow]:
    """The month's entries summed per currency and account (what `attain journal` prints), kept while nothing they
    are made from changes."""
    def made() -> list[TrialBalanceRow]:
        chart = policy_chart()
        return summarise(journal_entries(name, chart), chart)

    return kept_books("trial balance", find_period(name), made, TrialBalanceFile())


class TrialBalanceFile:
    """A trial balance as JSON, amounts as exact decimal strings."""

    def dump(self, rows: list[TrialBalanceRow]) -> bytes:
        return json.dumps([[r.currency, r.account_code, r.account_name, str(r.debits), str(r.credits)]
                           for r in rows]).encode()

    def load(self, data: bytes) -> list[TrialBalanceRow]:
        return [TrialBalanceRow(currency, code, name, Decimal(debits), Decimal(credits))
                for currency, code, name, debits, credits in json.loads(data)]


class JournalFile:
    """The journal download: its file name on the first line, then the CSV as it is."""

    def dump(self, download: Download) -> bytes:
        return download.filename.encode() + b"\n" + download.content

    def load(self, data: bytes) -> Download:
        filename, content = data.split(b"\n", 1)
        return Download(filename.decode(), content, "text/csv; charset=utf-8")


def roll_forward(first: str | None, last: str) -> tuple[Period, Period, list[RollForward]]:
    """The deferred-commission roll-forward from `first` (default: the fiscal year's first month) to `last`,
    as `attain deferred` shows it."""
    end = find_period(last)
    start = find_period(first) if first else Period.objects.filter(
        calendar=end.calendar, kind=Period.Kind.MONTH, fiscal_year=end.fiscal_year).order_by("start_date").first()
    return start, end, kept_roll_forward(start, end)
