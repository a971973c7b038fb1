"""Checks of `attain check`: the calculation engine always; with --deploy, production settings (Django's own
security checks run too)."""

from __future__ import annotations

import importlib.util
import os
import shutil

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connection


@register()
def attain_engine_check(app_configs, **kwargs):
    """ATTAIN_ENGINE names an engine this installation can start (Spark needs PySpark and Java)."""
    engine = settings.ATTAIN_ENGINE
    if engine not in ("duckdb", "spark"):
        return [Error(f"ATTAIN_ENGINE is {engine!r}.", hint="Set it to duckdb (the default) or spark.",
                      id="attain.E001")]
    if engine == "duckdb":
        return []
    missing = []
    if importlib.util.find_spec("pyspark") is None:
        missing.append("PySpark (pip install 'attain[spark]')")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        missing.append("Java 17 or newer (JAVA_HOME, or java on the PATH)")
    return [Error(f"ATTAIN_ENGINE is spark but {' and '.join(missing)} cannot be found: calculations would fail.",
                  hint="Install them, or set ATTAIN_ENGINE=duckdb; see docs/scale-out.md.", id="attain.E002")
            ] if missing else []


@register(Tags.security, deploy=True)
def attain_deploy_checks(app_configs, **kwargs):
    warnings = []
    if not os.environ.get("ATTAIN_SECRET_KEY"):
        warnings.append(Warning(
            "ATTAIN_SECRET_KEY is not set: the key generated under var/secret_key is used.",
            hint="Set ATTAIN_SECRET_KEY to a long random value kept in your secret store.",
            id="attain.W001",
        ))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warnings.append(Warning(
            "The embedded SQLite database is in use.",
            hint="For several users or large data set ATTAIN_DATABASE_URL=postgresql://user:password@host/db.",
            id="attain.W002",
        ))
    if settings.DEBUG:
        warnings.append(Warning(
            "ATTAIN_DEBUG is on: error pages show code and settings.",
            hint="Unset ATTAIN_DEBUG or set it to 0 in production.",
            id="attain.W003",
        ))
    if not settings.SECURE_SSL_REDIRECT:
        warnings.append(Warning(
            "ATTAIN_HTTPS is off: cookies may travel over plain HTTP.",
            hint="Serve Attain behind HTTPS and set ATTAIN_HTTPS=1 (secure cookies, HSTS, redirect to HTTPS).",
            id="attain.W004",
        ))
    warnings += _audit_log_owner()
    return warnings


def _audit_log_owner() -> list[Warning]:
    """On PostgreSQL, whether the app's role may TRUNCATE the audit log or drop its triggers (it owns the table)."""
    if connection.vendor != "postgresql":
        return []
    from attain.apps.audit.models import AuditEntry

    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner = current_user OR has_table_privilege(current_user, %s, 'TRUNCATE'), "
                       "current_user FROM pg_catalog.pg_tables WHERE tablename = %s", [table, table])
        found = cursor.fetchone()
    if found is None or not found[0]:
        return []
    return [Warning(
        f"The database role {found[1]!r} owns the audit log table {table} or may TRUNCATE it: TRUNCATE and DROP "
        "TRIGGER bypass the log's append-only triggers.",
        hint="Run `attain migrate` as the owner role, and the app as a role that owns no table, granted only "
             "SELECT, INSERT, UPDATE, DELETE (and USAGE on the sequences); see docs/audit.md.",
        id="attain.W005",
    )]
