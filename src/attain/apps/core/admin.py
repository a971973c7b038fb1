from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.core.models import Currency, FiscalCalendar, FxRate, Period


@admin.register(Currency)
class CurrencyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "minor_units", "rounding"]
    list_filter = ["minor_units", "rounding"]
    search_fields = ["code", "name"]


@admin.register(FxRate)
class FxRateAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["rate_date", "from_currency", "to_currency", "rate"]
    list_filter = ["from_currency", "to_currency"]
    search_fields = ["from_currency__code", "to_currency__code"]
    date_hierarchy = "rate_date"


@admin.register(FiscalCalendar)
class FiscalCalendarAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "start_month", "is_default"]
    list_filter = ["start_month", "is_default"]
    search_fields = ["name"]


@admin.register(Period)
class PeriodAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "fiscal_year", "start_date", "end_date", "state"]
    list_filter = ["kind", "state", "fiscal_year", "calendar"]
    search_fields = ["name"]
    list_select_related = ["calendar"]
