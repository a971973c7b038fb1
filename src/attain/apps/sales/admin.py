from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.core.display import amount_column
from attain.apps.sales.models import (
    Activity,
    CreditSplit,
    CustomerPayment,
    Opportunity,
    OpportunityStageEvent,
    Transaction,
)


class CreditSplitInline(admin.TabularInline):
    model = CreditSplit
    extra = 0
    autocomplete_fields = ["position"]


class CustomerPaymentInline(admin.TabularInline):
    model = CustomerPayment
    extra = 0
    fields = ["external_id", "paid_on", "amount"]


@admin.register(Transaction)
class TransactionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["external_id", "kind", "booked_date", "account", "product", amount_column("amount"),
                    "currency", "deal_type", "status", "owner_position"]
    list_filter = ["kind", "status", "deal_type", "currency", "booked_date"]
    search_fields = ["external_id", "order_number", "account__name", "owner_position__code"]
    date_hierarchy = "booked_date"
    autocomplete_fields = ["account", "product", "owner_position", "original", "opportunity"]
    list_select_related = ["account", "product", "owner_position", "currency"]
    show_full_result_count = False
    inlines = [CreditSplitInline, CustomerPaymentInline]


@admin.register(CustomerPayment)
class CustomerPaymentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["external_id", "transaction", "paid_on", amount_column("amount")]
    list_filter = ["paid_on"]
    search_fields = ["external_id", "transaction__external_id", "transaction__order_number"]
    autocomplete_fields = ["transaction"]
    list_select_related = ["transaction"]


class StageEventInline(admin.TabularInline):
    model = OpportunityStageEvent
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["external_id", "name", "account", "owner_position", "stage", amount_column("amount"), "currency",
                    "expected_close_date", "outcome"]
    list_filter = ["outcome", "stage", "deal_type", "product_family"]
    search_fields = ["external_id", "name", "account__name", "owner_position__code"]
    autocomplete_fields = ["account", "owner_position", "sourced_by_position"]
    list_select_related = ["account", "owner_position", "currency"]
    inlines = [StageEventInline]
    show_full_result_count = False


@admin.register(OpportunityStageEvent)
class OpportunityStageEventAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["opportunity", "stage", "entered_on", "amount"]
    list_filter = ["stage"]
    search_fields = ["opportunity__external_id", "opportunity__name"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["opportunity"]
    show_full_result_count = False


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["external_id", "occurred_on", "kind", "participant", "opportunity", "qualified", "duration_minutes"]
    list_filter = ["kind", "qualified", "occurred_on"]
    search_fields = ["external_id", "participant__last_name", "participant__employee_id", "subject"]
    autocomplete_fields = ["participant", "opportunity", "account"]
    list_select_related = ["participant", "opportunity"]
    show_full_result_count = False


@admin.register(CreditSplit)
class CreditSplitAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["transaction", "position", "share"]
    list_filter = ["position__kind"]
    search_fields = ["transaction__external_id", "position__code"]
    autocomplete_fields = ["transaction", "position"]
    list_select_related = ["transaction", "position"]
