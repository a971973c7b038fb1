"""The workspace's import pages: upload a file of one entity, read its preview (a dry run: counts, the first
rows, every problem by row and column), then import it, or only its valid rows with a rejects file.

The same service as `attain import` (`imports.services.import_file`); the file is kept in VAR_DIR between the
preview and the import (`imports_uploads`), and its SHA-256 checked so the file imported is the one previewed.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attain.apps.imports.models import ImportRun
from attain.apps.imports.services import ImportResult, import_file
from attain.apps.workspace import imports_uploads as uploads
from attain.apps.workspace.access import may_act, workspace_page
from attain.io.entities import ENTITIES

PROBLEMS_PER_PAGE = 50
PAST_IMPORTS = 25


@require_http_methods(["GET", "POST"])
@workspace_page
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form and the past imports; a POST keeps the file and previews it."""
    if request.method == "POST":
        entity, uploaded = request.POST.get("entity", ""), request.FILES.get("file")
        problem = _upload_problem(entity, uploaded)
        if not problem:
            try:
                upload = uploads.keep(uploaded, entity, request.user)
            except uploads.UploadRefused as refused:
                problem = str(refused)
            else:
                _preview(upload, request.user)
                return redirect("workspace:import-preview", token=upload.token)
        messages.error(request, f"Not previewed: {problem}")
    past = Paginator(ImportRun.objects.select_related("user").order_by("-started_at", "-pk"), PAST_IMPORTS)
    return render(request, "workspace/data/imports.html", {
        "workspace_section": "imports", "may_act": may_act(request.user), "entities": ENTITIES.values(),
        "chosen": request.POST.get("entity") or request.GET.get("entity", ""),
        "past": past.get_page(request.GET.get("page"))})


@require_GET
@workspace_page
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """The preview of an upload (and, once imported, what the import did)."""
    upload = uploads.find(token, request.user)
    found = upload.meta["preview"]
    header, rows = uploads.first_rows(upload.path) if found["status"] != ImportRun.Status.FAILED else ([], [])
    flagged = {p["row"] for p in found["problems"] if p["row"] is not None}
    return render(request, "workspace/data/import_preview.html", {
        "workspace_section": "imports", "may_act": may_act(request.user), "upload": upload, "found": found,
        "entity": ENTITIES[upload.meta["entity"]], "header": header, "rows": rows, "flagged": flagged,
        "problems": Paginator(found["problems"], PROBLEMS_PER_PAGE).get_page(request.GET.get("page")),
        "imported": upload.meta.get("imported")})


@require_POST
@workspace_page
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import the previewed file for real (all rows, or with `skip_invalid` only the valid ones)."""
    upload = uploads.find(token, request.user)
    if upload.meta.get("imported"):
        messages.info(request, f"{upload.meta['file_name']} was imported already (see below): nothing done again.")
        return redirect("workspace:import-preview", token=token)
    if not (request.POST.get("sha256") == upload.meta["sha256"] == uploads.sha256_now(upload)):
        messages.error(request, f"Not imported: {upload.meta['file_name']} is not the file that was previewed (its "
                                "SHA-256 differs). Upload it again and read the new preview.")
        return redirect("workspace:imports")
    result = import_file(upload.meta["entity"], upload.path, skip_invalid=request.POST.get("skip_invalid") == "1",
                         user=request.user, reason=request.POST.get("reason", "").strip()[:500])
    upload.meta["imported"] = _summary(result) | {"rejects_file": str(result.rejects_file or "")}
    upload.save()
    level = messages.success if result.status == ImportRun.Status.IMPORTED else messages.warning
    level(request, _verdict(result))
    return redirect("workspace:import-preview", token=token)


@require_GET
@workspace_page
def rejects(request: HttpRequest, token: str) -> HttpResponse:
    """The rejected rows of an import of the valid rows, with their reasons (the importer's rejects file)."""
    upload = uploads.find(token, request.user)
    kept = (upload.meta.get("imported") or {}).get("rejects_file")
    if not kept or not Path(kept).exists():
        raise Http404("This import rejected no rows: there is no rejects file.")
    return FileResponse(Path(kept).open("rb"), as_attachment=True, filename=Path(kept).name,
                        content_type="text/csv; charset=utf-8")


def _upload_problem(entity: str, uploaded) -> str:
    if entity not in ENTITIES:
        return "choose what the file holds (the entity) from the list"
    if uploaded is None:
        return "choose a file to upload"
    return ""


def _preview(upload: uploads.Upload, user) -> None:
    """A dry run of the whole file, the valid rows counted as the import would: kept with the upload."""
    result = import_file(upload.meta["entity"], upload.path, dry_run=True, skip_invalid=True, user=user)
    upload.meta["preview"] = _summary(result)
    upload.save()


def _summary(result: ImportResult) -> dict:
    return {"status": result.status, "rows_read": result.rows_read, "created": result.counts.created,
            "updated": result.counts.updated, "unchanged": result.counts.unchanged, "rejected": result.rejected,
            "warnings": result.warnings, "run_id": result.run_id,
            "problems": [{"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}  # the whole file first, then by row
                         for p in sorted(result.problems, key=lambda p: (p.row is not None, p.row or 0))]}


def _verdict(result: ImportResult) -> str:
    counts = f"{result.counts.created:,} created, {result.counts.updated:,} updated, {result.counts.unchanged:,} unchanged"
    if result.status == ImportRun.Status.IMPORTED:
        return f"Imported {result.file}: {counts}."
    if result.status == ImportRun.Status.PARTIAL:
        return (f"Imported the valid rows of {result.file} ({counts}); {result.rejected:,} rejected: download them "
                "with their reasons below, correct them and import them again.")
    return f"Nothing imported from {result.file}: {result.rejected:,} rows are invalid (see the problems below)."
