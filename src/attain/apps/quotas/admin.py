from django.contrib import admin

from attain.apps.quotas.models import Quota


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["position", "period", "measure", "amount", "ramp", "relief", "effective_amount", "currency"]
    list_filter = ["measure", "period__fiscal_year", "period__kind", "position__kind"]
    search_fields = ["position__code", "position__name", "measure"]
    autocomplete_fields = ["position"]
    list_select_related = ["position", "period"]
