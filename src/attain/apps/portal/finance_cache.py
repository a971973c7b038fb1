"""A paid month's books (its trial balance and journal file) kept between views while nothing they are made from
has changed: in memory, and in VAR_DIR for the server's other worker processes.

A month's journal holds an entry per deferred commission it amortises (tens of thousands in a year of the
demo company), so making it takes a second or two. The key names everything the books are read from: the
month and its state, its payment runs, the kept deferred-commission months, commissions and cancellations, and
the accounting policy. A new payment run, a month kept again (a new policy) or a changed chart gives a new key,
so a stale figure is never shown. In memory the oldest books are dropped past `KEPT`; in VAR_DIR
(`books/<month>/<kind>-<key digest>`, written whole and renamed) a month keeps only its latest books of a kind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Protocol, TypeVar

from django.conf import settings
from django.db.models import Count, Max

from attain.apps.core.models import Period
from attain.apps.payments.models import AccountingPolicy, DeferredMonth, KeptCommission, PaymentRun

KEPT = 24
T = TypeVar("T")
_books: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def books_key(period: Period) -> tuple:
    """What the month's books are made from, in a few small queries."""
    months = DeferredMonth.objects.filter(period__calendar_id=period.calendar_id,
                                          period__start_date__lte=period.start_date)
    commissions = KeptCommission.objects.filter(month__in=months)
    return (period.pk, period.state,
            # with their times: ids start again after a demo reset, times do not
            tuple(PaymentRun.objects.filter(period=period).order_by("pk").values_list("pk", "created_at")),
            tuple(months.aggregate(n=Count("pk"), last=Max("pk"), made=Max("created_at")).values()),
            tuple(commissions.aggregate(n=Count("pk"), last=Max("pk")).values()),
            tuple(KeptCommission.objects.filter(cancelled_in__period=period).order_by("pk").values_list("pk", flat=True)),
            tuple(AccountingPolicy.objects.order_by("pk").values_list(
                "pk", "practical_expedient", "expense_up_to_months", "expected_renewal_months", "chart")))


class Stored(Protocol[T]):
    """How one kind of books is written to a file and read back (bytes, exactly)."""

    def dump(self, books: T) -> bytes: ...

    def load(self, data: bytes) -> T: ...


def kept_books(kind: str, period: Period, make: Callable[[], T], stored: Stored[T]) -> T:
    """`make()`'s result for the month's books of this kind, made again only when what they are read from changed."""
    digest = hashlib.sha256(repr(books_key(period)).encode()).hexdigest()
    key = (kind, digest)
    with _lock:
        if key in _books:
            _books.move_to_end(key)
            return _books[key]
    path = _path(period, kind, digest)
    try:
        made = stored.load(path.read_bytes())
    except FileNotFoundError:
        made = make()
        _write(path, stored.dump(made))
    with _lock:
        _books[key] = made
        while len(_books) > KEPT:
            _books.popitem(last=False)
    return made


def _path(period: Period, kind: str, digest: str) -> Path:
    month = "".join(c for c in period.name if c.isalnum() or c in "-_")
    return Path(settings.VAR_DIR) / "books" / f"{month}-{period.pk}" / f"{kind.replace(' ', '-')}-{digest}"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    prefix = path.name.rsplit("-", 1)[0] + "-"
    for older in path.parent.glob(prefix + "*"):
        if older != path and not older.name.endswith(".part"):
            older.unlink(missing_ok=True)


def forget() -> None:
    with _lock:
        _books.clear()
