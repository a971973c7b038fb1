"""GET /api/plans: plans and their versions.

The roles that see everyone (administrator, comp admin, finance, executive, auditor) read every plan and
every version, drafts included, with its document. Anyone else reads the plans assigned to a position
they hold or held (while they held it), and of those only the versions that went live (published or
retired), with their documents: a rep's own plan, as the plan document page of the portal will show.
"""

from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from attain.apps.api.errors import problems
from attain.apps.api.rules import sees_everyone
from attain.apps.api.types import Code, Id, Page
from attain.apps.org.models import PositionHolder
from attain.apps.plans.models import Plan, PlanAssignment, PlanVersion

router = Router(tags=["plans"])
LIVE = (PlanVersion.Status.PUBLISHED, PlanVersion.Status.RETIRED)


class VersionSummary(Schema):
    version: int
    status: str
    valid_from: date
    valid_to: date | None
    change_note: str


class PlanOut(Schema):
    code: str
    name: str
    description: str
    currency: str
    versions: list[VersionSummary]

    @staticmethod
    def resolve_currency(plan: Plan) -> str:
        return plan.currency_id

    @staticmethod
    def resolve_versions(plan: Plan) -> list[PlanVersion]:
        return list(plan.versions.all())


class VersionOut(VersionSummary):
    plan: str
    created_at: datetime
    document: str

    @staticmethod
    def resolve_plan(version: PlanVersion) -> str:
        return version.plan.code


def readable_versions(user):
    versions = PlanVersion.objects.all()
    return versions if sees_everyone(user) else versions.filter(status__in=LIVE, plan__in=own_plans(user))


def own_plans(user):
    """The plans assigned to a position the user's participant held, while they held it."""
    seats = PositionHolder.objects.filter(participant__user=user).values_list("position_id", "valid_from", "valid_to")
    found = Q(pk__in=[])
    for position, start, end in seats:
        overlaps = Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        if end is not None:
            overlaps &= Q(valid_from__lte=end)
        found |= Q(position_id=position) & overlaps
    return Plan.objects.filter(pk__in=PlanAssignment.objects.filter(found).values("plan_id"))


@router.get("/plans", response={200: list[PlanOut], **problems()}, summary="Plans and their versions")
@paginate(Page)
def plans(request):
    """The plans you may read, each with the versions you may read (newest first), without documents."""
    versions = readable_versions(request.user).order_by("-version")
    return (Plan.objects.filter(pk__in=versions.values("plan_id")).order_by("code")
            .prefetch_related(Prefetch("versions", queryset=versions)))


@router.get("/plans/{code}/versions/{version}", response={200: VersionOut, **problems()},
            summary="A plan version with its document")
def plan_version(request, code: Code, version: Id):
    """The version's document (YAML or JSON, docs/plan-language.md). 404 for a version you may not read."""
    found = readable_versions(request.user).filter(plan__code=code, version=version).select_related("plan").first()
    if found is None:
        raise Http404(f"No plan version {code} v{version} that you may read: GET /api/plans lists them.")
    return found
