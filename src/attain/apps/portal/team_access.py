"""Who lands on the team page: sales managers and executives (the others keep their own landing page)."""

from __future__ import annotations

from attain.apps.org import roles
from attain.apps.portal.access import role_names


def leads_team(user) -> bool:
    return user.is_authenticated and user.is_active and bool(role_names(user) & {roles.MANAGER, roles.EXECUTIVE})
