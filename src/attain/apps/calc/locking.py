"""One piece of work on a period at a time: calculation, approval, payment and close take its lock.

The lock dies with its holder, so a run killed midway never blocks the next one:
- on PostgreSQL it is a session advisory lock (released when the connection closes);
- on SQLite (one machine) it is an exclusive `flock` on a file beside the database (released by the
  operating system when the process ends).
Work that finds the lock taken fails at once with a message naming the period; nothing waits.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

NAMESPACE = 0x41545431  # "ATT1": keeps Attain's advisory locks apart from other applications' on the server


class PeriodBusy(RuntimeError):
    """Another run holds the period's lock."""


@contextmanager
def period_lock(period) -> Iterator[None]:
    """Hold the period's lock for the block, or raise PeriodBusy at once."""
    holder = _advisory if connection.vendor == "postgresql" else _file_lock
    with holder(period.pk, f"{period.name} is busy: another calculation, approval or payment of it is running. "
                           "Wait for it to finish, then try again"):
        yield


@contextmanager
def _advisory(key: int, busy: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, key])
        if not cursor.fetchone()[0]:
            raise PeriodBusy(busy)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, key])


@contextmanager
def _file_lock(key: int, busy: str) -> Iterator[None]:
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    path = Path(settings.VAR_DIR) / "locks" / f"{database}-period-{key}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PeriodBusy(busy) from None
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock
