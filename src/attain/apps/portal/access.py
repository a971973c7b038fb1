"""Row-level security: which participants a user may see, on a day.

- administrators, comp admins, finance (approvers and controllers), executives and auditors: everyone;
- a sales manager: themselves and whoever holds, on the day, a position under a position they hold on
  that day (the effective-dated reporting lines, followed down every level);
- anyone else with a participant (a sales rep): themselves only;
- a user with neither: nobody.

Every portal view reads people through `visible_participants` (or `participant_or_404`), so an id
typed into a URL that the user may not see is "not found", never someone else's data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from attain.apps.org import roles
from attain.apps.org.models import Participant, PositionHolder, ReportingLine

SEES_EVERYONE = {roles.ADMINISTRATOR, roles.COMP_ADMIN, roles.FINANCE, roles.CONTROLLER, roles.EXECUTIVE,
                 roles.AUDITOR}


def role_names(user) -> set[str]:
    """The user's role groups (read once per request and kept on the user object)."""
    if not hasattr(user, "_attain_roles"):
        user._attain_roles = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._attain_roles


def sees_everyone(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(role_names(user) & SEES_EVERYONE))


def is_rep(user) -> bool:
    """A user whose home is the rep portal: a sales rep who sees no one else."""
    return roles.REP in role_names(user) and not sees_everyone(user) and roles.MANAGER not in role_names(user)


def visible_participants(user, on: date | None = None) -> QuerySet[Participant]:
    """The participants `user` may see on the day `on` (default today)."""
    if not (user.is_authenticated and user.is_active):
        return Participant.objects.none()
    if sees_everyone(user):
        return Participant.objects.all()
    mine = Q(user=user)
    if roles.MANAGER in role_names(user):
        team = team_positions(user, on or timezone.localdate())
        holders = PositionHolder.objects.filter(PositionHolder.valid_on(on or timezone.localdate()),
                                                position_id__in=team)
        mine |= Q(pk__in=holders.values("participant_id"))
    return Participant.objects.filter(mine)


def team_positions(user, on: date) -> set[int]:
    """The positions under the positions `user` holds on the day, every level down."""
    own = set(PositionHolder.objects.filter(PositionHolder.valid_on(on), participant__user=user)
              .values_list("position_id", flat=True))
    lines = ReportingLine.objects.filter(ReportingLine.valid_on(on)).values_list("position_id", "manager_position_id")
    return positions_below(own, lines)


def positions_below(positions: set[int], lines) -> set[int]:
    """Every position under `positions` through the (position, manager) reporting lines, every level down (not
    `positions` themselves; a loop in the lines ends the walk)."""
    reports: dict[int, list[int]] = defaultdict(list)
    for position, manager in lines:
        reports[manager].append(position)
    team, waiting = set(), list(positions)
    while waiting:
        for position in reports[waiting.pop()]:
            if position not in team and position not in positions:
                team.add(position)
                waiting.append(position)
    return team


def participant_or_404(user, employee_id: str, on: date | None = None) -> Participant:
    """The participant with this employee id if the user may see them on the day; otherwise 404."""
    found = visible_participants(user, on).filter(employee_id=employee_id).select_related("currency").first()
    if found is None:
        raise Http404("No participant you may see has this employee id.")
    return found


def own_participant(user) -> Participant | None:
    return Participant.objects.filter(user=user).first() if user.is_authenticated else None
