"""A paid month's books are made once and kept while nothing they are read from changes (portal/finance_cache.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from attain.apps.payments.models import AccountingPolicy
from attain.apps.portal import finance_books, finance_cache
from tests import portal_world

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage


@pytest.fixture
def made(monkeypatch):
    """How many times the month's journal entries were made."""
    calls = []
    real = finance_books.journal_entries

    def counted(name, chart=None):
        calls.append(name)
        return real(name, chart)

    monkeypatch.setattr(finance_books, "journal_entries", counted)
    return calls


def test_the_books_are_made_once_and_again_when_the_accounts_change(world, lineage, made):
    first = finance_books.trial_balance("FY2026-M02")
    assert finance_books.trial_balance("FY2026-M02") == first and made == ["FY2026-M02"]
    assert finance_books.journal_download("FY2026-M02").content == finance_books.journal_download("FY2026-M02").content
    assert made == ["FY2026-M02", "FY2026-M02"]  # the trial balance and the file: each made once

    # February's accruals post to the commission expense account (6100 by default); renamed, the books are made again
    AccountingPolicy.objects.create(chart={"commission_expense": {"code": "6150", "name": "Sales commissions"}})
    again = finance_books.trial_balance("FY2026-M02")
    assert len(made) == 3
    # 13,000.00 accrued in February (Ada 10,000.00, Bo 3,000.00: tests/portal_world.py)
    assert [(r.account_code, r.account_name, r.debits) for r in again if r.debits and r.account_code.startswith("6")
            ] == [("6150", "Sales commissions", Decimal("13000.00"))]
    assert [r.account_code for r in first if r.account_code.startswith("6")] == ["6100"]
    assert "Sales commissions" in finance_books.journal_download("FY2026-M02").content.decode()
    assert len(made) == 4


def test_another_worker_process_reads_the_books_the_first_one_kept(world, lineage, made, settings):
    first = finance_books.trial_balance("FY2026-M02")
    journal = finance_books.journal_download("FY2026-M02")
    finance_cache.forget()  # another process: nothing in its memory
    assert finance_books.trial_balance("FY2026-M02") == first
    assert finance_books.journal_download("FY2026-M02") == journal
    assert made == ["FY2026-M02", "FY2026-M02"]  # read from VAR_DIR/books, not made again
    [folder] = (settings.VAR_DIR / "books").iterdir()
    assert sorted(p.name.split("-")[0] for p in folder.iterdir()) == ["journal", "trial"]
    for kept in folder.iterdir():
        kept.unlink()
    finance_cache.forget()
    assert finance_books.trial_balance("FY2026-M02") == first and len(made) == 3  # gone: made again
