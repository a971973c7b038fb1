"""Plans as files: import a plan document as a new version, export a version for review in git."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from attain.apps.core.models import Currency
from attain.apps.plans.models import Plan, PlanVersion
from attain.engine.plans import load_plan


class PlanFileError(ValueError):
    """The plan file cannot be imported or exported; the message says why and how to fix it."""


@transaction.atomic
def import_plan_version(text: str, *, valid_from: date, valid_to: date | None = None, publish: bool = False,
                        change_note: str = "", user=None) -> PlanVersion:
    """Store a plan document as the plan's next version (draft, or published); the plan is created if new."""
    plan_doc, problems = load_plan(text)
    if problems:
        raise PlanFileError("\n".join(str(p) for p in problems))
    if not Currency.objects.filter(code=plan_doc.currency).exists():
        raise PlanFileError(f"Plan {plan_doc.code}: currency {plan_doc.currency} is not known: import it first")
    plan, _ = Plan.objects.get_or_create(code=plan_doc.code,
                                         defaults={"name": plan_doc.name, "currency_id": plan_doc.currency})
    latest = plan.versions.aggregate(latest=Max("version"))["latest"] or 0
    version = PlanVersion(plan=plan, version=latest + 1, document=text, valid_from=valid_from, valid_to=valid_to,
                          status=PlanVersion.Status.PUBLISHED if publish else PlanVersion.Status.DRAFT,
                          change_note=change_note, created_by=user)
    version.full_clean()
    version.save()
    return version


def export_plan_version(code: str, version: int | None = None) -> PlanVersion:
    """A version of a plan (by default the latest published one, else the latest)."""
    versions = PlanVersion.objects.filter(plan__code=code).order_by("-version")
    if not versions.exists():
        known = ", ".join(Plan.objects.values_list("code", flat=True)[:10]) or "none yet"
        raise PlanFileError(f"there is no plan {code!r}; plans: {known}")
    if version is not None:
        found = versions.filter(version=version).first()
        if found is None:
            raise PlanFileError(f"plan {code} has no version {version}; it has "
                                f"{', '.join(str(v) for v in versions.values_list('version', flat=True))}")
        return found
    return versions.filter(status=PlanVersion.Status.PUBLISHED).first() or versions.first()
