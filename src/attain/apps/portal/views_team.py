"""The manager portal's pages: the team (attainment, leaderboard, pipeline, earnings against budget) and the
adjustments waiting for the manager.

Who may open them: sales managers (their effective-dated team) and the roles that see everyone (the company,
or the team under the position they hold: an executive's is the whole sales organisation). Anyone else
(a sales rep) gets 403: the page names nobody, the role may not use it. A sub-team or month naming someone
the user may not see is 404, like every portal address.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attain.apps.org import roles
from attain.apps.payments.adjustments import AdjustmentError
from attain.apps.portal import access
from attain.apps.portal.team import DEFAULT_THRESHOLD, build_team, calculated_months, team_of
from attain.apps.portal.team_approvals import (
    approve_within_authority,
    authority_of,
    reject_within_authority,
    waiting_for,
)
from attain.apps.portal.team_charts import distribution_chart, trend_chart
from attain.apps.portal.team_org import OrgChart


def may_view_teams(user) -> bool:
    """Sales managers and the roles that see everyone (executives, administrators, comp admins, finance, auditors)."""
    return user.is_authenticated and (roles.MANAGER in access.role_names(user) or access.sees_everyone(user))


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/team_forbidden.html", status=403)


def _threshold(text: str | None) -> int:
    try:
        value = int(text or DEFAULT_THRESHOLD)
    except ValueError:
        return DEFAULT_THRESHOLD
    return value if 1 <= value <= 200 else DEFAULT_THRESHOLD


@login_required
def team_page(request: HttpRequest, employee_id: str | None = None) -> HttpResponse:
    user = request.user
    if not may_view_teams(user):
        return _forbidden(request)
    months = calculated_months()
    if not months:
        return render(request, "portal/team_empty.html", {"section": "team"})
    wanted = request.GET.get("month")
    chosen = next((pair for pair in months.values() if pair[0].name == wanted), None) if wanted else \
        next(iter(months.values()))
    if chosen is None:
        raise Http404("No calculated month has this name.")
    month, run = chosen
    day = month.end_date
    org = OrgChart()
    everyone = access.sees_everyone(user)
    if employee_id is None:
        leader = access.own_participant(user)
        seats, positions = team_of(org, leader, day, everyone)
    else:
        leader = access.participant_or_404(user, employee_id, day)
        seats, positions = team_of(org, leader, day, False)
        if not positions:
            raise Http404("This person leads no team in the month.")
    team = build_team(org, leader, seats, positions, month, run, [m for m, _ in months.values()],
                      request.GET.get("measure"), _threshold(request.GET.get("threshold")))
    mine = access.own_participant(user)
    context = {"team": team, "section": "team", "sub_team": employee_id is not None, "mine": mine,
               "charts": [c for c in (distribution_chart(team), trend_chart(team)) if c is not None],
               "waiting": len(waiting_for(user, org)) if mine is not None else 0}
    return render(request, "portal/team.html", context)


@login_required
def team_adjustments(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_view_teams(user):
        return _forbidden(request)
    return render(request, "portal/team_adjustments.html", {
        "section": "team", "waiting": waiting_for(user), "authority": authority_of(user),
        "mine": access.own_participant(user)})


@login_required
@require_POST
def decide_adjustment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not may_view_teams(user):
        return _forbidden(request)
    action, note = request.POST.get("action"), request.POST.get("note", "")
    try:
        if action == "approve":
            approve_within_authority(pk, user, note)
            messages.success(request, f"Adjustment {pk} approved.")
        elif action == "reject":
            reject_within_authority(pk, user, note)
            messages.success(request, f"Adjustment {pk} rejected.")
        else:
            messages.error(request, "Choose Approve or Reject.")
    except AdjustmentError as refused:
        messages.error(request, _sentence(str(refused)))
    return redirect("portal:team_adjustments")


def _sentence(text: str) -> str:
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
