"""Who may use the comp admin workspace: comp admins and administrators act; finance, controllers, executives
and auditors may look (GET); anyone else gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from attain.apps.org import roles
from attain.apps.portal.access import role_names

ACTORS = {roles.ADMINISTRATOR, roles.COMP_ADMIN}
LOOKERS = ACTORS | {roles.FINANCE, roles.CONTROLLER, roles.EXECUTIVE, roles.AUDITOR}


def may_act(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(role_names(user) & ACTORS))


def may_look(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(role_names(user) & LOOKERS))


def workspace_page(view: Callable) -> Callable:
    """Signed in and allowed to look (GET, HEAD) or to act (anything else); otherwise 403 with the reason."""
    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reading = request.method in ("GET", "HEAD")
        if not (may_look(request.user) if reading else may_act(request.user)):
            raise PermissionDenied("The comp admin workspace is for comp admins and administrators"
                                   + ("; finance, executives and auditors may look." if reading else "."))
        return view(request, *args, **kwargs)
    return checked
