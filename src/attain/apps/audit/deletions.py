"""Audit entries for a deletion: the objects asked for, what cascades with them, and what is set to NULL.

Call `deletion_entries` *before* deleting (afterwards the rows and their ids are gone) and save the entries
with `record_many` once the deletion succeeded, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, router
from django.db.models.deletion import Collector

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import Action, entry, snapshot

CHUNK = 1000


class _LoadingCollector(Collector):
    """Django's deletion collector, made to load every row it will delete (as the admin's confirmation does)."""

    def can_fast_delete(self, *args, **kwargs) -> bool:
        return False


def deletion_entries(objs: Iterable[models.Model] | models.QuerySet, *, user=None, reason: str = "",
                     source: str = AuditEntry.Source.SERVICE) -> list[AuditEntry]:
    """Unsaved entries for deleting `objs`: one `deleted` per row that will go, with its full snapshot, and one
    `changed` per row whose reference will be set to NULL. The objects asked for come first."""
    roots = list(objs)
    if not roots:
        return []
    collector = _LoadingCollector(using=router.db_for_write(type(roots[0])))
    collector.collect(roots)
    root_keys = {(type(o)._meta.label, o.pk) for o in roots}
    going = {(model._meta.label, o.pk) for model, instances in collector.data.items() for o in instances}
    first = f"{type(roots[0])._meta.label} {roots[0].pk}" + (f" and {len(roots) - 1} more" if len(roots) > 1 else "")
    made = {"user": user, "source": source}
    entries = [entry(Action.DELETED, obj, before=snapshot(obj), reason=reason, **made) for obj in _full(roots)]
    for model, instances in sorted(collector.data.items(), key=lambda item: item[0]._meta.label):
        cascaded = [o for o in instances if (model._meta.label, o.pk) not in root_keys]
        for obj in sorted(_full(cascaded), key=lambda o: o.pk):
            entries.append(entry(Action.DELETED, obj, before=snapshot(obj),
                                 reason=_joined(f"Deleted with {first} (cascade)", reason), **made))
    for (field, value), batches in collector.field_updates.items():
        kept = [o for batch in batches for o in batch if (type(o)._meta.label, o.pk) not in going]
        for obj in sorted(_full(kept), key=lambda o: o.pk):
            before = snapshot(obj)
            entries.append(entry(Action.CHANGED, obj, before=before, after={**before, field.attname: value},
                                 reason=_joined(f"{field.name} emptied as {first} was deleted", reason), **made))
    return entries


def _full(objs: list[models.Model]) -> list[models.Model]:
    """The rows again with every field (the collector loads only the keys it needs), in the order given."""
    if not objs:
        return []
    model = type(objs[0])
    pks = [o.pk for o in objs]
    found = {}
    for start in range(0, len(pks), CHUNK):
        found.update((o.pk, o) for o in model._base_manager.filter(pk__in=pks[start:start + CHUNK]))
    return [found[pk] for pk in pks if pk in found]


def _joined(what: str, reason: str) -> str:
    return f"{what}: {reason}" if reason else what
