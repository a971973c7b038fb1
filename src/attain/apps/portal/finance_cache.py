"""A paid month's books (its trial balance and journal file) kept in memory between views while nothing they are
made from has changed.

A month's journal holds an entry per deferred commission it amortises (tens of thousands in a year of the
demo company), so making it takes about a second. The key names everything the books are read from: the
month and its state, its payment runs, the kept deferred-commission months, commissions and cancellations, and
the accounting policy. A new payment run, a month kept again (a new policy) or a changed chart gives a new key,
so a stale figure is never shown; the oldest books are dropped past `KEPT` months.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

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
            tuple(PaymentRun.objects.filter(period=period).order_by("pk").values_list("pk", flat=True)),
            tuple(months.aggregate(n=Count("pk"), last=Max("pk"), made=Max("created_at")).values()),
            tuple(commissions.aggregate(n=Count("pk"), last=Max("pk")).values()),
            tuple(KeptCommission.objects.filter(cancelled_in__period=period).order_by("pk").values_list("pk", flat=True)),
            tuple(AccountingPolicy.objects.order_by("pk").values_list(
                "pk", "practical_expedient", "expense_up_to_months", "expected_renewal_months", "chart")))


def kept_books(kind: str, period: Period, make: Callable[[], T]) -> T:
    """`make()`'s result for the month's books of this kind, made again only when what they are read from changed."""
    key = (kind, repr(books_key(period)))
    with _lock:
        if key in _books:
            _books.move_to_end(key)
            return _books[key]
    made = make()
    with _lock:
        _books[key] = made
        while len(_books) > KEPT:
            _books.popitem(last=False)
    return made


def forget() -> None:
    with _lock:
        _books.clear()
