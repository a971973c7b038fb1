from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.calc.models import Approval, ApprovalPolicy, CalculationRun, Earning
from attain.apps.core.display import amount_column


@admin.register(CalculationRun)
class CalculationRunAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["id", "period", "status", "started_at", "finished_at", "created_by", "inputs_fingerprint"]
    list_filter = ["status", "period__fiscal_year"]
    search_fields = ["period__name", "inputs_fingerprint", "error"]
    readonly_fields = [f.name for f in CalculationRun._meta.fields]
    list_select_related = ["period", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Earning)
class EarningAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["participant", "component", "period", amount_column("amount_rounded", "amount"), "currency",
                    "kind", "for_period", "position", "run_id"]
    list_filter = ["kind", "run", "period", "component", "currency", "plan_version__plan"]
    search_fields = ["participant__employee_id", "participant__last_name", "position__code", "component"]
    readonly_fields = [f.name for f in Earning._meta.fields]
    list_select_related = ["run", "participant", "position", "period", "for_period", "currency"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(AuditedAdmin, admin.ModelAdmin):
    """Approvals are made by the workflow (attain period submit/approve/reject), never edited here."""

    list_display = ["period", "run", "state", "submitted_by", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["state", "period__fiscal_year"]
    search_fields = ["period__name", "note", "decision_note", "submitted_by__username", "decided_by__username"]
    readonly_fields = [f.name for f in Approval._meta.fields]
    list_select_related = ["period", "run", "submitted_by", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "payout_threshold", "currency", "change_percent"]
    list_filter = ["currency"]
    search_fields = ["name"]
