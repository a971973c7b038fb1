from django.contrib import admin

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.display import amount_column


@admin.register(CalculationRun)
class CalculationRunAdmin(admin.ModelAdmin):
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
class EarningAdmin(admin.ModelAdmin):
    list_display = ["participant", "component", "period", amount_column("amount_rounded", "amount"), "currency",
                    "position", "run_id"]
    list_filter = ["run", "period", "component", "currency", "plan_version__plan"]
    search_fields = ["participant__employee_id", "participant__last_name", "position__code", "component"]
    readonly_fields = [f.name for f in Earning._meta.fields]
    list_select_related = ["run", "participant", "position", "period", "currency"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
