"""Set-based upsert for big entities (transactions): one statement per batch, inside one transaction.

SQLite: executemany `INSERT ... ON CONFLICT(key) DO UPDATE ... WHERE (a value differs)`, with decimals
passed as text exactly as Django's sqlite backend adapts them. PostgreSQL: COPY into a temporary table,
then `INSERT ... SELECT` the new keys, and `UPDATE ... FROM` the known rows where a value differs.
Either way the rows changed are kept as they were in the temporary table attain_import_old, so the
audit log can show each one's changed fields before and after.
"""

from __future__ import annotations

import contextlib

from django.db import connection

from attain.apps.imports.bindings import Binding, model_fields
from attain.apps.imports.orm_writer import Counts
from attain.apps.imports.pg_bulk import foreign_keys_checked_once
from attain.apps.imports.row_changes import RowChange
from attain.io.validate import Parsed

BATCH = 100_000
PG_BULK_ROWS = 50_000  # from this many rows, PostgreSQL checks foreign keys once per batch, not per row


class SqlWriter:
    def __init__(self, parsed: Parsed, binding: Binding, resolved: dict[str, list], progress=None) -> None:
        self.parsed, self.binding, self.resolved, self.progress = parsed, binding, resolved, progress
        self.model = binding.model_class()
        self.key = parsed.entity.key[0]
        self.fields = model_fields(self.model, [c.name for c in parsed.entity.columns])
        self.self_field = binding.self_ref.field if binding.self_ref else None
        self.existing: dict[str, int] = {}
        self.levels: list[list[int]] = []
        self.changes: dict[int, RowChange] = {}  # pk → what the import changed in a row already there

    def prepare(self) -> None:
        key_column = self.fields[self.key].column
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "{key_column}", id FROM "{self.model._meta.db_table}"')  # noqa: S608
            self.existing = dict(cursor.fetchall())
        self._order_by_self_reference()

    def _order_by_self_reference(self) -> None:
        """Rows whose original is new in this file are written after it (level by level)."""
        keys, valid = self.parsed.values[self.key], self.parsed.valid_rows
        if not self.self_field:
            self.levels = [valid]
            return
        parents, level_of = self.parsed.values[self.self_field], {}
        in_file = {keys[i]: i for i in valid}
        for index in valid:
            parent = parents[index]
            if parent is not None and parent not in in_file and parent not in self.existing:
                self.parsed.reject(index, self.self_field, f"there is no line with external_id {parent!r} in the "
                                   "database or in this file: import the original line first", parent)
        for index in valid:
            self._level(index, parents, in_file, level_of, set())
        depth = max(level_of.values(), default=0)
        self.levels = [[i for i in valid if level_of.get(i) == n and i not in self.parsed.invalid]
                       for n in range(depth + 1)]

    def _level(self, index, parents, in_file, level_of, seen) -> int:
        if index in level_of:
            return level_of[index]
        parent = parents[index]
        if parent is None or parent in self.existing or parent not in in_file or index in seen:
            level_of[index] = 0
            return 0
        seen.add(index)
        level_of[index] = self._level(in_file[parent], parents, in_file, level_of, seen) + 1
        return level_of[index]

    def write(self, dry_run: bool) -> Counts:
        keys = self.parsed.values[self.key]
        rows = [i for level in self.levels for i in level if i not in self.parsed.invalid]
        created = sum(1 for i in rows if keys[i] not in self.existing)
        if dry_run:
            return Counts(created, 0, len(rows) - created)
        with self._bulk_mode(len(rows)), self._old_rows_kept():
            changed = self._write_levels(len(rows))
            self._note_changes()
        return Counts(created, changed - created, len(rows) - changed)

    # -- the rows an upsert changed, before and after (for the audit log) -------------------------

    @contextlib.contextmanager
    def _old_rows_kept(self):
        """Rows the upserts change are copied, as they were, into the temporary table attain_import_old.

        SQLite: a temporary trigger copies each row the upsert really updates (nothing else costs anything).
        PostgreSQL: each batch's known rows that differ are selected into it before they are updated.
        """
        names, table = ", ".join(self._kept_columns()), self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS attain_import_old")
            cursor.execute(f'CREATE TEMP TABLE attain_import_old AS SELECT {names} FROM "{table}" LIMIT 0')  # noqa: S608
            if connection.vendor == "sqlite":
                olds = ", ".join(f"OLD.{n}" for n in self._kept_columns())
                cursor.execute(f'CREATE TEMP TRIGGER attain_import_old_rows BEFORE UPDATE ON main."{table}" '
                               f"BEGIN INSERT INTO attain_import_old VALUES ({olds}); END")
        try:
            yield
        finally:  # after a failure the rollback removes the trigger (SQLite's DDL is transactional)
            if connection.vendor == "sqlite" and not connection.needs_rollback:
                with connection.cursor() as cursor:
                    cursor.execute("DROP TRIGGER IF EXISTS temp.attain_import_old_rows")

    def _kept_columns(self) -> list[str]:
        return ['"id"', *self._column_names()]

    def _note_changes(self) -> None:
        """Each changed row's changed fields before (attain_import_old) and after (the table now)."""
        fields, table = list(self.fields.values()), self.model._meta.db_table
        pairs = ", ".join(f'o."{f.column}", t."{f.column}"' for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT t."id", {pairs} FROM attain_import_old o JOIN "{table}" t ON t."id" = o."id"')  # noqa: S608
            rows = cursor.fetchall()
            cursor.execute("DROP TABLE attain_import_old")
        convert, at = [_python_value(f) for f in fields], list(self.fields).index(self.key)
        for pk, *values in rows:
            old = [c(v) for c, v in zip(convert, values[0::2], strict=True)]
            new = [c(v) for c, v in zip(convert, values[1::2], strict=True)]
            differs = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            self.changes[pk] = RowChange(pk, new[at], {fields[i].attname: old[i] for i in differs},
                                         {fields[i].attname: new[i] for i in differs})

    def _bulk_mode(self, rows: int):
        if connection.vendor != "postgresql" or rows < PG_BULK_ROWS:
            return contextlib.nullcontext()
        return foreign_keys_checked_once(connection.cursor(), self.model._meta.db_table)

    def _write_levels(self, total: int) -> int:
        changed, done = 0, 0
        for level in self.levels:
            level = [i for i in level if i not in self.parsed.invalid]
            parent_ids = self._parent_ids(level)
            for start in range(0, len(level), BATCH):
                batch = level[start:start + BATCH]
                changed += self._upsert(self._tuples(batch, parent_ids))
                done += len(batch)
                if self.progress:
                    self.progress("writing", done, total)
        return changed

    def _parent_ids(self, level: list[int]) -> dict[str, int]:
        if not self.self_field:
            return {}
        wanted = sorted({self.parsed.values[self.self_field][i] for i in level} - {None} - self.existing.keys())
        found = dict(self.existing)
        key_column = self.fields[self.key].column
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), 5000):
                chunk = wanted[start:start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f'SELECT "{key_column}", id FROM "{self.model._meta.db_table}" '  # noqa: S608
                               f'WHERE "{key_column}" IN ({marks})', chunk)
                found.update(cursor.fetchall())
        return found

    def _tuples(self, batch: list[int], parent_ids: dict[str, int]) -> list[tuple]:
        columns = []
        for name, field in self.fields.items():
            if name == self.self_field:
                values = self.parsed.values[name]
                columns.append([parent_ids.get(values[i]) for i in batch])
                continue
            source = self.resolved.get(name) or self.parsed.values[name]
            default = None if field.null else field.get_default()
            columns.append([default if source[i] is None else source[i] for i in batch])
        return list(zip(*columns, strict=True))

    def _upsert(self, rows: list[tuple]) -> int:
        if connection.vendor == "postgresql":
            return self._upsert_postgresql(rows)
        return self._upsert_sqlite(rows)

    def _column_names(self) -> list[str]:
        return [f'"{field.column}"' for field in self.fields.values()]

    def _differs(self, other: str) -> str:
        """SQL: a value of the table's row differs from `other`'s (the key aside)."""
        table, key = self.model._meta.db_table, f'"{self.fields[self.key].column}"'
        return " OR ".join(f'"{table}".{n} IS DISTINCT FROM {other}.{n}' for n in self._column_names() if n != key)

    def _conflict_clause(self, excluded: str) -> str:
        names, key = self._column_names(), f'"{self.fields[self.key].column}"'
        updates = ", ".join(f"{n} = {excluded}.{n}" for n in names if n != key)
        return f"ON CONFLICT ({key}) DO UPDATE SET {updates} WHERE {self._differs(excluded)}"

    def _upsert_sqlite(self, rows: list[tuple]) -> int:
        """New keys by plain INSERT (an upsert clause triples SQLite's insert cost), known keys by upsert."""
        connection.ensure_connection()
        at = list(self.fields).index(self.key)
        known = [row for row in rows if row[at] in self.existing]
        new = sorted((row for row in rows if row[at] not in self.existing), key=lambda row: row[at])
        names = self._column_names()
        insert = (f'INSERT INTO "{self.model._meta.db_table}" ({", ".join(names)}) '  # noqa: S608
                  f'VALUES ({", ".join("?" * len(names))})')
        upsert = f'{insert} {self._conflict_clause("excluded")}'.replace("IS DISTINCT FROM", "IS NOT")
        raw = connection.connection.cursor()
        try:
            raw.execute("PRAGMA cache_size = -262144")  # 256 MB while the indexes grow
            raw.executemany(insert, new)  # Django registered the Decimal → str and date → ISO adapters
            changed = raw.rowcount if new else 0
            raw.executemany(upsert, known)
            return changed + (raw.rowcount if known else 0)
        finally:
            raw.execute("PRAGMA cache_size = -2000")
            raw.close()

    def _upsert_postgresql(self, rows: list[tuple]) -> int:
        """COPY into a temporary table; new keys by plain INSERT ... SELECT; the known rows that differ are
        copied as they are into attain_import_old (for the audit log), then updated, and only they."""
        names, table = self._column_names(), self.model._meta.db_table
        at = list(self.fields).index(self.key)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS attain_import_batch")
            cursor.execute(f'CREATE TEMP TABLE attain_import_batch ON COMMIT DROP AS '  # noqa: S608
                           f'SELECT {", ".join(names)}, true AS attain_new FROM "{table}" LIMIT 0')
            with cursor.cursor.copy(f"COPY attain_import_batch ({', '.join(names)}, attain_new) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, row[at] not in self.existing))
            cursor.execute(f'INSERT INTO "{table}" ({", ".join(names)}) '  # noqa: S608
                           f'SELECT {", ".join(names)} FROM attain_import_batch WHERE attain_new')
            created = cursor.rowcount
            kept = ", ".join(f'"{table}".{n}' for n in self._kept_columns())
            cursor.execute(f'INSERT INTO attain_import_old SELECT {kept} FROM "{table}" JOIN attain_import_batch '  # noqa: S608
                           f'USING ({names[at]}) WHERE NOT attain_new AND ({self._differs("attain_import_batch")}) '
                           'RETURNING "id"')
            ids = [pk for (pk,) in cursor.fetchall()]
            if not ids:
                return created
            updates = ", ".join(f"{n} = attain_import_batch.{n}" for n in names if n != names[at])
            cursor.execute(f'UPDATE "{table}" SET {updates} FROM attain_import_batch '  # noqa: S608
                           f'WHERE "{table}".{names[at]} = attain_import_batch.{names[at]} AND "{table}"."id" = ANY(%s)',
                           [ids])
            return created + cursor.rowcount


def _python_value(field):
    """How a column's raw database value becomes the field's Python value (what a queryset does)."""
    column = field.get_col(field.model._meta.db_table)
    steps = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def convert(value):
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert
