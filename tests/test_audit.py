"""The audit log: append-only in the ORM and in the database, snapshots, exports and the command line."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from typer.testing import CliRunner

from attain.apps.audit.export import COLUMNS, write_entries
from attain.apps.audit.models import AppendOnlyError, AuditEntry
from attain.apps.audit.services import changes, entry, record, record_many, snapshot
from attain.cli.main import app
from tests import factories as f

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create(username="ada")


# --- append-only ---------------------------------------------------------------------------------

def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(ada):
    kept = record("changed", object_type="sales.Transaction", object_id=7, user=ada, reason="typo")
    kept.reason = "something else"
    with pytest.raises(AppendOnlyError, match=f"append-only: changing audit entry {kept.pk} is refused"):
        kept.save()
    with pytest.raises(AppendOnlyError, match="deleting audit entry"):
        kept.delete()
    with pytest.raises(AppendOnlyError, match="updating audit entries"):
        AuditEntry.objects.filter(pk=kept.pk).update(reason="x")
    with pytest.raises(AppendOnlyError, match="deleting audit entries"):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError, match="updating audit entries"):
        AuditEntry.objects.bulk_update([kept], ["reason"])
    again = AuditEntry(pk=kept.pk, action="deleted", object_type="x.Y")  # a stored pk is never overwritten
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()
    assert AuditEntry.objects.get().reason == "typo"


@pytest.mark.parametrize("sql", [
    f"UPDATE {TABLE} SET reason = 'rewritten'",
    f"UPDATE {TABLE} SET username = 'someone else', user_id = NULL",
    f"DELETE FROM {TABLE}",
])
def test_the_database_refuses_update_and_delete_whoever_sends_them(ada, sql):
    record("changed", object_type="sales.Transaction", object_id=7, user=ada, reason="typo")
    with pytest.raises(IntegrityError, match="the audit log is append-only: entries cannot be changed or deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEntry.objects.values_list("reason", "username")) == [("typo", "ada")]


def test_deleting_a_user_keeps_their_entries_and_name(ada):
    record("changed", object_type="sales.Transaction", object_id=7, user=ada)
    ada.delete()
    assert list(AuditEntry.objects.values_list("user_id", "username", "action")) == [(None, "ada", "changed")]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_entries_ends_cleanly():
    """Its flush (a DELETE of every table on SQLite) is preceded by tests/conftest.py emptying the log."""
    record("changed", object_type="sales.Transaction", object_id=7)
    assert AuditEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigger compares columns one by one")
def test_the_sqlite_update_trigger_compares_every_column():
    """A column added later must be added to the trigger too (a rebuilt table also loses its triggers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_entry_no_update'")
        (sql,) = cursor.fetchone()
    columns = [f.column for f in AuditEntry._meta.concrete_fields if f.column != "user_id"]
    assert [c for c in columns if f'NEW."{c}" IS OLD."{c}"' not in sql] == []


# --- recording -----------------------------------------------------------------------------------

def test_record_names_the_object_the_user_and_the_time(ada):
    usd = f.usd()
    before = timezone_now()
    made = record("created", usd, user=ada, after=snapshot(usd), reason="new currency", source="admin")
    stored = AuditEntry.objects.get()
    assert (stored.object_type, stored.object_id, stored.object_repr, stored.user, stored.username) == (
        "core.Currency", "USD", "USD", ada, "ada")
    assert (stored.action, stored.reason, stored.source, stored.before) == ("created", "new currency", "admin", None)
    assert stored.after == {"code": "USD", "name": "US dollar", "minor_units": 2, "rounding": "half_up"}
    assert before - datetime.timedelta(seconds=5) <= stored.at <= timezone_now() and made.at == stored.at


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_unknown_actions_and_sources_are_refused():
    with pytest.raises(ValueError, match="unknown audit action 'edited': use one of created, changed"):
        record("edited", object_type="x.Y")
    with pytest.raises(ValueError, match="unknown audit source 'web'"):
        record("changed", object_type="x.Y", source="web")
    with pytest.raises(ValueError, match="pass the object or its object_type"):
        record("changed")
    assert not AuditEntry.objects.exists()


def test_record_many_inserts_in_batches():
    made = record_many((entry("changed", object_type="sales.Transaction", object_id=i) for i in range(5)),
                       batch_size=2)
    assert made == 5
    assert sorted(AuditEntry.objects.values_list("object_id", flat=True)) == ["0", "1", "2", "3", "4"]


def test_a_snapshot_is_json_safe_and_exactly_as_stored():
    from attain.apps.sales.models import Transaction

    line = Transaction.objects.create(external_id="T-1", booked_date=datetime.date(2026, 3, 14), account=f.account(),
                                      amount=Decimal("12.5"), cost=Decimal("-0"), currency=f.usd())
    values = snapshot(line)
    assert json.loads(json.dumps(values)) == values
    assert (values["amount"], values["cost"], values["booked_date"]) == ("12.5000", "0.0000", "2026-03-14")
    assert (values["account_id"], values["currency_id"], values["original_id"]) == (line.account_id, "USD", None)
    assert set(values) == {field.attname for field in Transaction._meta.concrete_fields}
    assert snapshot(Transaction.objects.get()) == values  # read back: the same


def test_changes_keeps_only_what_differs():
    assert changes({"a": "1", "b": 2, "gone": 1}, {"a": "1", "b": 3, "new": None}) == (
        {"b": 2, "gone": 1}, {"b": 3, "new": None})
    assert changes(None, {"a": 1}) == ({}, {"a": 1})


# --- export --------------------------------------------------------------------------------------

@pytest.fixture
def two_entries(ada):
    first = AuditEntry.objects.create(
        at=datetime.datetime(2026, 11, 1, 9, 30, tzinfo=UTC), user=ada, username="ada", action="changed",
        object_type="sales.Transaction", object_id="7", object_repr="Zürich deal", source="admin",
        reason="@finance asked", before={"status": "booked", "amount": "10.0000"},
        after={"status": "booked", "amount": "12.5000"})
    second = AuditEntry.objects.create(
        at=datetime.datetime(2026, 11, 2, 17, 0, 0, 250000, tzinfo=UTC), action="exported",
        object_type="audit.AuditEntry", object_repr="3 audit entries", source="cli", after={"rows": 3, "format": "csv"})
    return first, second


def test_csv_export_is_exact(two_entries, ada):
    first, second = two_entries
    out = io.StringIO(newline="")
    assert write_entries(AuditEntry.objects.order_by("at", "id"), out, "csv") == 2
    assert out.getvalue() == (
        "id,at,user_id,username,action,object_type,object_id,object_repr,source,reason,before,after\r\n"
        f"{first.pk},2026-11-01T09:30:00+00:00,{ada.pk},ada,changed,sales.Transaction,7,Zürich deal,admin,"
        "'@finance asked,\"{\"\"amount\"\":\"\"10.0000\"\",\"\"status\"\":\"\"booked\"\"}\","
        "\"{\"\"amount\"\":\"\"12.5000\"\",\"\"status\"\":\"\"booked\"\"}\"\r\n"
        f"{second.pk},2026-11-02T17:00:00.250000+00:00,,,exported,audit.AuditEntry,,3 audit entries,cli,,,"
        "\"{\"\"format\"\":\"\"csv\"\",\"\"rows\"\":3}\"\r\n")


def test_jsonl_export_is_exact(two_entries, ada):
    first, second = two_entries
    out = io.StringIO()
    assert write_entries(AuditEntry.objects.order_by("at", "id"), out, "jsonl") == 2
    assert out.getvalue() == (
        f'{{"id":{first.pk},"at":"2026-11-01T09:30:00+00:00","user_id":{ada.pk},"username":"ada",'
        '"action":"changed","object_type":"sales.Transaction","object_id":"7","object_repr":"Zürich deal",'
        '"source":"admin","reason":"@finance asked","before":{"amount":"10.0000","status":"booked"},'
        '"after":{"amount":"12.5000","status":"booked"}}\n'
        f'{{"id":{second.pk},"at":"2026-11-02T17:00:00.250000+00:00","user_id":null,"username":"",'
        '"action":"exported","object_type":"audit.AuditEntry","object_id":"","object_repr":"3 audit entries",'
        '"source":"cli","reason":"","before":null,"after":{"format":"csv","rows":3}}\n')
    assert [list(json.loads(line)) for line in out.getvalue().splitlines()] == [COLUMNS, COLUMNS]


# --- command line --------------------------------------------------------------------------------

def run(*args: str):
    result = CliRunner().invoke(app, ["audit", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_show_filters_by_object_user_and_day(two_entries):
    shown = run("show", "--object", "sales.transaction:7")
    assert "Audit log: 1 entry, newest first" in shown
    assert "2026-11-01 09:30:00" in shown and "sales.Transaction:7" in shown and "Zürich deal" in shown
    assert "amount: 10.0000 → 12.5000" in shown and "status:" not in shown  # only what changed
    assert "Audit log: 1 entry" in run("show", "--user", "ada")
    later = run("show", "--since", "2026-11-02")
    assert "3 audit entries" in later and "Zürich" not in later
    assert "Audit log: 2 entries" in run("show", "--until", "2026-11-02", "--limit", "5")
    assert "No audit entries match." in run("show", "--until", "2026-10-31")


def test_cli_refuses_a_bad_day_before_touching_the_database():
    result = CliRunner().invoke(app, ["audit", "show", "--since", "1 Nov"])
    assert result.exit_code == 2 and "write --since as YYYY-MM-DD" in result.output


def test_cli_export_writes_the_file_and_records_the_export(two_entries, tmp_path):
    first, _ = two_entries
    out = tmp_path / "audit.jsonl"
    assert "Wrote 1 audit entry to" in run("export", "--since", "2026-11-01", "--until", "2026-11-01",
                                           "--format", "jsonl", "-o", str(out))
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["id"] == first.pk
    export = AuditEntry.objects.order_by("-id").first()
    assert (export.action, export.source, export.object_type, export.after) == (
        "exported", "cli", "audit.AuditEntry",
        {"format": "jsonl", "rows": 1, "since": "2026-11-01", "until": "2026-11-01", "file": "audit.jsonl"})
    csv_out = tmp_path / "audit.csv"
    assert "Wrote 3 audit entries" in run("export", "--format", "csv", "-o", str(csv_out))
    assert csv_out.read_text(encoding="utf-8").count("\n") == 4


# --- the demo ------------------------------------------------------------------------------------

def test_a_demo_reset_keeps_the_audit_log_and_records_the_reload(ada):
    from attain.cli.demo import _record_load
    from attain.demo import load

    record("changed", object_type="sales.Transaction", object_id=7, user=ada)
    f.usd()
    before = load.counts()
    load.reset()  # DELETE on SQLite, TRUNCATE on PostgreSQL: neither touches the audit log
    _record_load(2026, before, load.counts())
    kept, reload = AuditEntry.objects.order_by("id")
    assert (kept.object_id, kept.username) == ("7", "ada")
    assert (reload.action, reload.object_type, reload.object_id, reload.source) == ("reset", "demo.Company", "2026",
                                                                                    "cli")
    assert (reload.before["core.Currency"], reload.after["core.Currency"]) == (1, 0)
    assert reload.reason == "attain demo --reset: all data replaced by the demo company"
