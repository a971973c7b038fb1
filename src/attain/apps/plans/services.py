"""Plans as files: import a plan document as a new version, export a version for review in git."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from attain.apps.audit.services import Action, Source, record, snapshot
from attain.apps.core.models import Currency
from attain.apps.plans.models import Plan, PlanScenario, PlanVersion
from attain.engine.plans import load_plan
from attain.engine.scenarios import ScenarioError, read_scenarios


class PlanFileError(ValueError):
    """The plan file cannot be imported or exported; the message says why and how to fix it."""


@transaction.atomic
def import_plan_version(text: str, *, valid_from: date, valid_to: date | None = None, publish: bool = False,
                        change_note: str = "", user=None, source: str = Source.SERVICE) -> PlanVersion:
    """Store a plan document as the plan's next version (draft, or published); the plan is created if new.

    The audit log records the new version (`imported`, or `published` when published at once) with its row
    and document, and a new plan (`created`); the change note is the reason.
    """
    plan_doc, problems = load_plan(text)
    if problems:
        raise PlanFileError("\n".join(str(p) for p in problems))
    if not Currency.objects.filter(code=plan_doc.currency).exists():
        raise PlanFileError(f"Plan {plan_doc.code}: currency {plan_doc.currency} is not known: import it first")
    plan, new_plan = Plan.objects.get_or_create(code=plan_doc.code,
                                                defaults={"name": plan_doc.name, "currency_id": plan_doc.currency})
    latest = plan.versions.aggregate(latest=Max("version"))["latest"] or 0
    version = PlanVersion(plan=plan, version=latest + 1, document=text, valid_from=valid_from, valid_to=valid_to,
                          status=PlanVersion.Status.PUBLISHED if publish else PlanVersion.Status.DRAFT,
                          change_note=change_note, created_by=user)
    version.full_clean()
    version.save()
    audit = {"user": user, "reason": change_note, "source": source}
    if new_plan:
        record(Action.CREATED, plan, after=snapshot(plan), **audit)
    record(Action.PUBLISHED if publish else Action.IMPORTED, version, after=snapshot(version), **audit)
    return version


@transaction.atomic
def publish_plan_version(code: str, version: int, *, user=None, reason: str = "",
                         source: str = Source.SERVICE) -> PlanVersion:
    """Publish a draft version: from then on calculations use it. Recorded with the row before and after."""
    found = (PlanVersion.objects.select_for_update().filter(plan__code=code, version=version)
             .select_related("plan").first())
    if found is None:
        export_plan_version(code, version)  # raises, naming the versions there are
    if found.status != PlanVersion.Status.DRAFT:
        raise PlanFileError(f"{code} v{version} is {found.status}: only a draft can be published")
    before = snapshot(found)
    found.status = PlanVersion.Status.PUBLISHED
    found.full_clean()  # a published version may not overlap another
    found.save(update_fields=["status"])
    record(Action.PUBLISHED, found, user=user, before=before, after=snapshot(found), reason=reason, source=source)
    return found


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


def compare_draft(draft_text: str, against: str, period_name: str):
    """A draft plan document beside the live version of plan `against`, over its fiscal year up to a month.

    The draft is never stored: what-if is a copy, not an edit. Returns (live version, Comparison).
    """
    from attain.apps.calc.fx import plan_converter
    from attain.apps.calc.inputs import load_inputs, plan_assignments, plan_targets
    from attain.apps.calc.services import find_period
    from attain.engine.whatif import compare_plans

    period = find_period(period_name)
    live_version = (PlanVersion.objects.filter(PlanVersion.valid_on(period.end_date), plan__code=against,
                                               status=PlanVersion.Status.PUBLISHED).select_related("plan").first())
    if live_version is None:
        raise PlanFileError(f"plan {against!r} has no published version valid on {period.end_date}")
    live, problems = load_plan(live_version.document, f"{against} v{live_version.version}")
    draft, draft_problems = load_plan(draft_text, "the draft")
    if problems or draft_problems:
        raise PlanFileError("\n".join(str(p) for p in [*problems, *draft_problems]))
    if draft.currency != live.currency:
        raise PlanFileError(f"the draft pays in {draft.currency} and the live plan in {live.currency}: compare "
                            "plans in one currency")
    if draft.fx_rate != live.fx_rate:
        raise PlanFileError(f"the draft converts at the {draft.fx_rate.replace('_', ' ')} rate and the live plan at "
                            f"the {live.fx_rate.replace('_', ' ')} rate: compare plans on one rate basis")
    converter = plan_converter(live.currency, live.fx_rate)
    inputs = load_inputs(period, converter)
    lines = inputs.crediting.transactions
    in_span = (lines.booked_date >= inputs.months[0].start_date) & (lines.booked_date <= period.end_date)
    revenue = lines.filter(in_span).amount.sum().to_pyarrow().as_py() or Decimal(0)
    on_plan, by_month = plan_assignments(live_version.plan, inputs.months)
    year_start = inputs.months[0].start_date
    inputs = replace(inputs, targets=plan_targets(live_version.plan, period, converter, year_start),
                     assignments=on_plan)
    return live_version, compare_plans(live, draft, inputs, revenue, set().union(*by_month.values()))


@transaction.atomic
def save_draft(code: str, version: int, text: str, *, valid_from: date, valid_to: date | None = None,
               change_note: str = "", user=None, source: str = Source.SERVICE) -> PlanVersion:
    """Replace a draft version's document and dates (the workspace's plan editor). Only a draft changes in place:
    a published version is copied into a new draft first (`new_draft_from`). Recorded with the row before and after.
    """
    found = (PlanVersion.objects.select_for_update().filter(plan__code=code, version=version)
             .select_related("plan").first())
    if found is None:
        export_plan_version(code, version)  # raises, naming the versions there are
    if found.status != PlanVersion.Status.DRAFT:
        raise PlanFileError(f"{code} v{version} is {found.status}: it is never edited in place; make a new draft "
                            "from it and edit that")
    _plan, problems = load_plan(text, f"{code} v{version}")
    if problems:
        raise PlanFileError("\n".join(str(p) for p in problems))
    before = snapshot(found)
    found.document, found.valid_from, found.valid_to = text, valid_from, valid_to
    found.change_note = change_note or found.change_note
    found.full_clean()
    found.save(update_fields=["document", "valid_from", "valid_to", "change_note"])
    record(Action.CHANGED, found, user=user, before=before, after=snapshot(found), reason=change_note,
           source=source)
    return found


@transaction.atomic
def new_draft_from(code: str, version: int, *, valid_from: date, valid_to: date | None = None, user=None,
                   source: str = Source.SERVICE) -> PlanVersion:
    """The plan's next version, a draft with a copy of a version's document (the version itself never changes).
    Recorded as created, with the row."""
    original = export_plan_version(code, version)
    plan = Plan.objects.select_for_update().get(pk=original.plan_id)
    latest = plan.versions.aggregate(latest=Max("version"))["latest"] or 0
    draft = PlanVersion(plan=plan, version=latest + 1, document=original.document, valid_from=valid_from,
                        valid_to=valid_to, status=PlanVersion.Status.DRAFT, change_note=f"draft from v{version}",
                        created_by=user)
    draft.full_clean()
    draft.save()
    record(Action.CREATED, draft, user=user, after=snapshot(draft), reason=draft.change_note, source=source)
    return draft


@transaction.atomic
def keep_scenarios(code: str, name: str, text: str, *, user=None, source: str = Source.SERVICE):
    """Keep a scenario file with plan `code` under a name (replacing the one of that name), so that every draft
    of the plan is tested with it. The file must read as scenarios (it is not run here)."""
    name = name.strip()
    if not name:
        raise PlanFileError("name the scenario file, e.g. 'accelerators above quota'")
    try:
        read_scenarios(text, name)
    except ScenarioError as failure:
        raise PlanFileError(str(failure)) from None
    plan = export_plan_version(code).plan
    found = PlanScenario.objects.filter(plan=plan, name=name).first()
    before = snapshot(found) if found else None
    kept = found or PlanScenario(plan=plan, name=name)
    kept.text, kept.updated_by = text, user
    kept.save()
    record(Action.CHANGED if found else Action.CREATED, kept, user=user, before=before, after=snapshot(kept),
           source=source)
    return kept


@transaction.atomic
def end_plan_version(code: str, version: int, valid_to: date, *, user=None, reason: str = "",
                     source: str = Source.SERVICE) -> PlanVersion:
    """End a published version on a day (its successor starts the day after); its document never changes.

    Refused when a paid or closed month ends after that day: what was paid stays explained by the version that
    paid it. Recorded with the row before and after.
    """
    from attain.apps.core.models import Period

    found = export_plan_version(code, version)
    if found.status != PlanVersion.Status.PUBLISHED:
        raise PlanFileError(f"{code} v{version} is {found.status}: only a published version is ended")
    if valid_to < found.valid_from:
        raise PlanFileError(f"{code} v{version} starts on {found.valid_from}: it cannot end before, on {valid_to}")
    settled = (Period.objects.filter(kind=Period.Kind.MONTH, end_date__gt=valid_to,
                                     state__in=[Period.State.PAID, Period.State.CLOSED], end_date__gte=found.valid_from)
               .order_by("-end_date").first())
    if settled is not None:
        raise PlanFileError(f"{settled.name} is {settled.state} on {code} v{version}: end the version on "
                            f"{settled.end_date} or later, and start its successor after it")
    before = snapshot(found)
    found.valid_to = valid_to
    found.full_clean()
    found.save(update_fields=["valid_to"])
    record(Action.CHANGED, found, user=user, before=before, after=snapshot(found), reason=reason, source=source)
    return found


@transaction.atomic
def forget_scenarios(code: str, name: str, *, user=None, source: str = Source.SERVICE) -> None:
    """No longer keep a scenario file with plan `code`. Recorded as deleted, with the file as it was."""
    found = PlanScenario.objects.filter(plan__code=code, name=name).select_related("plan").first()
    if found is None:
        raise PlanFileError(f"plan {code} keeps no scenario file called {name!r}")
    record(Action.DELETED, found, user=user, before=snapshot(found), source=source)
    found.delete()
