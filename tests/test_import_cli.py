"""`attain import`: exit codes, the problems table, the summary, and other file formats end to end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rich.console import Console
from typer.testing import CliRunner

from attain.apps.imports.models import ImportRun
from attain.apps.imports.services import import_file
from attain.apps.sales.models import Opportunity, Transaction
from attain.cli.importing import run_import
from attain.cli.main import app
from attain.io.entities import ENTITIES
from import_world import WORLD, load_world, write

pytestmark = pytest.mark.django_db


def run(entity, path, **options) -> tuple[int, str]:
    console = Console(record=True, width=200)
    options = {"dry_run": False, "skip_invalid": False, "mapping": None, **options}
    code = run_import(entity, path, console=console, **options)
    return code, console.export_text()


def test_help_lists_every_entity():
    text = " ".join(CliRunner().invoke(app, ["import", "--help"], terminal_width=400).output.split())
    for name in ENTITIES:
        assert name in text


def test_exit_codes_and_messages(tmp_path):
    load_world(tmp_path, upto="transactions")
    code, out = run("transactions", write(tmp_path, "transactions"), dry_run=True)
    assert code == 0 and "2 rows read; 2 created, 0 updated, 0 unchanged, 0 rejected (dry run: nothing written)" in out
    bad = write(tmp_path, "transactions", WORLD["transactions"].replace("-1200.10", "-1200.1O"))
    code, out = run("transactions", bad)
    assert code == 1 and "transactions.csv │ 2   │ amount │ -1200.1O │ '-1200.1O' is not a number" in out
    assert "Nothing was written: correct the rows above" in out and Transaction.objects.count() == 0
    code, out = run("transactions", bad, skip_invalid=True)
    assert code == 0 and f"The rejected rows and their reasons are in {tmp_path / 'transactions.rejects.csv'}" in out
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)))
    code, out = run("transactions", binary)
    assert code == 2 and "this is a binary file, not CSV text" in out
    assert ImportRun.objects.filter(status="failed").count() == 1
    code, out = run("transaction", bad)
    assert code == 2 and "Did you mean transactions?" in out


def test_transactions_from_xlsx_and_parquet_are_the_same_as_from_csv(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    load_world(tmp_path, upto="transactions")
    book = Workbook()
    book.active.append(["external_id", "booked_date", "account", "amount", "currency"])
    book.active.append(["T-9", date(2026, 3, 14), "A-1", "0.1", "USD"])
    book.save(tmp_path / "t.xlsx")
    assert import_file("transactions", tmp_path / "t.xlsx").counts.created == 1
    pq.write_table(pa.table({"external_id": ["T-9", "T-10"], "booked_date": [date(2026, 3, 14)] * 2,
                             "account": ["A-1"] * 2, "currency": ["USD"] * 2,
                             "amount": pa.array([Decimal("0.1"), Decimal("-5.25")], pa.decimal128(15, 4))}),
                   tmp_path / "t.parquet")
    result = import_file("transactions", tmp_path / "t.parquet")
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (1, 0, 1)
    assert sorted(Transaction.objects.values_list("external_id", "amount")) == [
        ("T-10", Decimal("-5.25")), ("T-9", Decimal("0.1"))]


def test_salesforce_export_imports_opportunities(tmp_path):
    load_world(tmp_path, upto="opportunities")
    export = ("Opportunity ID,Opportunity Name,Account ID,Amount,Close Date,Created Date,Stage,Owner Role,"
              "Opportunity Currency\n006A,Acme,A-1,48000.00,2026-03-31,2026-01-10,Closed Won,AE-1,USD\n")
    path = write(tmp_path, "opportunities", export)
    code, out = run("opportunities", path, mapping="salesforce")
    assert code == 0, out
    opportunity = Opportunity.objects.get(external_id="006A")
    assert (opportunity.outcome, opportunity.closed_date, opportunity.owner_position.code) == (
        "won", date(2026, 3, 31), "AE-1")
    code, out = run("opportunities", path, mapping="salesforce")
    assert "0 created, 0 updated, 1 unchanged" in out


def test_rows_that_cannot_be_split_are_reported_once(tmp_path):
    load_world(tmp_path, upto="transactions")
    bad = write(tmp_path, "transactions", WORLD["transactions"].replace("-1200.10", "-1 200,10"))
    result = import_file("transactions", bad)
    assert [(p.row, p.column) for p in result.problems] == [(2, None)]


def test_missing_columns_stop_the_import_even_with_skip_invalid(tmp_path):
    load_world(tmp_path, upto="accounts")
    path = write(tmp_path, "accounts", "external_id,nam,country\nA-1,Acme,US\n")
    code, out = run("accounts", path, skip_invalid=True)
    assert code == 1 and "the required column 'name' is missing (the file has 'nam'?)" in " ".join(out.split())
