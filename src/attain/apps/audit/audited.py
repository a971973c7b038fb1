"""`AuditedAdmin`: every add, change and delete made in the admin goes to the audit log, with a reason.

A mixin for Attain's ModelAdmins (`class PlanAdmin(AuditedAdmin, admin.ModelAdmin)`). It records by explicit
calls in the admin's own save and delete hooks (no signals): `created` / `changed` with full snapshots before
and after, `deleted` with the snapshot before, for inline rows too, and for what a deletion cascades to. Change
forms and delete confirmations get an optional "Reason for this change" stored as the entry's reason.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import router, transaction

from attain.apps.audit.deletions import deletion_entries
from attain.apps.audit.services import Action, Source, entry, record, record_many, snapshot

REASON = "audit_reason"


def reason_field() -> forms.CharField:
    return forms.CharField(label="Reason for this change", required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                           help_text="Optional; kept in the audit log with the change.")


class AuditedAdmin:
    """Records the admin's changes in the audit log (see the module docstring)."""

    delete_confirmation_template = "admin/audit/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/audit/delete_selected_confirmation.html"

    # -- the reason field ------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "form" not in kwargs:
            readonly = self.get_readonly_fields(request, obj)
            base = type(self.form.__name__, (self.form,),
                        dict.fromkeys(f for f in readonly if f in self.form.declared_fields))
            kwargs["form"] = type(base.__name__, (base,), {REASON: reason_field()})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        editable = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        if not editable:  # a read-only view has nothing to give a reason for
            return [(name, {**options, "fields": [f for f in options["fields"] if f != REASON]})
                    for name, options in fieldsets]
        if REASON not in flatten_fieldsets(fieldsets):
            fieldsets = [*fieldsets, (None, {"fields": [REASON]})]
        return fieldsets

    @staticmethod
    def reason_given(request, form=None) -> str:
        """The reason typed in the change form or on the delete confirmation."""
        if form is not None and hasattr(form, "cleaned_data"):
            return (form.cleaned_data.get(REASON) or "").strip()
        return (request.POST.get(REASON) or "").strip() if request.method == "POST" else ""

    # -- recording -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        if change and before == after:
            return  # saved without a change (inline rows are recorded by save_formset)
        record(Action.CHANGED if change else Action.CREATED, obj, user=request.user, before=before, after=after,
               reason=self.reason_given(request, form), source=Source.ADMIN)

    def save_formset(self, request, form, formset, change):
        model, reason = formset.model, self.reason_given(request, form)
        changed_pks = [f.instance.pk for f in formset.initial_forms
                       if f not in formset.deleted_forms and f.has_changed() and f.instance.pk is not None]
        stored = {o.pk: snapshot(o) for o in model._base_manager.filter(pk__in=changed_pks)} if changed_pks else {}
        going = deletion_entries([f.instance for f in formset.deleted_forms if f.instance.pk is not None],
                                 user=request.user, reason=reason, source=Source.ADMIN)
        super().save_formset(request, form, formset, change)
        made = {"user": request.user, "reason": reason, "source": Source.ADMIN}
        entries = [entry(Action.CREATED, o, after=snapshot(o), **made) for o in formset.new_objects]
        for obj, _fields in formset.changed_objects:
            before, after = stored.get(obj.pk), snapshot(obj)
            if before != after:
                entries.append(entry(Action.CHANGED, obj, before=before, after=after, **made))
        record_many([*entries, *going])

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(type(obj))):
            entries = deletion_entries([obj], user=request.user, reason=self.reason_given(request),
                                       source=Source.ADMIN)
            super().delete_model(request, obj)
            record_many(entries)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            entries = deletion_entries(queryset, user=request.user, reason=self.reason_given(request),
                                       source=Source.ADMIN)
            super().delete_queryset(request, queryset)
            record_many(entries)


def _stored(obj) -> dict | None:
    """The row as the database holds it now (the form has already changed `obj`)."""
    found = type(obj)._base_manager.filter(pk=obj.pk).first()
    return snapshot(found) if found is not None else None


class ReadOnly:
    """An admin page that only shows rows written by the services or the app itself: nobody adds, changes or
    deletes them there. Mix in before `admin.ModelAdmin`."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAudited(ReadOnly, AuditedAdmin):
    """A read-only admin page whose views are audited like the others."""
