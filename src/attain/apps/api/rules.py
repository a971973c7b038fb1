"""Who may do what through the API: the portal's row-level security (`portal.access`) and model permissions."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone

from attain.apps.api.errors import Forbidden
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.core.models import Period
from attain.apps.portal.access import participant_or_404, sees_everyone, visible_participants

__all__ = ["month_or_404", "participant_or_404", "require", "require_everyone", "sees_everyone", "today",
           "visible_participants"]


def today() -> date:
    return timezone.localdate()


def require(user, permission: str, doing: str) -> None:
    """403 unless the user holds the model permission ("app.codename")."""
    if not user.has_perm(permission):
        raise Forbidden(f"You may not {doing}: it needs the permission {permission!r}, which your role does not "
                        "have. Ask an administrator.")


def require_everyone(user, what: str) -> None:
    """403 unless the user's role sees everyone's data (administrator, comp admin, finance, executive, auditor)."""
    if not sees_everyone(user):
        raise Forbidden(f"{what} are for the administrator, comp admin, finance, executive and auditor roles; "
                        "read your own numbers through /api/results and /api/participants/{employee_id}/statements.")


def month_or_404(name: str) -> Period:
    try:
        return find_period(name)
    except CalculationError as missing:
        raise Http404(f"No such month: {missing}.") from None
