"""Which disputes a user may read: those of the participants `portal.access` lets them see (and those they raised).

Reading needs one of the dispute permissions: raising (reps, managers), reviewing (comp admins) or viewing
(finance, auditors). A dispute the user may not read is "not found", like any other row-level refusal.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from attain.apps.disputes.models import Dispute
from attain.apps.portal import access

READ_PERMISSIONS = ("disputes.view_dispute", "disputes.add_dispute", "disputes.resolve_dispute")


def may_read(user) -> bool:
    return user.is_authenticated and user.is_active and any(user.has_perm(p) for p in READ_PERMISSIONS)


def may_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("disputes.resolve_dispute")


def visible_disputes(user) -> QuerySet[Dispute]:
    """The disputes `user` may read: of the participants they may see today, and those they raised."""
    if not may_read(user):
        return Dispute.objects.none()
    if access.sees_everyone(user):
        return Dispute.objects.all()
    return Dispute.objects.filter(Q(participant__in=access.visible_participants(user).values("pk"))
                                  | Q(raised_by=user))
