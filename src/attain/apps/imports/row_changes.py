"""What an import changed in rows that were already there: for the audit log, one entry per updated row.

The writers note each updated row's values before and after (the ORM writer from the rows it read anyway;
the SQL writer from the old rows the database keeps aside, see SqlWriter._old_rows_kept). Created rows are not
logged one by one: the import's own entry counts them and names the file and its SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import Action, Source, changes, entry, json_value


@dataclass
class RowChange:
    pk: int
    key: str  # the row's natural key as the file writes it, e.g. "T-1"
    before: dict  # attname → value, only what changed
    after: dict


def merge(found: dict[int, RowChange], change: RowChange) -> None:
    """Add a change to `found`, joining it with an earlier one of the same row."""
    if change.pk in found:
        found[change.pk].before.update(change.before)
        found[change.pk].after.update(change.after)
    else:
        found[change.pk] = change


def row_entries(model: type[models.Model], found: Iterable[RowChange], *, user, reason: str) -> Iterator[AuditEntry]:
    """`changed` entries (source import) with the changed fields' values before and after, JSON-safe."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    label = model._meta.label
    for change in found:
        before = {name: json_value(fields.get(name), value) for name, value in change.before.items()}
        after = {name: json_value(fields.get(name), value) for name, value in change.after.items()}
        before, after = changes(before, after)  # 100 and 100.0 are one stored value
        if before or after:
            yield entry(Action.CHANGED, object_type=label, object_id=change.pk, object_repr=change.key, before=before,
                        after=after, user=user, reason=reason, source=Source.IMPORT)


def reason(entity: str, file_name: str, sha256: str) -> str:
    return f"{entity} import of {file_name} (sha256 {sha256[:16]})"

