"""The workspace's landing page: where each part of a comp admin's month is done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attain.apps.workspace.access import may_act, workspace_page


@require_GET
@workspace_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/index.html", {"workspace_section": "index", "may_act": may_act(request.user)})
