from django.contrib import admin

from attain.apps.core.display import amount_column
from attain.apps.payments.models import DrawAgreement, Payment, PaymentRun


@admin.register(DrawAgreement)
class DrawAgreementAdmin(admin.ModelAdmin):
    list_display = ["participant", amount_column("amount", "amount"), "currency", "recoverable", "valid_from",
                    "valid_to", "recovery_from", "max_recovery", "forgive_at_end"]
    list_filter = ["recoverable", "forgive_at_end", "currency"]
    search_fields = ["participant__employee_id", "participant__last_name", "note"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant", "currency"]


class ReadOnly(admin.ModelAdmin):
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
