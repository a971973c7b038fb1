"""Deployment checks added to `attain check --deploy` (Django's own security checks run too)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
    return warnings
