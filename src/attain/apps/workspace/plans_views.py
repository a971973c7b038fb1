"""The workspace's plan pages: every plan with its versions, a version's page (read, or edit when a draft), a new
draft from a version, publishing a draft. Each change calls `attain.apps.plans.services`, as the CLI does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import Source
from attain.apps.plans.models import Plan, PlanVersion
from attain.apps.plans.services import (
    PlanFileError,
    end_plan_version,
    import_plan_version,
    new_draft_from,
    publish_plan_version,
)
from attain.apps.workspace.access import may_act, workspace_page
from attain.apps.workspace.plans_form import parse, plan_form
from attain.apps.workspace.plans_problems import check


@dataclass(frozen=True)
class Publication:
    by: str
    at: object  # datetime
    reason: str


def publications(versions) -> dict[int, Publication]:
    """Who published each version and when, from the audit log (one query)."""
    ids = [str(v.pk) for v in versions if v.status != PlanVersion.Status.DRAFT]
    entries = (AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISHED, object_type="plans.PlanVersion",
                                         object_id__in=ids).order_by("at").values("object_id", "username", "at",
                                                                                  "reason"))
    return {int(e["object_id"]): Publication(e["username"] or "(system)", e["at"], e["reason"]) for e in entries}


def live_on(versions, day: date) -> PlanVersion | None:
    for version in versions:
        if (version.status == PlanVersion.Status.PUBLISHED and version.valid_from <= day
                and (version.valid_to is None or version.valid_to >= day)):
            return version
    return None


def predecessor(version: PlanVersion) -> PlanVersion | None:
    """The published version that a draft's start would overlap and that began before it (ended on publishing)."""
    if version.status != PlanVersion.Status.DRAFT:
        return None
    return (PlanVersion.objects.filter(plan_id=version.plan_id, status=PlanVersion.Status.PUBLISHED,
                                       valid_from__lt=version.valid_from)
            .exclude(valid_to__lt=version.valid_from).order_by("-valid_from").first())


def context(request: HttpRequest, **more) -> dict:
    return {"workspace_section": "plans", "may_act": may_act(request.user), **more}


@require_GET
@workspace_page
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/plans/list.html", list_context(request))


def list_context(request: HttpRequest, **more) -> dict:
    plans = list(Plan.objects.prefetch_related("versions__created_by").select_related("currency"))
    today = timezone.localdate()
    every = [v for plan in plans for v in plan.versions.all()]
    published = publications(every)
    rows = [(plan, live_on(plan.versions.all(), today), [(v, published.get(v.pk)) for v in plan.versions.all()])
            for plan in plans]
    return context(request, rows=rows, today=today, **more)


@require_POST
@workspace_page
def import_draft(request: HttpRequest) -> HttpResponse:
    """A pasted plan document as a draft: the next version of the plan its `plan:` names, or a new plan."""
    text = request.POST.get("document", "").replace("\r\n", "\n")
    errors: list[str] = []
    valid_from, valid_to = dates(request.POST, errors)
    loads, problems = check(text, "the pasted document")
    if loads and not errors:
        try:
            version = import_plan_version(text, valid_from=valid_from, valid_to=valid_to, user=request.user,
                                          change_note="imported in the workspace", source=Source.SERVICE)
        except (PlanFileError, ValidationError) as failure:
            errors = refusal(failure)
        else:
            messages.success(request, f"Draft v{version.version} of {version.plan.code} imported: check it, test "
                                      "it, publish it.")
            return redirect("workspace:plan_version", code=version.plan.code, number=version.version)
    return render(request, "workspace/plans/list.html",
                  list_context(request, import_errors=errors, import_problems=problems, imported=text,
                               posted=request.POST), status=422)


def find_version(code: str, number: int) -> PlanVersion:
    found = (PlanVersion.objects.filter(plan__code=code, version=number).select_related("plan", "created_by")
             .first())
    if found is None:
        raise Http404(f"plan {code} has no version {number}")
    return found


def editor_context(request: HttpRequest, version: PlanVersion, text: str | None = None, **more) -> dict:
    """What the version's page shows: the document, its problems and the structured form (a draft's)."""
    text = version.document if text is None else text
    loads, problems = check(text, f"{version.plan.code} v{version.version}")
    raw = parse(text)
    publication = publications([version]).get(version.pk)
    return context(request, version=version, plan=version.plan, text=text, loads=loads, problems=problems,
                   form=plan_form(raw) if raw is not None else None, publication=publication,
                   draft=version.status == PlanVersion.Status.DRAFT, today=timezone.localdate(),
                   predecessor=predecessor(version), **more)


@require_GET
@workspace_page
def plan_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    return render(request, "workspace/plans/version.html", editor_context(request, find_version(code, number)))


def _day(text: str, label: str, errors: list[str], required: bool = True) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(f"{label}: give a date (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label}: {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-01")
        return None


def dates(data, errors: list[str], version: PlanVersion | None = None) -> tuple[date | None, date | None]:
    """valid_from and valid_to from a form (a version's own when the form has none)."""
    if version is not None and "valid_from" not in data:
        return version.valid_from, version.valid_to
    return (_day(data.get("valid_from"), "Valid from", errors),
            _day(data.get("valid_to"), "Valid to", errors, required=False))


def refusal(failure: Exception) -> list[str]:
    if isinstance(failure, ValidationError):
        return [m for m in failure.messages]
    return str(failure).splitlines()


@require_POST
@workspace_page
def new_draft(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = find_version(code, number)
    errors: list[str] = []
    valid_from, valid_to = dates(request.POST, errors)
    if not errors:
        try:
            draft = new_draft_from(code, number, valid_from=valid_from, valid_to=valid_to, user=request.user,
                                   source=Source.SERVICE)
        except (PlanFileError, ValidationError) as failure:
            errors = refusal(failure)
        else:
            messages.success(request, f"Draft v{draft.version} made from v{number}: edit it, test it, publish it.")
            return redirect("workspace:plan_version", code=code, number=draft.version)
    return render(request, "workspace/plans/version.html", editor_context(request, version, draft_errors=errors),
                  status=422)


@require_POST
@workspace_page
def publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = find_version(code, number)
    reason = request.POST.get("reason", "").strip()
    errors = [] if reason else ["Reason: say why this version is published (it goes into the audit log)"]
    if not errors:
        try:
            _publish(version, reason, request.POST.get("end_predecessor") == "1", request.user)
        except (PlanFileError, ValidationError) as failure:
            errors = refusal(failure)
        else:
            messages.success(request, f"{code} v{number} is published: calculations from {version.valid_from} "
                                      "use it.")
            return redirect("workspace:plan_version", code=code, number=number)
    return render(request, "workspace/plans/version.html",
                  editor_context(request, version, publish_errors=errors, reason=reason), status=422)


@transaction.atomic
def _publish(version: PlanVersion, reason: str, end_predecessor: bool, user) -> None:
    """Publish a draft; first, when asked, end the published version it follows the day before it starts (both or
    neither)."""
    before = predecessor(version) if end_predecessor else None
    if before is not None:
        end_plan_version(version.plan.code, before.version, version.valid_from - timedelta(days=1), user=user,
                         reason=f"followed by v{version.version}: {reason}", source=Source.SERVICE)
    publish_plan_version(version.plan.code, version.version, user=user, reason=reason, source=Source.SERVICE)
