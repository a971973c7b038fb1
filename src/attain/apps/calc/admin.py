from django.contrib import admin
from django.db.models import Q

from attain.apps.audit.audited import AuditedAdmin, ReadOnlyAudited
from attain.apps.calc.models import Approval, ApprovalPolicy, CalculationRun, Earning
from attain.apps.core.display import amount_column
from attain.apps.org.models import Participant, Position


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


class RunFilter(admin.SimpleListFilter):
    """The runs to filter by, read in one query (the related filter read each run's month one by one)."""

    title = "run"
    parameter_name = "run"

    def lookups(self, request, model_admin):
        runs = CalculationRun.objects.select_related("period").only("pk", "status", "period__name").order_by("-pk")
        return [(str(run.pk), f"Run {run.pk} for {run.period.name} ({run.status})") for run in runs]

    def queryset(self, request, queryset):
        value = self.value() or ""
        return queryset.filter(run_id=int(value)) if value.isdigit() else queryset


def searched_earnings(queryset, search_term: str):
    """The lines of the people whose employee id is a term (or whose last name starts with it), of the positions
    whose code is one, or of the component it names; every term must match (as the admin's search)."""
    for term in search_term.split():
        people = Participant.objects.filter(Q(employee_id__iexact=term) | Q(last_name__istartswith=term))
        seats = Position.objects.filter(code__iexact=term)
        queryset = queryset.filter(Q(participant__in=people.values("pk")) | Q(position__in=seats.values("pk"))
                                   | Q(component=term))
    return queryset


@admin.register(Earning)
class EarningAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["participant", "component", "period", amount_column("amount_rounded", "amount"), "currency",
                    "kind", "for_period", "position", "run_id"]
    list_filter = ["kind", RunFilter, "period", "component", "currency", "plan_version__plan"]
    search_fields = ["participant__employee_id", "participant__last_name", "position__code", "component"]
    search_help_text = ("An employee id, the start of a last name, a position code or a component's exact name, "
                        "e.g. E1057, Garcia, AE-NAW-15, Commission.")
    readonly_fields = [f.name for f in Earning._meta.fields]
    list_select_related = ["participant", "position", "period", "for_period", "currency"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Through the indexes: the people and positions the term names first, then their lines (a search of the
        joined names would scan every earning line)."""
        return searched_earnings(queryset, search_term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAudited, admin.ModelAdmin):
    """Approvals are made by the workflow (attain period submit/approve/reject), never edited here."""

    list_display = ["period", "run", "state", "submitted_by", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["state", "period__fiscal_year"]
    search_fields = ["period__name", "note", "decision_note", "submitted_by__username", "decided_by__username"]
    readonly_fields = [f.name for f in Approval._meta.fields]
    list_select_related = ["period", "run", "submitted_by", "decided_by"]


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "payout_threshold", "currency", "change_percent"]
    list_filter = ["currency"]
    search_fields = ["name"]
