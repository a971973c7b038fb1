"""Disputes in the administration: read-only (every change goes through the services, which log it)."""

from django.contrib import admin

from attain.apps.audit.audited import ReadOnlyAudited
from attain.apps.disputes.models import Dispute, DisputeComment


class CommentInline(admin.TabularInline):
    model = DisputeComment
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAudited, admin.ModelAdmin):
    list_display = ["pk", "participant", "period", "status", "raised_by", "assigned_to", "created_at"]
    list_filter = ["status"]
    search_fields = ["participant__employee_id", "participant__name", "transaction_external_id", "comment"]
    list_select_related = ["participant", "period", "raised_by", "assigned_to"]
    inlines = [CommentInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Dispute._meta.fields]
