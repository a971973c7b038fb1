"""Start Django for a CLI command (kept out of import time so `attain --help` stays fast)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attain.site.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    from attain.apps.org.roles import ensure_roles

    ensure_roles()
