import os
import shutil
import tempfile

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("ATTAIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if CI:
        raise pytest.UsageError(f"CI=true but Chromium is missing at {CHROMIUM}: .ci/run installs Debian's chromium")
    skip = pytest.mark.skip(reason=f"browser suite skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """The SQLite test database is a file, not Django's shared in-memory one: its connections then lock and wait
    as in production (WAL, a busy timeout) instead of failing at once with "database table is locked" when a
    calculation's thread writes while the live server reads. It lives in memory (/dev/shm) where there is one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        yield
        return
    folder = tempfile.mkdtemp(prefix="attain-test-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    database.setdefault("TEST", {})["NAME"] = os.path.join(folder, "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One local Spark engine (two cores) for the whole run: it takes seconds to start. Not made the default
    backend: a test runs on it within `backends.using(spark)`. Without PySpark or Java: skipped, or with CI=true
    an error."""
    from attain.engine import backends

    try:
        import pyspark  # noqa: F401
    except ImportError:
        why = "no PySpark (pip install -e '.[spark]')"
    else:
        why = None if shutil.which("java") or os.environ.get("JAVA_HOME") else "no Java (apt-get install default-jre-headless)"
    if why:
        if CI:
            pytest.fail(f"CI=true but the Spark suite cannot run: {why}", pytrace=False)
        pytest.skip(f"Spark suite skipped: {why}")
    from attain.engine.spark import SparkBackend

    backend = SparkBackend()
    backend.do_connect(backends.spark_session("local[2]", str(tmp_path_factory.mktemp("spark-warehouse"))))
    yield backend
    backend._session.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Files a test writes (run lineage, rejects) go to its own folder, never to the project's var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"  # uploads (adjustments', disputes' attachments) too


@pytest.fixture(autouse=True)
def _audit_log_emptied_before_the_flush(request):
    """A transactional test (live_server, transaction=True) ends with Django's flush, which on SQLite DELETEs
    every table; the audit log's append-only triggers refuse that. Empty the log first, its triggers lifted
    for that moment only. (PostgreSQL's flush truncates, which row triggers do not see.)"""
    marker = request.node.get_closest_marker("django_db")
    if not ((marker and marker.kwargs.get("transaction")) or
            {"transactional_db", "live_server"} & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before this fixture, so its flush runs after
    yield
    from django.db import connection

    from tests.audit_log import empty_audit_log

    if connection.vendor == "sqlite":
        empty_audit_log()


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Calculations started from the web app or the API run within the request (tests/test_workspace_jobs.py starts
    one real background process)."""
    settings.ATTAIN_JOB_RUNNER = "inline"


@pytest.fixture(autouse=True)
def _process_caches_emptied():
    """What the web app keeps in memory between requests is keyed by database ids, which a test's rolled-back
    rows give out again: each test starts with nothing kept."""
    from attain.apps.portal import credits, estimator, finance_cache, team

    estimator._kept.clear()
    finance_cache.forget()
    credits._recent_rows.cache_clear()
    team._earnings_of.cache_clear()
