"""The database refuses UPDATE and DELETE on the audit log, whoever sends them (ORM, raw SQL, a SQL shell).

One update is allowed: Django's `on_delete=SET_NULL` when a user is deleted sets `user_id` to NULL and
changes nothing else (the entry keeps the username as text).

SQLite drops a table's triggers when a migration rebuilds the table (most AlterField/RemoveField
operations do): a later migration that changes this table must create them again (call `create` below).
`tests/test_audit.py` checks that raw UPDATE and DELETE fail and that the SQLite trigger names every column.
TRUNCATE (PostgreSQL) fires no row triggers: it needs the table owner's privilege, and nothing in Attain
truncates this table (the demo reset leaves it out).
"""

from django.db import migrations

TABLE = "audit_auditentry"
MESSAGE = "the audit log is append-only: entries cannot be changed or deleted"
# every column but user_id: an UPDATE may change user_id to NULL only, with all of these unchanged
KEPT_COLUMNS = ["id", "at", "username", "action", "object_type", "object_id", "object_repr", "before", "after",
                "reason", "source"]

SQLITE = [
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (NEW.user_id IS NULL AND OLD.user_id IS NOT NULL AND
              {" AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in KEPT_COLUMNS)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refused)'); END""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refused)'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_entry_no_update", "DROP TRIGGER IF EXISTS audit_entry_no_delete"]

POSTGRESQL = [
    f"""CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL AND OLD.user_id IS NOT NULL
           AND to_jsonb(NEW) - 'user_id' = to_jsonb(OLD) - 'user_id' THEN
            RETURN NEW;  -- the user was deleted; the entry keeps the username
        END IF;
        RAISE EXCEPTION '{MESSAGE} (% refused on audit entry %)', TG_OP, OLD.id
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Record a new entry instead (attain.apps.audit.services.record).';
    END $$""",
    f"""CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
                   "DROP FUNCTION IF EXISTS audit_entry_append_only()"]


def create(apps, schema_editor):
    """Create the triggers on SQLite and PostgreSQL (the databases Attain runs on)."""
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"the append-only audit log has no triggers for {schema_editor.connection.vendor}: "
                                  "Attain runs on SQLite or PostgreSQL")
    for statement in statements:
        schema_editor.execute(statement, params=None)  # None: the % in the PL/pgSQL are not placeholders


def drop(apps, schema_editor):
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
