"""The home's recent credits are read from the run's lineage files once per process and person, and read again
when a file is written again (tests/portal_world.py: March's run counted Ada's year to date: A-1, A-2 and A-3)."""

from __future__ import annotations

import os

import duckdb
import pytest

from attain.apps.calc.lineage import lineage_path
from attain.apps.calc.models import CalculationRun
from attain.apps.portal import credits
from tests import portal_world

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage


@pytest.fixture
def reads(monkeypatch):
    """How many times the lineage files are opened with DuckDB."""
    opened, real = [], duckdb.connect

    def connect(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    credits._recent_rows.cache_clear()
    monkeypatch.setattr(credits.duckdb, "connect", connect)
    yield opened
    credits._recent_rows.cache_clear()


def test_the_credits_are_read_once_and_again_after_the_file_is_written_again(world, lineage, reads):
    march = CalculationRun.objects.get(period__name="FY2026-M03")
    first = credits.recent_credits(march.pk, ["E2"], "E-1")
    again = credits.recent_credits(march.pk, ["E2"], "E-1")
    # the year to date's credits, the newest first: A-3 50,000, A-2 200,000, A-1 250,000
    assert [(c.external_id, str(c.credit_date), c.value) for c in first] == [
        ("A-3", "2026-03-10", 50000), ("A-2", "2026-02-15", 200000), ("A-1", "2026-01-20", 250000)]
    assert again == first and len(reads) == 1
    assert credits.recent_credits(march.pk, ["E2"], "E-2") == [] and len(reads) == 2  # another person: read
    path = lineage_path(march.pk, "E2")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # as if written again
    assert credits.recent_credits(march.pk, ["E2"], "E-1") == first and len(reads) == 3
    assert credits.recent_credits(march.pk, ["NOPLAN"], "E-1") is None and len(reads) == 3  # not kept: not cached
