"""Load generated rows into the database with bulk inserts, in one transaction.

Rows name their foreign keys by natural key (an account's external_id, a position's code); the
loader keeps a map natural key → primary key per model as it inserts. Self-references (parent
accounts, territories, periods and goals; a credit note's original) are inserted in waves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction

from attain.demo.rows import Table

# model → its natural key field (for resolving references to it)
NATURAL_KEYS = {
    "core.FiscalCalendar": "name", "core.Period": "name", "org.Participant": "employee_id", "org.Position": "code",
    "catalog.Account": "external_id", "catalog.ProductFamily": "code", "catalog.Product": "sku",
    "territories.Territory": "code", "sales.Opportunity": "external_id", "sales.Transaction": "external_id",
    "plans.Plan": "code", "plans.Goal": "_key",
}
BATCH = 2000
FAST_PATH_ROWS = 5000  # larger tables skip model instances: executemany of prepared values
# domain data, deleted (in this order) by a reset; the audit log (audit.AuditEntry) is kept: it is append-only,
# and `attain demo` records the reload in it
DOMAIN_MODELS = [
    "disputes.DisputeComment", "disputes.Dispute",
    "payments.DeferredMovement", "payments.KeptCommission", "payments.DeferredMonth",
    "payments.Payment", "payments.PaymentRun", "payments.Adjustment", "payments.AccountingPolicy",
    "payments.ApprovalAuthority",
    "payments.DrawAgreement", "payments.RecoveryLimit", "calc.Approval", "calc.ApprovalPolicy",
    "calc.Earning", "calc.CalculationRun",
    "portal.PlanAcceptance", "portal.AcceptanceRequirement",
    "plans.Goal", "plans.PlanAssignment", "plans.PlanScenario", "plans.PlanVersion", "plans.Plan", "quotas.Quota", "sales.Activity",
    "sales.OpportunityStageEvent", "sales.CustomerPayment", "sales.CreditSplit", "sales.Transaction", "sales.Opportunity", "territories.AccountTerritory",
    "territories.TerritoryPosition", "territories.TerritoryRule", "territories.Territory", "catalog.Account",
    "org.LeaveOfAbsence", "org.PositionHolder", "org.ReportingLine", "org.Position", "org.Participant", "catalog.Product",
    "catalog.ProductFamily", "core.Period", "core.FiscalCalendar", "core.FxRate", "imports.ImportRun", "core.Currency",
]


def load(tables: list[Table], progress: Callable[[str], None] | None = None) -> None:
    """Insert every table in order, in one transaction."""
    ids: dict[str, dict[object, int]] = {}
    with transaction.atomic():
        for table in tables:
            if progress:
                progress(table.model)
            _load_table(table, ids)


def _references(model) -> dict[str, str]:
    return {f.name: f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation}


def _load_table(table: Table, ids: dict[str, dict[object, int]]) -> None:
    model = apps.get_model(table.model)
    refs = _references(model)
    key = NATURAL_KEYS.get(table.model)
    known = ids.setdefault(table.model, {})
    pending = table.rows
    while pending:
        ready = [row for row in pending if _resolvable(row, refs, table.model, known)]
        if not ready:
            raise ValueError(f"{table.model}: rows reference keys that do not exist")
        if len(ready) >= FAST_PATH_ROWS:
            _insert(model, [_fields(row, refs, ids) for row in ready])
            if key:
                wanted = {row[key] for row in ready}
                known.update((k, pk) for k, pk in model.objects.values_list(key, "pk").iterator(5000) if k in wanted)
        else:
            objects = [model(**_fields(row, refs, ids)) for row in ready]
            if table.model == "core.Currency":
                model.objects.bulk_create(objects, ignore_conflicts=True)
            else:
                model.objects.bulk_create(objects, batch_size=_batch(model))
            if key:
                known.update((row[key], obj.pk) for row, obj in zip(ready, objects, strict=True))
        done = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in done]


def _insert(model, rows: list[dict]) -> None:
    """INSERT rows (field attname → value) with executemany; values are prepared as the ORM would."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {_table(model)} ({columns}) VALUES ({marks})"
    real = connections[DEFAULT_DB_ALIAS]  # not the thread-local proxy: this runs millions of times
    columns_in = [(f.attname, f.get_default(), _converter(f, real)) for f in fields]
    prepared = [[convert(row.get(name, default)) for name, default, convert in columns_in] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY is several times faster than INSERTs there
            with cursor.cursor.copy(f"COPY {_table(model)} ({columns}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
            return
        for start in range(0, len(prepared), 10 * BATCH):
            cursor.executemany(sql, prepared[start:start + 10 * BATCH])


def _converter(field, real) -> Callable[[object], object]:
    """How a Python value becomes a driver value for this column (what get_db_prep_save does, faster)."""
    if isinstance(field, models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, real)
    if isinstance(field, models.DateField):
        return real.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: real.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if isinstance(field, (models.CharField, models.IntegerField, models.BooleanField, models.ForeignKey,
                          models.TextField, models.AutoField, models.BigAutoField)):
        return _same
    return lambda value: field.get_db_prep_save(value, real)


def _same(value: object) -> object:
    return value


def _batch(model) -> int:
    if connection.vendor == "sqlite":
        return max(1, 999 // len(model._meta.concrete_fields))
    return BATCH


def _resolvable(row: dict, refs: dict[str, str], label: str, known: dict) -> bool:
    return all(row.get(name) is None or row[name] in known for name, target in refs.items() if target == label)


def _fields(row: dict, refs: dict[str, str], ids: dict[str, dict[object, int]]) -> dict:
    values = {}
    for name, value in row.items():
        if name.startswith("_"):
            continue
        target = refs.get(name)
        if target is None:
            values[name] = value
        elif name.endswith("_id"):
            values[name] = value
        elif value is None:
            values[f"{name}_id"] = None
        elif target in ("core.Currency", "auth.User"):
            values[f"{name}_id"] = value
        else:
            values[f"{name}_id"] = ids[target][value]
    return values


def reset() -> None:
    """Delete all domain data (the role groups, users and their links stay).

    Plain DELETE statements, children before parents: the ORM's cascading delete would first fetch
    every row into Python, which takes far longer for the demo's half a million rows.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one TRUNCATE skips the per-row foreign-key checks
            cursor.execute("TRUNCATE " + ", ".join(_table(apps.get_model(label)) for label in DOMAIN_MODELS))
            return
        for label in DOMAIN_MODELS:
            model = apps.get_model(label)
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    cursor.execute(f"UPDATE {_table(model)} SET {connection.ops.quote_name(field.column)} = NULL")
            cursor.execute(f"DELETE FROM {_table(model)}")


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in reversed(DOMAIN_MODELS)}
