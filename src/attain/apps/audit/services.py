"""Write to the audit log: explicit calls from the admin, the services and the command line (never signals).

`record` writes one entry; `entry` builds one unsaved and `record_many` inserts many at once (imports).
`snapshot` turns a model instance into JSON-safe values exactly as its columns store them, and `changes`
keeps only what differs between two snapshots.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from attain.apps.audit.models import AuditEntry

Action = AuditEntry.Action
Source = AuditEntry.Source
ACTIONS, SOURCES = frozenset(Action.values), frozenset(Source.values)
BATCH = 5000
REPR_LENGTH = AuditEntry._meta.get_field("object_repr").max_length
# what record_many writes (`id` and `at` come from the database)
INSERTED = ["user_id", "username", "action", "object_type", "object_id", "object_repr", "before", "after", "reason",
            "source"]


def record(action: str, obj: models.Model | None = None, *, user=None, before: dict | None = None,
           after: dict | None = None, reason: str = "", source: str = Source.SERVICE, object_type: str | None = None,
           object_id: object = None, object_repr: str | None = None) -> AuditEntry:
    """Append one entry to the audit log and return it.

    `obj` names the object changed (its `app_label.Model`, primary key and text); `object_type`, `object_id`
    and `object_repr` override or replace it (for something that is not one model row, e.g. a whole import).
    `user` is a user or None (a command-line or system change); its username is kept beside the link.
    """
    entry_ = entry(action, obj, user=user, before=before, after=after, reason=reason, source=source,
                   object_type=object_type, object_id=object_id, object_repr=object_repr)
    entry_.save()
    return entry_


def entry(action: str, obj: models.Model | None = None, *, user=None, before: dict | None = None,
          after: dict | None = None, reason: str = "", source: str = Source.SERVICE, object_type: str | None = None,
          object_id: object = None, object_repr: str | None = None) -> AuditEntry:
    """An unsaved entry, checked: the arguments of `record`. For `record_many`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: use one of {', '.join(Action.values)} "
                         "(or add it to AuditEntry.Action)")
    if source not in SOURCES:
        raise ValueError(f"unknown audit source {source!r}: use one of {', '.join(Source.values)}")
    if obj is None and not object_type:
        raise ValueError("an audit entry names what changed: pass the object or its object_type")
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    user = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry(user=user, username=user.get_username() if user else "", action=action,
                      object_type=object_type, object_id="" if object_id is None else str(object_id),
                      object_repr=(object_repr or "")[:REPR_LENGTH], before=before, after=after, reason=reason or "",
                      source=source)


def record_many(entries: Iterable[AuditEntry], batch_size: int = BATCH) -> int:
    """Insert many entries (built with `entry`) in batches; returns how many were written.

    A plain INSERT (COPY on PostgreSQL) of prepared values: an import that changes many rows logs each one,
    and the ORM's bulk_create spent more time composing its SQL than the database took to store the rows.
    The entries get no primary key back.
    """
    written, batch = 0, []
    for item in entries:
        batch.append(item)
        if len(batch) >= batch_size:
            written += _insert(batch)
            batch = []
    return written + (_insert(batch) if batch else 0)


def _insert(batch: list[AuditEntry]) -> int:
    rows = [(e.user_id, e.username, e.action, e.object_type, e.object_id, e.object_repr, _json(e.before),
             _json(e.after), e.reason, e.source) for e in batch]
    table, names = AuditEntry._meta.db_table, ", ".join(INSERTED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(INSERTED))})",  # noqa: S608
                               rows)
    return len(rows)


def _json(value) -> str | None:
    """A JSON column's text, as the JSONField writes it (None is SQL NULL)."""
    return None if value is None else json.dumps(value, cls=DjangoJSONEncoder)


# -- snapshots ------------------------------------------------------------------------------------

def snapshot(instance: models.Model) -> dict:
    """Every concrete field of `instance` as JSON-safe values, keyed by column attribute (`account_id`).

    Decimals are text with the column's decimal places (what the column stores: "12.5000"), dates and
    times ISO 8601, foreign keys their ids; nothing is left out, long texts included.
    """
    return {field.attname: json_value(field, field.value_from_object(instance))
            for field in instance._meta.concrete_fields}


def json_value(field: models.Field | None, value: object) -> object:
    """A field's Python value as a JSON value (see `snapshot`)."""
    if isinstance(field, models.DecimalField) and isinstance(value, (int, str)) and not isinstance(value, bool):
        value = Decimal(value)  # a default of 1 is stored as 1.0000
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None and value.is_finite():
            value = value.quantize(Decimal(1).scaleb(-places))
        return str(value + 0 if value == 0 else value)  # never "-0.00"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()  # one form, whatever zone a form used
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(None, v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(None, v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file field
        return value.name or None
    return str(value)


def changes(before: dict | None, after: dict | None) -> tuple[dict, dict]:
    """Only the keys whose values differ: (before, after). A key missing on one side is left out there."""
    before, after = before or {}, after or {}
    missing = object()
    keys = [k for k in {**before, **after} if before.get(k, missing) != after.get(k, missing)]
    return ({k: before[k] for k in keys if k in before}, {k: after[k] for k in keys if k in after})
