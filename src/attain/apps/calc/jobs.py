"""Calculation runs started from the web app or the API, carried out away from the request.

`start_calculation` checks the month can be calculated now, records the run (running, step "Waiting to
start") while it holds the period's lock, and hands it to the job runner named by the setting
`ATTAIN_JOB_RUNNER` (`attain.site.settings`):

- `process` (the default): a separate OS process, `python -m attain.cli.main calc PERIOD --job RUN`, which
  never blocks a web worker and outlives the request. Its output goes to VAR_DIR/jobs/run-N.log.
- `inline`: in the calling process, before the call returns (tests, and one-off scripts).

Either way the run reports its progress into the database as it goes (`step`, `steps_done`,
`steps_total`), so a page or an API client polls the run to follow it. A run whose process died
(killed, out of memory) is marked failed with the reason when it is next looked at (`settle`), and the
next calculation of the month marks it interrupted anyway (`services._interrupted`). Another runner
(e.g. one handing the run to Spark) is a class with `start(run)` added to `RUNNERS`.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import ibis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connections
from django.utils import timezone

from attain.apps.calc import restatement
from attain.apps.calc.lake import Sources, configured_sources, spark_warehouse
from attain.apps.calc.locking import PeriodBusy, period_lock
from attain.apps.calc.models import CalculationRun
from attain.apps.calc.services import CalculationError, calculate_period, check_calculable, find_period
from attain.apps.core.models import Period
from attain.apps.plans.models import PlanVersion
from attain.engine import backends

logger = logging.getLogger(__name__)
RUNNING = CalculationRun.Status.RUNNING
WAITING = "Waiting to start"
STARTING_GRACE = timedelta(seconds=60)  # a run recorded but not yet handed to its process
SPARK_POLL = 3  # seconds between looks at what Spark is doing
BUSY_RETRIES, BUSY_PAUSE = 20, 0.5  # the lock may be held a moment by a request checking the month


def start_calculation(name: str, *, user=None) -> CalculationRun:
    """Record a run of the month and start it in the background; CalculationError says why not now."""
    period = find_period(name)
    check_calculable(period)
    try:
        with period_lock(period):
            _refuse_if_running(period)
            run = CalculationRun.objects.create(period=period, created_by=user, step=WAITING,
                                                steps_total=expected_steps(period), engine=configured_engine())
    except PeriodBusy as busy:
        raise CalculationError(str(busy)) from None
    runner().start(run)
    run.refresh_from_db()
    return run


def expected_steps(period: Period) -> int:
    """One step per published plan version, saving, keeping the credits, comparing booked months if any, and
    starting the engine when it is not the embedded one."""
    versions = PlanVersion.objects.filter(PlanVersion.valid_on(period.end_date), status="published").count()
    starting = 0 if settings.ATTAIN_ENGINE == "duckdb" else 1
    return versions + 2 + (1 if restatement.months_to_restate(period) else 0) + starting


def configured_engine() -> str:
    """The engine background runs are handed to (settings ATTAIN_ENGINE and ATTAIN_SPARK_MASTER), as runs name it."""
    return backends.describe(settings.ATTAIN_ENGINE, settings.ATTAIN_SPARK_MASTER or None)


def _refuse_if_running(period: Period) -> None:
    for run in CalculationRun.objects.filter(period=period, status=RUNNING).select_related("created_by"):
        if settle(run).status == RUNNING:
            who = f" by {run.created_by}" if run.created_by_id else ""
            raise CalculationError(f"{period.name} is being calculated already (run {run.pk}, started{who} at "
                                   f"{timezone.localtime(run.started_at):%H:%M:%S}): wait for it to finish")


def perform(run_id: int, worker: str = "", engine: str | None = None, master: str | None = None,
            sources: Sources | None = None) -> int:
    """Carry out a recorded run (in whatever process the runner chose); 0 when it succeeded.

    `worker` (host:pid) names the process doing it, so a page can tell when that process has died.
    `engine` (and `master`): start that engine in this process first (otherwise: the one it has). `sources`:
    the transactions come from the data lake (calc.lake; by default, as the settings say)."""
    run = CalculationRun.objects.select_related("period", "created_by").get(pk=run_id)
    if run.status != RUNNING:
        return 1  # already settled (e.g. marked failed while it waited)
    if worker:
        run.worker = worker
        CalculationRun.objects.filter(pk=run.pk).update(worker=worker)
    report = Reporter(run)
    if engine and backends.current().split(" ")[0] != engine:  # "spark (local[*])": started already
        report(f"Starting {backends.describe(engine, master)}")
        try:
            backends.use_engine(engine, master, spark_warehouse())
        except backends.EngineUnavailable as unavailable:
            fail(run, str(unavailable))
            return 1
    with report.watching(ibis.options.default_backend):
        return _carry_out(run, report, sources or configured_sources())


def _carry_out(run: CalculationRun, report: Reporter, sources: Sources | None) -> int:
    for attempt in range(BUSY_RETRIES):
        try:
            calculate_period(run.period.name, user=run.created_by, progress=report, run=run, sources=sources)
        except CalculationError as refused:
            # the lock taken for a moment by a request checking the month: try again (PeriodBusy is the context)
            if isinstance(refused.__context__, PeriodBusy) and attempt < BUSY_RETRIES - 1:
                time.sleep(BUSY_PAUSE)
                continue
            fail(run, str(refused))
            return 1
        except Exception as failure:
            fail(run, f"the calculation stopped: {failure}")
            raise
        report.finished()
        return 0
    return 1


class Reporter:
    """The progress callback: each step begun is written to the run (the one before it is done).

    On Spark, while `watching`, a thread adds what the cluster is doing to the step every few seconds
    ("… (Spark stage 12: 3 of 8 tasks)"): a long plan's step shows it is moving."""

    def __init__(self, run: CalculationRun) -> None:
        self.run, self.begun = run, ""
        self._lock = threading.Lock()

    def __call__(self, step: str) -> None:
        with self._lock:
            run = self.run
            if run.step != WAITING:
                run.steps_done += 1
            self.begun = run.step = step[:200]
            run.steps_total = max(run.steps_total, run.steps_done + 1)
            self._write()

    def detail(self, activity: str) -> None:
        with self._lock:
            if self.begun and self.run.step != "Done":
                self.run.step = f"{self.begun} ({activity})"[:200]
                self._write()

    @contextmanager
    def watching(self, backend) -> Iterator[None]:
        if getattr(backend, "name", None) != "pyspark":
            yield
            return
        stop = threading.Event()

        def watch() -> None:
            try:
                while not stop.wait(SPARK_POLL):
                    activity = backends.spark_activity(backend)
                    if activity:
                        self.detail(activity)
            finally:
                connections.close_all()

        watcher = threading.Thread(target=watch, daemon=True, name=f"watch-run-{self.run.pk}")
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join(timeout=10)

    def finished(self) -> None:
        with self._lock:
            self._finish()

    def _finish(self) -> None:
        self.run.steps_done = self.run.steps_total = max(self.run.steps_total, self.run.steps_done)
        self.run.step = "Done"
        self._write()

    def _write(self) -> None:
        """An update of these fields only (the run's own save writes the rest). Progress is advice: a database
        busy beyond its timeout skips this report (the next one catches up) rather than stopping the calculation."""
        run = self.run
        try:
            CalculationRun.objects.filter(pk=run.pk).update(step=run.step, steps_done=run.steps_done,
                                                            steps_total=run.steps_total)
        except OperationalError as busy:
            logger.warning("run %s: progress %r not recorded (%s)", run.pk, run.step, busy)


def fail(run: CalculationRun, reason: str) -> None:
    """Mark the run failed with the reason, unless it has already ended."""
    CalculationRun.objects.filter(pk=run.pk, status=RUNNING).update(
        status=CalculationRun.Status.FAILED, error=reason, finished_at=timezone.now())


def settle(run: CalculationRun) -> CalculationRun:
    """The run as it is: one still marked running whose process has ended is failed, with the reason."""
    if run.status != RUNNING:
        return run
    host, _, pid = run.worker.rpartition(":")
    if not run.worker:
        dead = run.step == WAITING and timezone.now() - run.started_at > STARTING_GRACE
    else:
        dead = host == socket.gethostname() and not _alive(int(pid), run.pk)
    if dead:
        fail(run, "the calculation process ended before it finished (killed, or out of memory); none of its "
                  f"results were kept. {_last_words(run)}Calculate the month again.")
        run.refresh_from_db()
    return run


def _alive(pid: int, run_id: int) -> bool:
    """Whether process `pid` is still this run's calculation (not ended, not a zombie, not another program)."""
    proc = Path(f"/proc/{pid}")
    if not proc.exists():
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return not Path("/proc").exists()  # without /proc, a live pid is the best we know
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        arguments = (proc / "cmdline").read_bytes().split(b"\0")
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X") and b"--job" in arguments and str(run_id).encode() in arguments


def log_path(run: CalculationRun) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"run-{run.pk}.log"


def _last_words(run: CalculationRun) -> str:
    """The last line the process wrote (its error), if it left one."""
    try:
        lines = [line for line in log_path(run).read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f"It said: {lines[-1][:300]}. " if lines else ""


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class InlineRunner:
    """Carry the run out in this process, before `start` returns; a failure is the run's, not the caller's."""

    def start(self, run: CalculationRun) -> None:
        try:
            perform(run.pk)
        except Exception:  # recorded on the run as failed, with its error
            logger.exception("calculation run %s failed", run.pk)


class ProcessRunner:
    """Carry the run out in a new OS process (`attain calc PERIOD --job RUN`), with this process's environment."""

    def start(self, run: CalculationRun) -> None:
        log = log_path(run)
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "attain.cli.main", "calc", run.period.name, "--job", str(run.pk),
                   "--engine", settings.ATTAIN_ENGINE]
        if settings.ATTAIN_SPARK_MASTER:
            command += ["--master", settings.ATTAIN_SPARK_MASTER]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                      "attain.site.settings")}
        with log.open("ab") as output:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                       env=env, start_new_session=True)
        CalculationRun.objects.filter(pk=run.pk).update(worker=f"{socket.gethostname()}:{process.pid}")
        threading.Thread(target=process.wait, daemon=True, name=f"reap-run-{run.pk}").start()  # no zombie left


RUNNERS = {"inline": InlineRunner, "process": ProcessRunner}


def runner():
    name = getattr(settings, "ATTAIN_JOB_RUNNER", "process")
    if name not in RUNNERS:
        raise ImproperlyConfigured(f"ATTAIN_JOB_RUNNER is {name!r}: choose one of {', '.join(RUNNERS)}")
    return RUNNERS[name]()
