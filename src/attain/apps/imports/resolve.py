"""Turn natural keys (account external_id, position code, period name...) into database ids."""

from __future__ import annotations

from collections.abc import Iterable

from attain.apps.core.services import find_default_calendar
from attain.apps.imports.bindings import Binding, Ref
from attain.io.validate import Parsed

CHUNK = 5000


def default_calendar_id() -> int | None:
    calendar = find_default_calendar()
    return calendar.pk if calendar else None


def lookup(ref: Ref, keys: Iterable[str]) -> dict[str, object]:
    """natural key → primary key, for the keys that exist."""
    model = ref.model_class()
    queryset = model._default_manager.all()
    if ref.model == "core.Period":
        queryset = queryset.filter(calendar_id=default_calendar_id())
    keys, found = sorted(keys), {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        found.update(queryset.filter(**{f"{ref.key_field}__in": chunk}).values_list(ref.key_field, "pk"))
    return found


def resolve_references(parsed: Parsed, binding: Binding) -> dict[str, list]:
    """Each reference column as ids (None where empty); unknown keys reject their rows."""
    resolved = {}
    for column, ref in binding.refs.items():
        values = parsed.values[column]
        wanted = {v for v in set(values) if v is not None}
        found = lookup(ref, wanted)
        missing = wanted - found.keys()
        if missing:
            _reject_missing(parsed, column, ref, values, missing)
        resolved[column] = [found.get(v) if v is not None else None for v in values]
    return resolved


def _reject_missing(parsed: Parsed, column: str, ref: Ref, values: list, missing: set) -> None:
    source = parsed.entity.column(column).refers_to or ref.noun
    entity = source.split(".")[0].split(" ")[0]
    for index, value in enumerate(values):
        if value in missing:
            reason = f"there is no {ref.noun} with {ref.key_field} {value!r}: import {entity} first or correct it"
            if ref.model == "core.Period" and default_calendar_id() is None:
                reason = "there is no default fiscal calendar: create it (and its periods) first"
            parsed.reject(index, column, reason, value)
