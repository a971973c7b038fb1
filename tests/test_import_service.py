"""Importing every entity through the service: upsert counts, re-import, all-or-nothing, rejects, overlaps."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from attain.apps.catalog.models import Account
from attain.apps.imports.models import ImportRun
from attain.apps.imports.services import import_file
from attain.apps.org.models import ReportingLine
from attain.apps.plans.models import Goal
from attain.apps.sales.models import Transaction
from attain.apps.territories.models import Territory
from import_world import WORLD, default_calendar, load_world, write

pytestmark = pytest.mark.django_db


def counts(result):
    return (result.counts.created, result.counts.updated, result.counts.unchanged, result.rejected)


def test_every_entity_imports_and_reimporting_changes_nothing(tmp_path):
    first = load_world(tmp_path)
    assert {e: counts(r) for e, r in first.items()} == {
        e: (text.count("\n") - 1, 0, 0, 0) for e, text in WORLD.items()}
    snapshot = list(Transaction.objects.values().order_by("external_id"))
    again = {e: import_file(e, tmp_path / f"{e}.csv") for e in WORLD}
    assert {e: counts(r) for e, r in again.items()} == {e: (0, 0, text.count("\n") - 1, 0) for e, text in WORLD.items()}
    assert list(Transaction.objects.values().order_by("external_id")) == snapshot


def test_imported_values_are_exact_and_references_resolved(tmp_path):
    load_world(tmp_path)
    booking, credit = Transaction.objects.get(external_id="T-1"), Transaction.objects.get(external_id="T-2")
    assert (booking.amount, booking.cost, booking.quantity) == (Decimal("12345678901.1234"), Decimal("0.0001"), 1)
    assert (credit.amount, credit.original_id, credit.kind) == (Decimal("-1200.10"), booking.pk, "credit_note")
    assert (booking.account.external_id, booking.product.sku, booking.owner_position.code) == ("A-1", "AN-1", "AE-1")
    assert booking.booked_date == date(2026, 3, 14) and booking.status == "booked" and booking.order_number == ""
    assert Account.objects.get(external_id="A-2").parent.external_id == "A-1"
    assert Account.objects.get(external_id="A-1").annual_revenue == Decimal("250000000.50")
    assert Territory.objects.get(code="WEST-1").parent.code == "WEST"
    goal = Goal.objects.get(name="Grow pipeline")
    assert (goal.parent.name, goal.period.name, goal.weight) == ("Company pipeline", "FY2026", Decimal("0.3"))


def test_changed_rows_are_updated_and_counted(tmp_path):
    load_world(tmp_path)
    changed = WORLD["transactions"].replace("12345678901.1234", "99.5")
    result = import_file("transactions", write(tmp_path, "transactions", changed))
    assert counts(result) == (0, 1, 1, 0)
    assert Transaction.objects.get(external_id="T-1").amount == Decimal("99.5")
    moved = WORLD["accounts"].replace("A-1,Acme,US", "A-1,Acme Inc,US")
    assert counts(import_file("accounts", write(tmp_path, "accounts", moved))) == (0, 1, 1, 0)


def test_dry_run_writes_nothing(tmp_path):
    load_world(tmp_path, upto="transactions")
    result = import_file("transactions", write(tmp_path, "transactions"), dry_run=True)
    assert (result.status, counts(result), Transaction.objects.count()) == ("validated", (2, 0, 0, 0), 0)
    assert ImportRun.objects.filter(entity="transactions").get().status == "validated"


def test_one_bad_row_means_nothing_is_written(tmp_path):
    load_world(tmp_path, upto="transactions")
    text = WORLD["transactions"] + "T-3,booking,2026-02-30,A-1,AN-1,10,USD,AE-1,,\n"
    result = import_file("transactions", write(tmp_path, "transactions", text))
    assert (result.status, result.exit_code, Transaction.objects.count(), result.rejects_file) == (
        "rejected", 1, 0, None)
    problem = result.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == ("transactions.csv", 4, "booked_date",
                                                                          "2026-02-30")
    assert problem.reason == "'2026-02-30' is not a real calendar date: check the day and month (YYYY-MM-DD)"


def test_skip_invalid_writes_good_rows_and_a_rejects_file(tmp_path):
    load_world(tmp_path, upto="accounts")
    text = ("external_id,name,country\nA-1,Acme,US\nA-2,\"=HYPERLINK(\"\"http://x\"\")\",US\n"
            "A-3,Unknown parent,US\n")
    text = text.replace("A-3,Unknown parent,US", "A-3,Beta,USA")
    result = import_file("accounts", write(tmp_path, "accounts", text), skip_invalid=True)
    assert (result.status, counts(result)) == ("partial", (1, 0, 0, 2))
    assert list(Account.objects.values_list("external_id", flat=True)) == ["A-1"]
    assert result.rejects_file == tmp_path / "accounts.rejects.csv"
    rows = list(csv.reader(result.rejects_file.open(encoding="utf-8")))
    assert rows[0] == ["external_id", "name", "country", "reason"]
    assert rows[1][:3] == ["A-2", "'=HYPERLINK(\"http://x\")", "US"]
    assert rows[1][3].startswith("name: '=HYPERLINK(\"http://x\")' starts like a spreadsheet formula")
    assert rows[2] == ["A-3", "Beta", "USA", "country: 'USA' is 3 characters long; at most 2 fit: shorten it"]


def test_unknown_references_name_the_entity_to_import_first(tmp_path):
    load_world(tmp_path, upto="transactions")
    text = WORLD["transactions"].replace("T-1,booking,2026-03-14,A-1", "T-1,booking,2026-03-14,NOPE")
    problems = import_file("transactions", write(tmp_path, "transactions", text)).problems
    assert [(p.row, p.column, p.value, p.reason) for p in problems] == [
        (3, "account", "NOPE", "there is no account with external_id 'NOPE': import accounts first or correct it"),
        (2, "original", "T-1", "there is no line with external_id 'T-1' in the database or in this file: import "
                               "the original line first"),
    ]


def test_overlaps_within_the_file_and_with_the_database_are_rejected(tmp_path):
    load_world(tmp_path, upto="reporting_lines")
    text = "position,manager_position,valid_from,valid_to\nAE-1,MGR-1,2026-01-01,2026-06-30\nAE-1,MGR-1,2026-06-01,\n"
    result = import_file("reporting_lines", write(tmp_path, "reporting_lines", text))
    assert [(p.row, p.column) for p in result.problems] == [(2, "valid_from"), (3, "valid_from")]
    assert result.problems[0].reason == ("2026-01-01 – 2026-06-30 overlaps 2026-06-01 – open in row 3 of this file "
                                         "for the same position: end one the day before the other starts")
    import_file("reporting_lines", write(tmp_path, "reporting_lines", WORLD["reporting_lines"]))
    clash = "position,manager_position,valid_from\nOV-1,MGR-1,2025-06-01\n"
    result = import_file("reporting_lines", write(tmp_path, "reporting_lines", clash))
    assert result.status == "rejected" and ReportingLine.objects.count() == 3
    assert "already in the database for the same position" in result.problems[0].reason


def test_model_rules_are_checked(tmp_path):
    load_world(tmp_path, upto="position_holders")
    text = "participant,position,valid_from\nE1,AE-1,2020-01-01\n"
    problem = import_file("position_holders", write(tmp_path, "position_holders", text)).problems[0]
    assert (problem.row, problem.column, problem.reason) == (2, "valid_from", "Ada Lovelace was hired on 2024-02-01. "
                                                                              "Correct the row.")


def test_periods_need_a_default_calendar(tmp_path):
    load_world(tmp_path, upto="quotas")
    text = "position,period,measure,amount,currency\nAE-1,FY2031-Q1,new_bookings,1,USD\n"
    problem = import_file("quotas", write(tmp_path, "quotas", text)).problems[0]
    assert problem.reason == "there is no period with name 'FY2031-Q1': import periods first or correct it"


def test_every_import_is_recorded(tmp_path):
    default_calendar()
    result = import_file("currencies", write(tmp_path, "currencies"))
    run = ImportRun.objects.get(pk=result.run_id)
    assert (run.entity, run.file_name, run.status, run.rows_read, run.rows_created, run.rows_rejected) == (
        "currencies", "currencies.csv", "imported", 3, 3, 0)
    assert len(run.sha256) == 64


def test_big_batches_on_postgresql_keep_their_foreign_keys(tmp_path, monkeypatch):
    from django.db import connection

    from attain.apps.imports import sql_writer

    def foreign_keys():
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
                           "'sales_transaction'::regclass AND contype = 'f' ORDER BY conname")
            return cursor.fetchall()

    before = foreign_keys()
    load_world(tmp_path, upto="transactions")
    monkeypatch.setattr(sql_writer, "PG_BULK_ROWS", 1)
    result = import_file("transactions", write(tmp_path, "transactions"))
    assert result.problems == []
    assert counts(result) == (2, 0, 0, 0)
    assert foreign_keys() == before
    assert Transaction.objects.get(external_id="T-2").original.external_id == "T-1"


def test_a_rule_only_the_database_knows_is_reported_not_raised(tmp_path):
    load_world(tmp_path, upto="transactions")
    text = "name,kind,fiscal_year,number,start_date,end_date\nFY2026-X,year,2026,1,2026-01-01,2026-12-31\n"
    result = import_file("periods", write(tmp_path, "periods", text))
    assert (result.status, result.exit_code, result.counts.created) == ("rejected", 1, 0)
    assert result.problems[0].reason.startswith("the database refused the rows (")


def test_periods_import_into_an_empty_database_creates_the_default_calendar(tmp_path):
    from attain.apps.core.models import FiscalCalendar, Period

    path = write(tmp_path, "periods")
    assert import_file("periods", path, dry_run=True).status == "validated"
    assert (FiscalCalendar.objects.count(), Period.objects.count()) == (0, 0)  # a dry run leaves nothing behind
    assert counts(import_file("periods", path)) == (WORLD["periods"].count("\n") - 1, 0, 0, 0)
    calendar = FiscalCalendar.objects.get()
    assert (calendar.is_default, calendar.start_month) == (True, 1)
    assert Period.objects.filter(calendar=calendar).count() == WORLD["periods"].count("\n") - 1


def test_split_shares_over_100_percent_are_refused(tmp_path):
    from attain.apps.sales.models import CreditSplit

    load_world(tmp_path)
    assert sorted(CreditSplit.objects.values_list("position__code", "share")) == [
        ("AE-1", Decimal("0.7")), ("OV-1", Decimal("0.3"))]
    path = write(tmp_path, "credit_splits", "transaction,position,share\nT-2,AE-1,0.8\nT-2,OV-1,0.3\n")
    result = import_file("credit_splits", path)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (row, "share", "the shares for transaction 'T-2' add up to 110%, more than 100%: correct them")
        for row in (2, 3)]
    assert CreditSplit.objects.count() == 2
