from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from attain.apps.portal.access import is_rep, own_participant
from attain.apps.portal.team_access import leads_team
from attain.site.overview import company_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's landing page: a sales rep's is the rep portal; the others keep the company overview."""
    if is_rep(request.user):
        return redirect("portal:mine")
    if leads_team(request.user):  # sales managers and executives land on the team page
        return redirect("portal:team")
    return render(request, "site/home.html", {"overview": company_overview(),
                                              "has_pay": own_participant(request.user) is not None})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
