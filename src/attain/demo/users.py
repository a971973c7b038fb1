"""Demo logins: one user per role, linked to a real participant where the role has one.

Every demo user has the documented password DEMO_PASSWORD. All but the rep and the manager are staff
(the admin is a way in for the roles that see everyone); the rep uses the rep portal, the manager the
manager portal (their team only). Only the administrator is a superuser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from attain.apps.org import roles
from attain.demo.rows import AS_OF

DEMO_PASSWORD = "attain-demo"
DEMO_MANAGER_POSITION = "MGR-NAW-2"  # commercial team West, with two of the planted coaching cases
DEMO_REP_POSITION = "AE-NAW-15"  # an AE in that team
# the roles that use only the portals (their rows, or their team's), never the admin
PORTAL_ONLY = {roles.REP, roles.MANAGER}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    position: str | None  # the participant holding this position on AS_OF gets the login
    superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("admin", roles.ADMINISTRATOR, None, superuser=True),
    DemoLogin("compadmin", roles.COMP_ADMIN, None),
    DemoLogin("finance", roles.FINANCE, None),
    DemoLogin("controller", roles.CONTROLLER, None),
    DemoLogin("auditor", roles.AUDITOR, None),
    DemoLogin("executive", roles.EXECUTIVE, "VP-SALES"),
    DemoLogin("manager", roles.MANAGER, DEMO_MANAGER_POSITION),
    DemoLogin("rep", roles.REP, DEMO_REP_POSITION),
]


def create_demo_users(day: date = AS_OF) -> list[tuple[DemoLogin, str]]:
    """Create or refresh the demo users; return each login with the name of the person it belongs to."""
    from django.contrib.auth import get_user_model

    from attain.apps.org.models import Participant, PositionHolder

    groups = roles.ensure_roles()
    users = get_user_model()
    created = []
    for login in DEMO_LOGINS:
        user, _ = users.objects.get_or_create(username=login.username)
        user.is_staff, user.is_superuser = login.role not in PORTAL_ONLY, login.superuser
        user.email = f"{login.username}@attain-demo.example"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[login.role]])
        person = ""
        if login.position:
            holder = PositionHolder.objects.filter(PositionHolder.valid_on(day), position__code=login.position).first()
            if holder is not None:
                Participant.objects.filter(user=user).exclude(pk=holder.participant_id).update(user=None)
                Participant.objects.filter(pk=holder.participant_id).update(user=user)
                user.first_name, user.last_name = holder.participant.first_name, holder.participant.last_name
                user.save(update_fields=["first_name", "last_name"])
                person = holder.participant.name
        created.append((login, person))
    return created
