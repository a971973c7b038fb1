"""Import a file of one entity: read, validate, resolve references, check overlaps, upsert, record the run.

`import_file` is the one entry point for the CLI and the web app. Load → check everything → write in one
transaction: by default nothing is written when any row is invalid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from attain.apps.audit.services import Action, Source, record, record_many
from attain.apps.imports.bindings import BINDINGS
from attain.apps.imports.models import ImportRun
from attain.apps.imports.orm_writer import Counts, OrmWriter
from attain.apps.imports.rejects import rejects_path, write_rejects
from attain.apps.imports.resolve import resolve_references
from attain.apps.imports.row_changes import reason as change_reason
from attain.apps.imports.row_changes import row_entries
from attain.apps.imports.sql_writer import SqlWriter
from attain.io.entities import entity as find_entity
from attain.io.mappings import apply_mapping, mapping_for
from attain.io.problems import Problem, UnreadableFile
from attain.io.reading import read_table
from attain.io.validate import Parsed, validate

Progress = Callable[[str, int, int], None]
Status = ImportRun.Status
SHOWN_PROBLEMS = 200


@dataclass
class ImportResult:
    entity: str
    file: str
    status: str
    rows_read: int = 0
    counts: Counts = field(default_factory=Counts)
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejects_file: Path | None = None
    run_id: int | None = None
    sha256: str = ""

    @property
    def exit_code(self) -> int:
        if self.status == Status.FAILED:
            return 2
        return 1 if self.status == Status.REJECTED else 0


def import_file(entity: str, path: Path | str, *, dry_run: bool = False, skip_invalid: bool = False,
                mapping: str | None = None, user=None, progress: Progress | None = None,
                reason: str = "") -> ImportResult:
    """Import `path` as `entity` (see docs/data-formats.md); raises UnknownEntity / UnknownMapping.

    Unless a dry run, the audit log records the import (file, SHA-256, counts, `reason`) and, for each row
    that was already there and changed, its changed fields before and after.
    """
    path = Path(path)
    spec = find_entity(entity)
    crm = mapping_for(mapping, spec.name) if mapping else None
    sha256 = _sha256(path)
    try:
        table = read_table(path)
    except UnreadableFile as unreadable:
        failed = ImportResult(spec.name, path.name, Status.FAILED, problems=[unreadable.problem], sha256=sha256)
        return _record(failed, path, user, dry_run=dry_run, reason=reason)
    if progress:
        progress("validating", 0, len(table))
    parsed = validate(apply_mapping(table, crm) if crm else table, spec)
    result = ImportResult(spec.name, path.name, Status.REJECTED, len(table), warnings=parsed.warnings, sha256=sha256)
    if not parsed.file_problems:
        try:
            audit = {"user": user, "reason": _joined(change_reason(spec.name, path.name, sha256), reason)}
            _check_and_write(parsed, result, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress,
                             audit=audit)
        except DatabaseError as refused:  # a rule only the database knows: everything was rolled back
            result.counts = Counts()
            parsed.problems.append(Problem(path.name, None, None, None, f"the database refused the rows ({refused}); "
                                           "nothing was written: correct the file and import it again"))
            parsed.invalid.update(range(len(table)))
    result.problems, result.rejected = parsed.problems, len(parsed.invalid)
    if result.status == Status.PARTIAL:
        result.rejects_file = _write_rejects(parsed, path)
    return _record(result, path, user, dry_run=dry_run, reason=reason)


def _check_and_write(parsed: Parsed, result: ImportResult, *, dry_run: bool, skip_invalid: bool,
                     progress: Progress | None, audit: dict) -> None:
    binding = BINDINGS[parsed.entity.name]
    with transaction.atomic():
        resolved = resolve_references(parsed, binding)
        writer = (SqlWriter(parsed, binding, resolved, progress) if binding.fast
                  else OrmWriter(parsed, binding, resolved))
        writer.prepare()
        if parsed.invalid and not skip_invalid:
            return
        result.counts = writer.write(dry_run=dry_run)
        if dry_run:  # whatever validation touched, a dry run leaves the database as it was
            transaction.set_rollback(True)
        else:
            record_many(row_entries(writer.model, writer.changes.values(), **audit))
    if dry_run:
        result.status = Status.VALIDATED if not parsed.invalid else Status.REJECTED
    else:
        result.status = Status.PARTIAL if parsed.invalid else Status.IMPORTED


def _write_rejects(parsed: Parsed, path: Path) -> Path:
    """NAME.rejects.csv next to the input, or in VAR_DIR/imports when that folder is read-only."""
    try:
        return write_rejects(parsed, rejects_path(path))
    except OSError:
        folder = Path(settings.VAR_DIR) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        return write_rejects(parsed, rejects_path(folder / path.name))


def _record(result: ImportResult, path: Path, user, *, dry_run: bool, reason: str) -> ImportResult:
    """The ImportRun, and (unless a dry run, which changes nothing) the import's entry in the audit log."""
    run = ImportRun.objects.create(
        entity=result.entity, file_name=path.name[:255], sha256=result.sha256, status=result.status,
        finished_at=timezone.now(), rows_read=result.rows_read, rows_created=result.counts.created,
        rows_updated=result.counts.updated, rows_unchanged=result.counts.unchanged, rows_rejected=result.rejected,
        messages=[_message(p) for p in result.problems[:SHOWN_PROBLEMS]] + [{"warning": w} for w in result.warnings],
        user=user,
    )
    result.run_id = run.pk
    if not dry_run:
        record(Action.IMPORTED, run, user=user, reason=reason, source=Source.IMPORT, after={
            "entity": run.entity, "file_name": run.file_name, "sha256": run.sha256, "status": run.status,
            "rows_read": run.rows_read, "rows_created": run.rows_created, "rows_updated": run.rows_updated,
            "rows_unchanged": run.rows_unchanged, "rows_rejected": run.rows_rejected})
    return result


def _joined(what: str, reason: str) -> str:
    return f"{what}: {reason}" if reason else what


def _message(problem: Problem) -> dict:
    return {"file": problem.file, "row": problem.row, "column": problem.column,
            "value": None if problem.value is None else problem.value[:200], "reason": problem.reason}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()
