from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.core.display import amount_column
from attain.apps.plans.models import Goal, Plan, PlanAssignment, PlanScenario, PlanVersion


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ["version", "status", "valid_from", "valid_to", "change_note"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "currency"]
    list_filter = ["currency"]
    search_fields = ["code", "name"]
    inlines = [PlanVersionInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["plan", "version", "status", "valid_from", "valid_to", "created_at", "created_by"]
    list_filter = ["status", "plan"]
    search_fields = ["plan__code", "plan__name", "change_note"]
    list_select_related = ["plan", "created_by"]


@admin.register(PlanAssignment)
class PlanAssignmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["position", "plan", amount_column("target_incentive"), "currency", "valid_from", "valid_to"]
    list_filter = ["plan", "currency"]
    search_fields = ["position__code", "position__name", "plan__code"]
    autocomplete_fields = ["position"]
    list_select_related = ["position", "plan", "currency"]


@admin.register(Goal)
class GoalAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "position", "period", "measure", "target", "weight", "score"]
    list_filter = ["kind", "period__fiscal_year"]
    search_fields = ["name", "position__code", "measure"]
    autocomplete_fields = ["position", "parent"]
    list_select_related = ["position", "period"]


@admin.register(PlanScenario)
class PlanScenarioAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["plan", "name", "updated_at", "updated_by"]
    list_filter = ["plan"]
    search_fields = ["plan__code", "name"]
    list_select_related = ["plan", "updated_by"]
