"""Upsert an entity's rows through the ORM: for the smaller entities (everything but transactions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from attain.apps.core.services import default_calendar
from attain.apps.imports.bindings import Binding, model_fields
from attain.apps.imports.overlaps import check_overlaps
from attain.apps.imports.row_changes import RowChange, merge
from attain.io.validate import Parsed

BATCH = 500


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class OrmWriter:
    def __init__(self, parsed: Parsed, binding: Binding, resolved: dict[str, list]) -> None:
        self.parsed, self.binding, self.resolved = parsed, binding, resolved
        self.model = binding.model_class()
        self_field = binding.self_ref.field if binding.self_ref else None
        self.fields = {c: f for c, f in model_fields(self.model, [c.name for c in parsed.entity.columns]).items()
                       if c != self_field}
        self.key_attnames = [self.fields[name].attname for name in parsed.entity.key]
        # periods go to the default calendar, created if there is none (a dry run rolls it back)
        self.scope = {"calendar_id": default_calendar().pk} if binding.model == "core.Period" else {}
        self.rows: dict[int, dict] = {}
        self.existing: dict[tuple, dict] = {}
        self.parents: dict[int, tuple] = {}
        self.changes: dict[int, RowChange] = {}  # pk → what the import changed in a row already there

    # -- checking -------------------------------------------------------------------------------

    def prepare(self) -> None:
        attnames = [f.attname for f in self.fields.values()]
        parent_attname = self._parent_attname()
        wanted = ["pk", *attnames, *self.scope] + ([parent_attname] if parent_attname else [])
        for record in self.model._default_manager.filter(**self.scope).values(*wanted):
            self.existing[tuple(record[a] for a in self.key_attnames)] = record
        self.rows = {i: self._values(i) for i in self.parsed.valid_rows}
        for index, values in self.rows.items():
            self._check_model_rules(index, values)
        if hasattr(self.model, "overlap_keys"):
            replaced = {self.existing[k]["pk"] for k in map(self._key, self.rows.values()) if k in self.existing}
            check_overlaps(self.parsed, self.model, self._valid(self.rows), replaced)
        if self.binding.self_ref:
            self._check_parents()

    def _values(self, index: int) -> dict:
        values = dict(self.scope)
        for column, field in self.fields.items():
            value = (self.resolved[column] if column in self.resolved else self.parsed.values[column])[index]
            if value is None and not field.null:
                value = field.get_default()
            values[field.attname] = value
        return values

    def _key(self, values: dict) -> tuple:
        return tuple(values[a] for a in self.key_attnames)

    def _valid(self, rows: dict[int, dict]) -> dict[int, dict]:
        return {i: v for i, v in rows.items() if i not in self.parsed.invalid}

    def _check_model_rules(self, index: int, values: dict) -> None:
        instance = self.model(**values)
        existing = self.existing.get(self._key(values))
        instance.pk = existing["pk"] if existing else None
        instance.overlap_keys = ()  # overlaps are checked for the whole file at once
        try:
            instance.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = None if field == NON_FIELD_ERRORS else field
                self.parsed.reject(index, column, " ".join(messages) + " Correct the row.")
                break

    def _parent_attname(self) -> str | None:
        return self.model._meta.get_field(self.binding.self_ref.field).attname if self.binding.self_ref else None

    def _check_parents(self) -> None:
        columns = self.binding.self_ref.columns
        file_keys = {self._key(v) for v in self._valid(self.rows).values()}
        for index in list(self._valid(self.rows)):
            key = tuple((self.resolved.get(c) or self.parsed.values[c])[index] for c in columns)
            if key[-1] is None:
                continue
            if key not in file_keys and key not in self.existing:
                shown = ", ".join(str(k) for k in key if k is not None)
                self.parsed.reject(index, columns[-1], f"the parent ({shown}) is neither in the database nor in "
                                   "this file: import it first or correct the value", str(key[-1]))
            self.parents[index] = key

    # -- writing --------------------------------------------------------------------------------

    def write(self, dry_run: bool) -> Counts:
        counts, new, changed = Counts(), [], []
        pk_to_key = {record["pk"]: key for key, record in self.existing.items()}
        parent_attname = self._parent_attname()
        for index, values in self._valid(self.rows).items():
            record = self.existing.get(self._key(values))
            if record is None:
                counts.created += 1
                new.append(values)
            elif self._differs(record, values) or (
                    parent_attname and pk_to_key.get(record[parent_attname]) != self.parents.get(index)):
                counts.updated += 1
                changed.append((record["pk"], values))
                differs = [name for name, value in values.items() if record[name] != value]
                merge(self.changes, RowChange(record["pk"], self._shown_key(index), {n: record[n] for n in differs},
                                              {n: values[n] for n in differs}))
            else:
                counts.unchanged += 1
        if not dry_run:
            self._save(new, changed)
        return counts

    def _shown_key(self, index: int) -> str:
        return " / ".join(str(self.parsed.values[column][index]) for column in self.parsed.entity.key)

    @staticmethod
    def _differs(record: dict, values: dict) -> bool:
        return any(record[name] != value for name, value in values.items())

    def _save(self, new: list[dict], changed: list[tuple]) -> None:
        manager = self.model._default_manager
        manager.bulk_create([self.model(**values) for values in new], batch_size=BATCH)
        if changed:
            names = [f.name for f in self.fields.values()]
            manager.bulk_update([self.model(pk=pk, **values) for pk, values in changed], names, batch_size=BATCH)
        if self.binding.self_ref:
            self._save_parents()

    def _save_parents(self) -> None:
        attname = self._parent_attname()
        records = self.model._default_manager.filter(**self.scope).values("pk", attname, *self.key_attnames)
        by_key = {tuple(r[a] for a in self.key_attnames): r for r in records}
        updates = []
        for index, values in self._valid(self.rows).items():
            record, parent = by_key[self._key(values)], by_key.get(self.parents.get(index))
            parent_pk = parent["pk"] if parent else None
            if record[attname] != parent_pk:
                updates.append(self.model(pk=record["pk"], **{attname: parent_pk}))
                if self._key(values) in self.existing:  # a row already there got a new parent
                    merge(self.changes, RowChange(record["pk"], self._shown_key(index), {attname: record[attname]},
                                                  {attname: parent_pk}))
        self.model._default_manager.bulk_update(updates, [self.binding.self_ref.field], batch_size=BATCH)
