from django.contrib import admin, messages

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.core.display import amount_column
from attain.apps.payments.adjustments import AdjustmentError, approve_adjustment
from attain.apps.payments.models import (
    AccountingPolicy,
    Adjustment,
    ApprovalAuthority,
    DrawAgreement,
    Payment,
    PaymentRun,
    RecoveryLimit,
)


@admin.register(DrawAgreement)
class DrawAgreementAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["participant", amount_column("amount", "amount"), "currency", "recoverable", "valid_from",
                    "valid_to", "recovery_from", "max_recovery", "forgive_at_end"]
    list_filter = ["recoverable", "forgive_at_end", "currency"]
    search_fields = ["participant__employee_id", "participant__last_name", "note"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant", "currency"]


class ReadOnly(AuditedAdmin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnly):
    list_display = ["id", "period", "status", "created_at", "created_by"]
    list_filter = ["status", "period__fiscal_year"]
    readonly_fields = [f.name for f in PaymentRun._meta.fields]
    list_select_related = ["period", "created_by"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["participant", "period", amount_column("paid", "payment"), "currency", "run_id"]
    list_filter = ["run", "period", "currency"]
    search_fields = ["participant__employee_id", "participant__last_name"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    list_select_related = ["run", "participant", "period", "currency"]


@admin.register(Adjustment)
class AdjustmentAdmin(AuditedAdmin, admin.ModelAdmin):
    """Made here or with `attain adjust add`; approved by someone else (the action, or `attain adjust approve`)."""

    list_display = ["id", "participant", amount_column("amount", "amount"), "currency", "kind", "first_period",
                    "last_period", "state", "created_by", "decided_by"]
    list_filter = ["state", "kind", "currency"]
    search_fields = ["participant__employee_id", "participant__last_name", "reason"]
    fields = ["participant", "amount", "kind", "first_period", "last_period", "reason", "attachment"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant", "currency", "first_period", "last_period", "created_by", "decided_by"]
    actions = ["approve_selected"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # made once, then only approved or rejected

    def save_model(self, request, obj, form, change):
        obj.created_by, obj.currency_id = request.user, obj.participant.currency_id
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected adjustments")
    def approve_selected(self, request, queryset):
        for adjustment in queryset:
            try:
                approve_adjustment(adjustment.pk, request.user)
                self.message_user(request, f"Adjustment {adjustment.pk} approved.")
            except AdjustmentError as refused:
                self.message_user(request, f"Adjustment {adjustment.pk}: {refused}", messages.ERROR)


@admin.register(AccountingPolicy)
class AccountingPolicyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "practical_expedient", "expense_up_to_months", "expected_renewal_months"]
    list_filter = ["practical_expedient"]
    search_fields = ["name"]


@admin.register(RecoveryLimit)
class RecoveryLimitAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "participant", "amount", "currency"]
    list_filter = ["currency"]
    search_fields = ["participant__employee_id", "participant__last_name"]
    autocomplete_fields = ["participant"]


@admin.register(ApprovalAuthority)
class ApprovalAuthorityAdmin(AuditedAdmin, admin.ModelAdmin):
    """How large an adjustment a manager approves alone for their team (the manager portal); larger ones wait for
    finance."""

    list_display = ["__str__", "user", "role", amount_column("max_amount", "up to"), "currency", "note"]
    list_filter = ["role", "currency"]
    search_fields = ["user__username", "user__last_name", "role", "note"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "currency"]
