"""The admin records every add, change and delete in the audit log, and shows the log read-only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import changes, snapshot
from attain.apps.catalog.models import Account, Product, ProductFamily
from attain.apps.org.roles import (
    ADMINISTRATOR,
    AUDITOR,
    COMP_ADMIN,
    CONTROLLER,
    EXECUTIVE,
    FINANCE,
    MANAGER,
    REP,
    ensure_roles,
)
from attain.apps.plans.models import Plan, PlanVersion
from attain.apps.territories.models import Territory, TerritoryRule
from tests import factories as f

pytestmark = pytest.mark.django_db
AE_PLAN = (Path(__file__).parents[1] / "examples" / "plans" / "ae.yaml").read_text()
# The audit log's own admin is read-only: the one admin that records nothing.
NOT_YET_AUDITED = {"audit"}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would post back: the change form's and its inlines' values as shown."""
    context = response.context
    shown = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        shown += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in shown:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    return data


def only_entry() -> AuditEntry:
    (found,) = AuditEntry.objects.all()
    return found


def test_every_attain_model_admin_is_audited():
    unaudited = [model._meta.label for model, model_admin in admin.site._registry.items()
                 if model.__module__.startswith("attain.") and model._meta.app_label not in NOT_YET_AUDITED
                 and not isinstance(model_admin, AuditedAdmin)]
    assert unaudited == []


def test_adding_records_the_new_row_and_the_reason(admin_client):
    response = admin_client.post(url(ProductFamily, "add"), {"code": "CORE", "name": "Core",
                                                             "audit_reason": " New family for 2027 "})
    assert response.status_code == 302
    family, found = ProductFamily.objects.get(), only_entry()
    assert (found.action, found.object_type, found.object_id, found.object_repr) == (
        "created", "catalog.ProductFamily", str(family.pk), "Core")
    assert (found.before, found.after) == (None, {"id": family.pk, "code": "CORE", "name": "Core"})
    assert (found.reason, found.source, found.username, found.user.username) == (
        "New family for 2027", "admin", "admin", "admin")


def test_changing_records_the_row_before_and_after(admin_client):
    product = f.product("PLAT-1")
    before = snapshot(Product.objects.get())
    page = admin_client.get(url(Product, "change", product.pk))
    assert b'name="audit_reason"' in page.content and b"Reason for this change" in page.content
    data = {**form_data(page), "list_price": "1200.50", "audit_reason": "2027 price list"}
    assert admin_client.post(url(Product, "change", product.pk), data).status_code == 302
    found = only_entry()
    assert (found.action, found.reason, found.before) == ("changed", "2027 price list", before)
    assert changes(found.before, found.after) == ({"list_price": "1000.0000"}, {"list_price": "1200.5000"})
    assert found.after == snapshot(Product.objects.get())


def test_saving_without_a_change_records_nothing(admin_client):
    product = f.product("PLAT-1")
    page = admin_client.get(url(Product, "change", product.pk))
    assert admin_client.post(url(Product, "change", product.pk), form_data(page)).status_code == 302
    assert not AuditEntry.objects.exists()


def test_inline_rows_changed_and_deleted_are_recorded_with_the_reason(admin_client):
    usd = f.usd()
    plan = Plan.objects.create(code="AE-2026", name="AE", currency=usd)
    published = PlanVersion.objects.create(plan=plan, version=1, status="published", document=AE_PLAN,
                                           valid_from=datetime.date(2026, 1, 1))
    draft = PlanVersion.objects.create(plan=plan, version=2, document=AE_PLAN, valid_from=datetime.date(2027, 1, 1))
    draft_before = snapshot(PlanVersion.objects.get(pk=draft.pk))
    page = admin_client.get(url(Plan, "change", plan.pk))
    data = form_data(page)
    assert (data["versions-0-id"], data["versions-1-id"]) == (draft.pk, published.pk)  # newest first
    data.update({"versions-0-DELETE": "on", "versions-1-change_note": "signed off", "audit_reason": "Q1 review"})
    response = admin_client.post(url(Plan, "change", plan.pk), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    changed, deleted = AuditEntry.objects.order_by("id")
    assert (changed.action, changed.object_type, changed.object_id, changed.reason) == (
        "changed", "plans.PlanVersion", str(published.pk), "Q1 review")
    assert changes(changed.before, changed.after) == ({"change_note": ""}, {"change_note": "signed off"})
    assert (deleted.action, deleted.object_id, deleted.before, deleted.after, deleted.reason) == (
        "deleted", str(draft.pk), draft_before, None, "Q1 review")
    assert deleted.before["document"] == AE_PLAN


def test_deleting_records_the_row_and_what_cascades_with_the_reason(admin_client):
    territory = Territory.objects.create(code="WEST", name="West", level="region")
    rule = TerritoryRule.objects.create(territory=territory, kind="country", value="US",
                                        valid_from=datetime.date(2026, 1, 1))
    rule_before = snapshot(TerritoryRule.objects.get())
    page = admin_client.get(url(Territory, "delete", territory.pk))
    assert b'name="audit_reason"' in page.content
    response = admin_client.post(url(Territory, "delete", territory.pk), {"post": "yes", "audit_reason": "merged"})
    assert response.status_code == 302 and not Territory.objects.exists()
    gone, cascaded = AuditEntry.objects.order_by("id")
    assert (gone.action, gone.object_type, gone.object_id, gone.reason, gone.after) == (
        "deleted", "territories.Territory", str(territory.pk), "merged", None)
    assert gone.before == {"id": territory.pk, "code": "WEST", "name": "West", "level": "region", "parent_id": None}
    assert (cascaded.action, cascaded.object_type, cascaded.object_id, cascaded.before) == (
        "deleted", "territories.TerritoryRule", str(rule.pk), rule_before)
    assert cascaded.reason == f"Deleted with territories.Territory {territory.pk} (cascade): merged"


def test_bulk_delete_records_each_row_and_each_reference_emptied(admin_client):
    parent, other = f.account("A-1"), f.account("A-3")
    child = Account.objects.create(external_id="A-2", name="Child", country="US", parent=parent)
    page = admin_client.post(url(Account, "changelist"), {"action": "delete_selected",
                                                          "_selected_action": [parent.pk, other.pk]})
    assert b'name="audit_reason"' in page.content
    response = admin_client.post(url(Account, "changelist"), {
        "action": "delete_selected", "_selected_action": [parent.pk, other.pk], "post": "yes",
        "audit_reason": "duplicates from the CRM"})
    assert response.status_code == 302 and list(Account.objects.values_list("external_id", flat=True)) == ["A-2"]
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "object_id", "reason"))
    first = AuditEntry.objects.order_by("id").first().object_id
    assert set(entries[:2]) == {("deleted", str(parent.pk), "duplicates from the CRM"),
                                ("deleted", str(other.pk), "duplicates from the CRM")}  # ids as text: no order
    assert entries[2] == ("changed", str(child.pk),
                          f"parent emptied as catalog.Account {first} and 1 more was deleted: duplicates from the CRM")
    emptied = AuditEntry.objects.order_by("id").last()
    assert changes(emptied.before, emptied.after) == ({"parent_id": parent.pk}, {"parent_id": None})


def test_auditors_finance_and_admins_may_read_the_log_and_nobody_may_write_it():
    from django.contrib.auth.models import Permission

    readers = {role for role, group in ensure_roles().items()
               if group.permissions.filter(content_type__app_label="audit").exists()}
    assert readers == {ADMINISTRATOR, COMP_ADMIN, FINANCE, CONTROLLER, AUDITOR}
    assert not {EXECUTIVE, MANAGER, REP} & readers
    assert list(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True)) == [
        "view_auditentry"]


@pytest.fixture
def finance_client(client, django_user_model):
    user = django_user_model.objects.create(username="fin", is_staff=True)
    user.groups.set([ensure_roles()[FINANCE]])
    client.force_login(user)
    return client


def test_view_only_users_see_no_reason_field_and_may_read_the_log(finance_client, django_user_model, client):
    product = f.product("PLAT-1")
    page = finance_client.get(url(Product, "change", product.pk))
    assert page.status_code == 200 and b"audit_reason" not in page.content
    assert finance_client.get(url(AuditEntry, "changelist")).status_code == 200
    rep = django_user_model.objects.create(username="rep", is_staff=True)
    rep.groups.set([ensure_roles()[REP]])
    client.force_login(rep)
    assert client.get(url(AuditEntry, "changelist")).status_code == 403


@pytest.fixture
def logged(admin_user):
    return AuditEntry.objects.create(
        user=admin_user, username="admin", action="changed", object_type="catalog.Account", object_id="7",
        object_repr="<b>Acme</b>", reason="renamed", source="admin",
        before={"name": "<script>alert(1)</script>", "country": "US"}, after={"name": "Acme", "country": "US"})


def test_the_log_is_read_only_in_the_admin_even_for_superusers(admin_client, logged):
    assert admin_client.get(url(AuditEntry, "add")).status_code == 403
    assert admin_client.get(url(AuditEntry, "delete", logged.pk)).status_code == 403
    assert admin_client.post(url(AuditEntry, "change", logged.pk), {"reason": "x"}).status_code == 403
    listed = admin_client.get(url(AuditEntry, "changelist"))
    assert b"delete_selected" not in listed.content and b"export_csv" in listed.content
    assert AuditEntry.objects.get().reason == "renamed"


def test_an_entry_shows_what_changed_and_both_records_escaped(admin_client, logged):
    page = admin_client.get(url(AuditEntry, "change", logged.pk)).content.decode()
    assert "<tr><th>name</th><td><pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre></td><td><pre>Acme</pre></td></tr>" in page
    assert "<th>country</th>" not in page  # unchanged fields are only in the whole records
    assert '&quot;country&quot;: &quot;US&quot;' in page and "<script>alert" not in page
    assert "&lt;b&gt;Acme&lt;/b&gt;" in page


@pytest.mark.parametrize("query", [{"action": "changed"}, {"q": "Acme"}, {"q": "7"}, {"username": "admin"},
                                   {"object_type": "catalog.Account"}, {"source": "admin"},
                                   {"at__gte": "2020-01-01 00:00:00+00:00", "at__lt": "2100-01-01 00:00:00+00:00"}])
def test_the_log_filters_and_searches(admin_client, logged, query):
    page = admin_client.get(url(AuditEntry, "changelist"), query)
    assert page.status_code == 200 and page.context["cl"].result_count == 1


def test_the_admin_exports_selected_entries_and_records_the_export(admin_client, logged):
    response = admin_client.post(url(AuditEntry, "changelist"), {"action": "export_jsonl",
                                                                 "_selected_action": [logged.pk]})
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response.content.decode().count("\n") == 1 and '"object_repr":"<b>Acme</b>"' in response.content.decode()
    export = AuditEntry.objects.order_by("-id").first()
    assert (export.action, export.source, export.username, export.after) == (
        "exported", "admin", "admin", {"format": "jsonl", "rows": 1})


def test_decimal_places_survive_a_round_trip_through_the_form(admin_client):
    product = f.product("PLAT-1")
    page = admin_client.get(url(Product, "change", product.pk))
    admin_client.post(url(Product, "change", product.pk), {**form_data(page), "unit_cost": "100.0"})
    assert not AuditEntry.objects.exists()  # 100 and 100.0 are the same stored value
    assert Product.objects.get().unit_cost == Decimal("100")
