"""The audit log as a file: CSV or JSON lines, one entry per row, oldest first (docs/audit.md).

Both formats have the same fields in the same order (COLUMNS). In CSV, `before` and `after` are JSON text
(keys sorted, no spaces) and a text cell a spreadsheet would run as a formula is prefixed with `'`, as in
the import rejects files; JSON lines keep every value exactly, `before` and `after` as JSON objects.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from attain.apps.audit.models import AuditEntry
from attain.io.kinds import looks_like_formula

COLUMNS = ["id", "at", "user_id", "username", "action", "object_type", "object_id", "object_repr", "source",
           "reason", "before", "after"]
CHUNK = 2000


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class Format:
    content_type: str
    write: Callable[[Iterable[AuditEntry], Writable], int]


def fields(entry: AuditEntry) -> dict:
    """An entry's exported values, in COLUMNS order; `at` in UTC, ISO 8601."""
    return {"id": entry.pk, "at": entry.at.astimezone(datetime.UTC).isoformat(), "user_id": entry.user_id,
            "username": entry.username, "action": entry.action, "object_type": entry.object_type,
            "object_id": entry.object_id, "object_repr": entry.object_repr, "source": entry.source,
            "reason": entry.reason, "before": entry.before, "after": entry.after}


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sorted(value):
    """JSON with every object's keys sorted (PostgreSQL's jsonb stores them in its own order)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return [_sorted(v) for v in value] if isinstance(value, list) else value


def _csv_cell(name: str, value) -> str:
    if name in ("before", "after"):
        return "" if value is None else _json(value)
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def write_csv(entries: Iterable[AuditEntry], out: Writable) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = 0
    for entry in entries:
        writer.writerow([_csv_cell(name, value) for name, value in fields(entry).items()])
        rows += 1
    return rows


def write_jsonl(entries: Iterable[AuditEntry], out: Writable) -> int:
    rows = 0
    for entry in entries:
        values = fields(entry)
        values["before"], values["after"] = _sorted(values["before"]), _sorted(values["after"])
        out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n")
        rows += 1
    return rows


FORMATS = {"csv": Format("text/csv; charset=utf-8", write_csv),
           "jsonl": Format("application/x-ndjson; charset=utf-8", write_jsonl)}


def write_entries(entries: Iterable[AuditEntry], out: Writable, format_: str) -> int:
    """Write `entries` to `out` (a text stream) as `format_` (csv or jsonl); returns the number of entries."""
    if format_ not in FORMATS:
        raise ValueError(f"unknown export format {format_!r}: use {' or '.join(FORMATS)}")
    if hasattr(entries, "iterator"):
        entries = entries.iterator(chunk_size=CHUNK)
    return FORMATS[format_].write(entries, out)
