from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.org.models import LeaveOfAbsence, Participant, Position, PositionHolder, ReportingLine


class PositionHolderInline(admin.TabularInline):
    model = PositionHolder
    extra = 0
    autocomplete_fields = ["position"]


class LeaveInline(admin.TabularInline):
    model = LeaveOfAbsence
    extra = 0
    fields = ["start_date", "end_date", "kind", "prorate", "note"]


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["employee_id", "last_name", "first_name", "country", "currency", "hire_date", "termination_date"]
    list_filter = ["country", "currency", "pay_group", "hire_date", "termination_date"]
    search_fields = ["employee_id", "first_name", "last_name", "email"]
    autocomplete_fields = ["user"]
    inlines = [PositionHolderInline, LeaveInline]


@admin.register(Position)
class PositionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "quota_carrying", "product_family", "created_on", "retired_on"]
    list_filter = ["kind", "quota_carrying", "product_family"]
    search_fields = ["code", "name"]
    list_select_related = ["product_family"]


@admin.register(ReportingLine)
class ReportingLineAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["position", "manager_position", "valid_from", "valid_to"]
    list_filter = ["manager_position__kind", "valid_from"]
    search_fields = ["position__code", "position__name", "manager_position__code"]
    autocomplete_fields = ["position", "manager_position"]
    list_select_related = ["position", "manager_position"]


@admin.register(PositionHolder)
class PositionHolderAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["participant", "position", "valid_from", "valid_to"]
    list_filter = ["position__kind", "valid_from"]
    search_fields = ["participant__first_name", "participant__last_name", "participant__employee_id", "position__code"]
    autocomplete_fields = ["participant", "position"]
    list_select_related = ["participant", "position"]


@admin.register(LeaveOfAbsence)
class LeaveOfAbsenceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["participant", "start_date", "end_date", "days", "kind", "prorate"]
    list_filter = ["kind", "prorate", "start_date"]
    search_fields = ["participant__first_name", "participant__last_name", "participant__employee_id", "note"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant"]
    date_hierarchy = "start_date"
