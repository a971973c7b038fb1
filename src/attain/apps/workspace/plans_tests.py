"""A plan version's scenario tests in the browser: the scenario files kept with the plan (`plans.PlanScenario`), a
pasted or uploaded file, or the example scenarios that name the plan, run against the version's own document.

The scenarios run with the engine's runner (`attain.engine.scenarios.run_text`) against this version's document,
whatever plan each scenario names, so a comp admin re-runs the plan's scenarios after each edit of a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attain.apps.audit.services import Source
from attain.apps.plans.models import PlanVersion
from attain.apps.plans.services import PlanFileError, forget_scenarios, keep_scenarios
from attain.apps.workspace.access import workspace_page
from attain.apps.workspace.plans_views import context, find_version
from attain.engine import exact_yaml
from attain.engine.plans import load_plan
from attain.engine.scenarios import SCENARIO_SUFFIX, ScenarioResult, run_text
from attain.engine.scenarios.report import HEADERS, TITLES, show

EXAMPLES = Path(settings.BASE_DIR) / "examples" / "plans"
MAX_UPLOAD = 1_000_000  # characters of a scenario file


@dataclass(frozen=True)
class Example:
    file: str  # e.g. ae.test.yaml
    plan_code: str  # the code of the plan file it names ("" when unreadable)
    text: str


@dataclass(frozen=True)
class DifferenceTable:
    title: str
    headings: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class Outcome:
    """One scenario's result as the page shows it."""

    result: ScenarioResult
    tables: list[DifferenceTable]


def examples() -> list[Example]:
    """The example scenario files shipped with Attain (examples/plans), with the code of the plan each names."""
    found = []
    for path in sorted(EXAMPLES.glob(f"*{SCENARIO_SUFFIX}")) if EXAMPLES.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        found.append(Example(path.name, _named_plan(text), text))
    return found


def _named_plan(text: str) -> str:
    try:
        first = next((d for d in exact_yaml.load_all(text) if isinstance(d, dict)), {})
        plan_file = EXAMPLES / str(first.get("plan", ""))
        raw = exact_yaml.load(plan_file.read_text(encoding="utf-8")) if plan_file.is_file() else {}
    except (yaml.YAMLError, OSError):  # an unreadable example names no plan
        return ""
    return str(raw.get("plan", "")) if isinstance(raw, dict) else ""


def outcomes(version: PlanVersion, text: str, source: str) -> list[Outcome]:
    plan, problems = load_plan(version.document, f"{version.plan.code} v{version.version}")
    if plan is None:
        error = "the version's document has problems; fix them in the editor: " + "; ".join(
            str(p) for p in problems)
        return [Outcome(ScenarioResult(source, "(not run)", error=error), [])]
    return [Outcome(result, _tables(result)) for result in run_text(text, plan, source)]


def _tables(result: ScenarioResult) -> list[DifferenceTable]:
    tables = []
    for what, key_headings in HEADERS.items():
        rows = [(*d.key, show(d.expected), show(d.got), show(d.difference), "" if d.note == "differs" else d.note)
                for d in result.differences if d.what == what]
        if rows:
            tables.append(DifferenceTable(f"{TITLES[what]} that differ (difference = got − expected)",
                                          (*key_headings, "expected", "got", "difference", ""), rows))
    return tables


def _codes(version: PlanVersion) -> set[str]:
    plan, _problems = load_plan(version.document)
    return {version.plan.code} | ({plan.code} if plan else set())


def page_context(request: HttpRequest, version: PlanVersion, **more) -> dict:
    shipped = examples()
    codes = _codes(version)
    chosen = next((e for e in shipped if e.file == request.GET.get("example")), None)
    more.setdefault("pasted", chosen.text if chosen else "")
    more.setdefault("name", chosen.file if chosen else "")
    return context(request, version=version, plan=version.plan, kept=list(version.plan.scenarios.all()),
                   naming=[e for e in shipped if e.plan_code in codes], shipped=shipped, **more)


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_page
def plan_tests(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = find_version(code, number)
    if request.method != "POST":
        return render(request, "workspace/plans/tests.html", page_context(request, version))
    action = request.POST.get("action", "run")
    if action == "run-kept":
        kept = list(version.plan.scenarios.all())
        ran = [o for s in kept for o in outcomes(version, s.text, s.name)]
        return _results(request, version, ran, "the scenarios kept with the plan")
    if action == "forget":
        return _forget(request, version, request.POST.get("name", ""))
    if action == "run-examples":
        naming = [e for e in examples() if e.plan_code in _codes(version)]
        ran = [o for e in naming for o in outcomes(version, e.text, e.file)]
        return _results(request, version, ran, "the example scenarios that name this plan")
    return _run_posted(request, version, action)


def _posted_file(request: HttpRequest) -> tuple[str, str, list[str]]:
    """(text, source, errors): an uploaded file wins over the pasted text."""
    upload = request.FILES.get("file")
    if upload is None:
        return request.POST.get("text", "").replace("\r\n", "\n"), "pasted", []
    if upload.size > MAX_UPLOAD:
        return "", upload.name, [f"{upload.name} is over {MAX_UPLOAD:,} bytes: split it into smaller files"]
    try:
        return upload.read().decode("utf-8"), upload.name, []
    except UnicodeDecodeError:
        return "", upload.name, [f"{upload.name} is not UTF-8 text: save it as UTF-8 YAML and upload it again"]


def _run_posted(request: HttpRequest, version: PlanVersion, action: str) -> HttpResponse:
    text, source, errors = _posted_file(request)
    if not errors and not text.strip():
        errors = ["Paste a scenario file or choose one to upload (format: docs/plan-language.md, "
                  "“Scenario tests”)."]
    name = request.POST.get("name", "").strip() or source
    if not errors and action == "keep":
        try:
            keep_scenarios(version.plan.code, name, text, user=request.user, source=Source.SERVICE)
        except PlanFileError as failure:
            errors = [str(failure)]
        else:
            messages.success(request, f"Kept “{name}” with {version.plan.code}: it runs with every version's "
                                      "tests.")
            return redirect("workspace:plan_tests", code=version.plan.code, number=version.version)
    if errors:
        return render(request, "workspace/plans/tests.html",
                      page_context(request, version, errors=errors, pasted=text, name=name), status=422)
    return _results(request, version, outcomes(version, text, name), "the pasted scenarios", pasted=text,
                    name=name)


def _results(request: HttpRequest, version: PlanVersion, ran: list[Outcome], what: str, **more) -> HttpResponse:
    passed = sum(1 for o in ran if o.result.passed)
    return render(request, "workspace/plans/tests.html",
                  page_context(request, version, ran=ran, what=what, passed=passed, **more))



def _forget(request: HttpRequest, version: PlanVersion, name: str) -> HttpResponse:
    try:
        forget_scenarios(version.plan.code, name, user=request.user, source=Source.SERVICE)
    except PlanFileError as failure:
        messages.error(request, str(failure))
    else:
        messages.success(request, f"“{name}” is no longer kept with {version.plan.code}.")
    return redirect("workspace:plan_tests", code=version.plan.code, number=version.version)
