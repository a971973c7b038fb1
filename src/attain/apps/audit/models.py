"""The audit log: an append-only record of every change (who, when, what, before and after, why).

Entries are written by explicit calls (`attain.apps.audit.services.record`), never by signals. Append-only
holds at three levels: `AuditEntry.save()` and `.delete()` refuse to change a stored entry, the manager's
querysets refuse `update()` and `delete()`, and database triggers (migration 0002) refuse UPDATE and DELETE
on the table, whatever client sends them. The one update the database allows is the one Django sends when a
user is deleted: `user` becomes NULL and everything else stays, the username kept as text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class AppendOnlyError(Exception):
    """An audit entry was to be changed or deleted: the log only grows."""


def _refuse(what: str) -> AppendOnlyError:
    return AppendOnlyError(f"the audit log is append-only: {what} is refused; record a new entry instead "
                           "(attain.apps.audit.services.record)")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse("updating audit entries")

    def delete(self):
        raise _refuse("deleting audit entries")

    def bulk_update(self, objs, fields, batch_size=None):
        raise _refuse("updating audit entries")

    def _raw_delete(self, using):  # Django's fast-delete path
        raise _refuse("deleting audit entries")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        """What happened. Add a member for a new kind of event (a migration records the new choice)."""

        CREATED = "created"
        CHANGED = "changed"
        DELETED = "deleted"
        IMPORTED = "imported"
        PUBLISHED = "published"
        CALCULATED = "calculated"
        SUBMITTED = "submitted"
        APPROVED = "approved"
        REJECTED = "rejected"
        PAID = "paid"
        CLOSED = "closed"
        REOPENED = "reopened"
        EXPORTED = "exported"
        RESET = "reset", "Reset (data replaced)"

    class Source(models.TextChoices):
        """Which way the change came in."""

        ADMIN = "admin"
        CLI = "cli", "Command line"
        API = "api", "API"
        IMPORT = "import", "File import"
        SERVICE = "service"

    at = models.DateTimeField("when", db_default=Now(), editable=False, help_text="By the database's clock.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True,
                                help_text="Who, kept as text so the entry still names a deleted user.")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, help_text="app_label.Model, e.g. plans.PlanVersion.")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=200, blank=True, help_text="The object as text then.")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SERVICE)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        default_permissions = ("view",)  # nobody adds, changes or deletes entries by hand
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object"),
                   models.Index(fields=["at"], name="audit_at")]

    def __str__(self) -> str:
        who = self.username or "(system)"
        return f"{self.action} {self.object_type} {self.object_id} by {who}".replace("  ", " ")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _refuse(f"changing audit entry {self.pk}")
        kwargs["force_insert"] = True  # never an UPDATE, even with a primary key given
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(f"deleting audit entry {self.pk}")
