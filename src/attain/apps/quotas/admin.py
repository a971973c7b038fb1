from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.core.display import amount_column
from attain.apps.quotas.models import Quota


@admin.register(Quota)
class QuotaAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["position", "period", "measure", amount_column("amount", "full quota"), "ramp",
                    amount_column("relief"), amount_column("effective_amount", "quota", sortable=False), "currency"]
    list_filter = ["measure", "period__fiscal_year", "period__kind", "position__kind"]
    search_fields = ["position__code", "position__name", "measure"]
    autocomplete_fields = ["position"]
    list_select_related = ["position", "period", "currency"]
