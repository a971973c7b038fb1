"""Finding audit entries: by object, time span, user and action (for the command line and exports)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from attain.apps.audit.models import AuditEntry


def object_filter(text: str) -> tuple[str, str | None]:
    """`plans.PlanVersion:3` → ("plans.PlanVersion", "3"); `plans.planversion` → ("plans.PlanVersion", None).

    A type naming an Attain model is spelt as its label, whatever the case; anything else is kept as written.
    """
    object_type, _, object_id = text.partition(":")
    try:
        object_type = apps.get_model(object_type.strip())._meta.label
    except (LookupError, ValueError):
        object_type = object_type.strip()
    return object_type, (object_id.strip() or None)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight starting `day` in the site's time zone (ATTAIN_TIME_ZONE, UTC by default)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def select_entries(*, object_: str | None = None, since: datetime.date | None = None,
                   until: datetime.date | None = None, username: str | None = None,
                   action: str | None = None) -> QuerySet[AuditEntry]:
    """Entries matching every filter given; `since` and `until` are whole days, both included."""
    entries = AuditEntry.objects.all()
    if object_:
        object_type, object_id = object_filter(object_)
        entries = entries.filter(object_type=object_type)
        if object_id is not None:
            entries = entries.filter(object_id=object_id)
    if since:
        entries = entries.filter(at__gte=day_start(since))
    if until:
        entries = entries.filter(at__lt=day_start(until + datetime.timedelta(days=1)))
    if username:
        entries = entries.filter(username=username)
    if action:
        entries = entries.filter(action=action)
    return entries
