"""Services record their changes in the audit log: imports (and the rows they change) and plan versions."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from typer.testing import CliRunner

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import changes, snapshot
from attain.apps.catalog.models import Account
from attain.apps.imports.models import ImportRun
from attain.apps.imports.services import import_file
from attain.apps.plans.models import Plan, PlanVersion
from attain.apps.plans.services import PlanFileError, import_plan_version, publish_plan_version
from attain.apps.sales.models import Transaction
from attain.cli.main import app
from import_world import WORLD, load_world, write
from tests import factories as f

pytestmark = pytest.mark.django_db
AE_PLAN = (Path(__file__).parents[1] / "examples" / "plans" / "ae.yaml").read_text()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entries(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


# --- imports -------------------------------------------------------------------------------------

def test_an_import_is_recorded_with_its_file_and_counts(tmp_path, django_user_model):
    load_world(tmp_path, upto="transactions")
    ada = django_user_model.objects.create(username="ada")
    path = write(tmp_path, "transactions")
    result = import_file("transactions", path, user=ada, reason="March bookings")
    before = list(WORLD).index("transactions")  # load_world imports each entity before transactions, then this file
    assert AuditEntry.objects.filter(action="imported").count() == ImportRun.objects.count() == before + 1
    found = entries()[-1]
    assert (found.action, found.object_type, found.object_id, found.object_repr) == (
        "imported", "imports.ImportRun", str(result.run_id), "transactions from transactions.csv (imported)")
    assert (found.username, found.source, found.reason, found.before) == ("ada", "import", "March bookings", None)
    assert found.after == {"entity": "transactions", "file_name": "transactions.csv", "sha256": sha(path),
                           "status": "imported", "rows_read": 2, "rows_created": 2, "rows_updated": 0,
                           "rows_unchanged": 0, "rows_rejected": 0}
    assert not entries(action="changed")  # created rows are counted, not listed


def test_rows_an_import_changes_are_recorded_with_their_changed_fields(tmp_path):
    load_world(tmp_path)
    changed = write(tmp_path, "transactions", WORLD["transactions"].replace("12345678901.1234", "99.5"))
    import_file("transactions", changed)
    (row,) = entries(action="changed")
    booking = Transaction.objects.get(external_id="T-1")
    assert (row.object_type, row.object_id, row.object_repr, row.source) == (
        "sales.Transaction", str(booking.pk), "T-1", "import")
    assert (row.before, row.after) == ({"amount": "12345678901.1234"}, {"amount": "99.5000"})
    assert row.reason == f"transactions import of transactions.csv (sha256 {sha(changed)[:16]})"
    assert entries(action="imported")[-1].after["rows_updated"] == 1


def test_rows_changed_in_several_batches_are_each_recorded_once(tmp_path, monkeypatch):
    from attain.apps.imports import sql_writer

    load_world(tmp_path)
    monkeypatch.setattr(sql_writer, "BATCH", 1)
    text = WORLD["transactions"].replace("-1200.10", "-1300").replace("AE-1,,0.0001", "AE-1,,0.0002")
    result = import_file("transactions", write(tmp_path, "transactions", text))
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (0, 2, 0)
    found = {e.object_repr: (e.before, e.after) for e in entries(action="changed")}
    assert found == {"T-1": ({"cost": "0.0001"}, {"cost": "0.0002"}),
                     "T-2": ({"amount": "-1200.1000"}, {"amount": "-1300.0000"})}
    assert Transaction.objects.get(external_id="T-2").amount == -1300


def test_rows_the_orm_writer_changes_are_recorded_parents_too(tmp_path):
    load_world(tmp_path)
    acme = Account.objects.get(external_id="A-1")
    text = WORLD["accounts"].replace("A-1,Acme,US", "A-1,Acme Inc,US").replace("smb,-100,A-1,", "smb,-100,,")
    import_file("accounts", write(tmp_path, "accounts", text), reason="CRM clean-up")
    europe, parent = entries(action="changed", object_type="catalog.Account").__iter__()
    assert (europe.object_repr, europe.before, europe.after) == ("A-2", {"parent_id": acme.pk}, {"parent_id": None})
    assert (parent.object_repr, parent.before, parent.after) == ("A-1", {"name": "Acme"}, {"name": "Acme Inc"})
    assert parent.reason.endswith(": CRM clean-up")


def test_unchanged_rows_dry_runs_and_rejected_files_record_no_rows(tmp_path):
    load_world(tmp_path)
    before = AuditEntry.objects.count()
    import_file("transactions", write(tmp_path, "transactions"))  # the same file again
    import_file("accounts", write(tmp_path, "accounts", WORLD["accounts"].replace("Acme", "X")), dry_run=True)
    bad = write(tmp_path, "transactions", WORLD["transactions"].replace("-1200.10", "-1200.1O"))
    import_file("transactions", bad)
    added = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "after__status"))
    assert added == [("imported", "imported"), ("imported", "rejected")]
    assert ImportRun.objects.filter(status="validated").count() == 1  # the dry run is an import run, not a change


# --- plans ---------------------------------------------------------------------------------------

def test_importing_a_plan_records_the_new_plan_and_version_with_its_document(django_user_model):
    f.usd()
    ada = django_user_model.objects.create(username="ada")
    version = import_plan_version(AE_PLAN, valid_from=datetime.date(2026, 1, 1), change_note="FY2026 plan",
                                  user=ada)
    plan_entry, version_entry = entries()
    assert (plan_entry.action, plan_entry.object_type, plan_entry.after) == (
        "created", "plans.Plan", snapshot(Plan.objects.get()))
    assert (version_entry.action, version_entry.object_type, version_entry.object_id, version_entry.reason) == (
        "imported", "plans.PlanVersion", str(version.pk), "FY2026 plan")
    assert version_entry.after == snapshot(PlanVersion.objects.get())
    assert version_entry.after["document"] == AE_PLAN and version_entry.username == "ada"
    import_plan_version(AE_PLAN, valid_from=datetime.date(2027, 1, 1), publish=True)
    assert [e.action for e in entries()] == ["created", "imported", "published"]  # the plan exists: no "created"


def test_publishing_records_the_version_before_and_after():
    f.usd()
    draft = import_plan_version(AE_PLAN, valid_from=datetime.date(2026, 1, 1))
    before = snapshot(PlanVersion.objects.get())
    published = publish_plan_version("AE-2026", 1, reason="approved by the comp committee", source="cli")
    assert (published.pk, published.status) == (draft.pk, "published")
    found = entries()[-1]
    assert (found.action, found.before, found.reason, found.source) == (
        "published", before, "approved by the comp committee", "cli")
    assert changes(found.before, found.after) == ({"status": "draft"}, {"status": "published"})
    assert found.after["document"] == AE_PLAN


def test_publishing_refuses_what_is_not_a_draft_or_overlaps():
    f.usd()
    import_plan_version(AE_PLAN, valid_from=datetime.date(2026, 1, 1), publish=True)
    import_plan_version(AE_PLAN, valid_from=datetime.date(2026, 6, 1))
    logged = AuditEntry.objects.count()
    with pytest.raises(PlanFileError, match="AE-2026 v1 is published: only a draft can be published"):
        publish_plan_version("AE-2026", 1)
    with pytest.raises(ValidationError, match="overlaps AE-2026 v1"):
        publish_plan_version("AE-2026", 2)
    with pytest.raises(PlanFileError, match="plan AE-2026 has no version 9; it has 2, 1"):
        publish_plan_version("AE-2026", 9)
    assert AuditEntry.objects.count() == logged and PlanVersion.objects.get(version=2).status == "draft"


def test_cli_plan_publish(tmp_path):
    f.usd()
    import_plan_version(AE_PLAN, valid_from=datetime.date(2026, 1, 1))
    result = CliRunner().invoke(app, ["plan", "publish", "AE-2026", "1", "--reason", "go live"])
    assert result.exit_code == 0, result.output
    assert "Published AE-2026 version 1, valid 2026-01-01 – open." in result.output
    assert (entries()[-1].action, entries()[-1].source, entries()[-1].reason) == ("published", "cli", "go live")
    again = CliRunner().invoke(app, ["plan", "publish", "AE-2026", "1"])
    assert again.exit_code == 1 and "only a draft can be published" in again.output
