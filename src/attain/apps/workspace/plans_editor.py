"""The plan editor's two requests: validate as you type (nothing saved) and save the draft.

Both take the YAML view's text (`source=yaml`) or the structured form's fields written into the document
(`source=form`). Validating parses with the real plan loader and answers with the problems, and keeps the other
view in step (htmx out-of-band swaps: typing YAML redraws the form, filling the form rewrites the YAML).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attain.apps.audit.services import Source
from attain.apps.plans.models import PlanVersion
from attain.apps.plans.services import PlanFileError, save_draft
from attain.apps.workspace.access import workspace_page
from attain.apps.workspace.plans_form import apply_form, dump, parse, plan_form
from attain.apps.workspace.plans_problems import EditorProblem, check
from attain.apps.workspace.plans_views import dates, editor_context, find_version, refusal


def posted_text(data) -> str:
    """The document as posted: the YAML view's text, or the form's fields written into the document it was drawn
    from."""
    text = data.get("document", "").replace("\r\n", "\n")
    if data.get("source") != "form":
        return text
    raw = parse(text)
    return dump(apply_form(raw, data)) if raw is not None else text


@require_POST
@workspace_page
def validate(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = find_version(code, number)
    text = posted_text(request.POST)
    loads, problems = check(text, f"{code} v{number}")
    source = request.POST.get("source", "yaml")
    raw = parse(text) if source == "yaml" else None
    return render(request, "workspace/plans/_validation.html",
                  {"version": version, "loads": loads, "problems": problems, "text": text, "source": source,
                   "form": plan_form(raw) if raw is not None else None, "oob": True, "draft": True})


@require_POST
@workspace_page
def save(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = find_version(code, number)
    if version.status != PlanVersion.Status.DRAFT:
        messages.error(request, f"{code} v{number} is {version.status}: it is never edited in place; make a new "
                                "draft from it.")
        return redirect("workspace:plan_version", code=code, number=number)
    text = posted_text(request.POST)
    errors: list[str] = []
    valid_from, valid_to = dates(request.POST, errors, version if request.POST.get("source") == "form" else None)
    loads, problems = check(text, f"{code} v{number}")
    if loads and not errors:
        try:
            save_draft(code, number, text, valid_from=valid_from, valid_to=valid_to, user=request.user,
                       change_note=request.POST.get("change_note", "").strip()[:200], source=Source.SERVICE)
        except (PlanFileError, ValidationError) as failure:
            problems = [EditorProblem(None, "", line) for line in refusal(failure)]
        else:
            messages.success(request, f"Draft v{number} saved. Run its scenario tests to check it still pays "
                                      "as expected.")
            return redirect("workspace:plan_version", code=code, number=number)
    context = editor_context(request, version, text, save_errors=errors, posted=request.POST)
    context["problems"] = problems or context["problems"]
    context["loads"] = context["loads"] and not problems
    return render(request, "workspace/plans/version.html", context, status=422)
