"""The portal's models in the admin: plan acceptances (read-only, they are evidence) and which plans require one."""

from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin, ReadOnlyAudited
from attain.apps.portal.models import AcceptanceRequirement, PlanAcceptance


@admin.register(PlanAcceptance)
class PlanAcceptanceAdmin(ReadOnlyAudited, admin.ModelAdmin):
    list_display = ["participant", "plan_version", "accepted_at", "user", "address", "document_sha256"]
    list_filter = ["plan_version__plan"]
    search_fields = ["participant__employee_id", "participant__name", "document_sha256"]
    list_select_related = ["participant", "plan_version__plan", "user"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PlanAcceptance._meta.fields]


@admin.register(AcceptanceRequirement)
class AcceptanceRequirementAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["plan", "required"]
    list_select_related = ["plan"]
