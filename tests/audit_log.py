"""Tests only: the append-only audit log emptied, for tests that commit outside the per-test transaction."""

from __future__ import annotations

import importlib


def empty_audit_log() -> None:
    """Tests only: empty the append-only audit log (on SQLite its triggers lifted for that moment), for a test
    that commits outside the per-test transaction and must leave the database as it found it."""
    from django.db import connection, transaction

    triggers = importlib.import_module("attain.apps.audit.migrations.0002_append_only_triggers")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute(f"TRUNCATE {triggers.TABLE}")
            return
        for statement in [*triggers.SQLITE_DROP, f"DELETE FROM {triggers.TABLE}", *triggers.SQLITE]:
            cursor.execute(statement)

