from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["started_at", "entity", "file_name", "status", "rows_read", "rows_created", "rows_updated",
                    "rows_unchanged", "rows_rejected", "user"]
    list_filter = ["entity", "status"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False
