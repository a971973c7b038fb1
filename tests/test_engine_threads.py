"""The engine on several threads at once (a web server's estimates): each thread runs on a DuckDB connection of its
own (attain.engine.threads), so concurrent calculations neither fail nor hang and each earns what it earns alone.
Before, two estimates at once on the one default connection failed with "Attempting to execute an unsuccessful or
closed pending query result" or hung."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ibis

from attain.engine.threads import PerThreadBackend, per_thread


def test_the_site_gives_each_thread_its_own_backend():
    per_thread()  # idempotent: the site's app config has installed it already
    backend = ibis.options.default_backend
    assert isinstance(backend, PerThreadBackend)
    here = backend.current()
    assert backend.current() is here and ibis.get_backend().con is here.con
    with ThreadPoolExecutor(2) as pool:
        there = pool.submit(backend.current).result()
    assert there is not here and there.name == "duckdb"


SIX_AT_ONCE = """
import threading
from attain.engine.calculate import calculate
from attain.engine.plans import load_plan
from attain.engine.threads import per_thread
from tests.test_fast_path import PLAN, seen, world

per_thread()
plan, _ = load_plan(PLAN)
worlds = {seed: world(seed) for seed in (1, 2, 3)}
alone = {seed: seen(calculate(plan, inputs, estimate=True)) for seed, inputs in worlds.items()}
start, done = threading.Barrier(6), []

def estimate(seed):
    start.wait(timeout=30)  # all six begin together
    done.append((seed, [seen(calculate(plan, worlds[seed], estimate=True)) for _ in range(3)]))

threads = [threading.Thread(target=estimate, args=(1 + i % 3,)) for i in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(done) == 6 and all(results == [alone[seed]] * 3 for seed, results in done)
print("six calculations at once, each as alone")
"""


def test_calculations_on_six_threads_at_once_earn_what_each_earns_alone():
    """In a process of its own with a time limit: on one shared connection the threads deadlock (holding the
    interpreter), and the test must then fail, not hang."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", SIX_AT_ONCE], cwd=root, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "src")])})
    assert (done.returncode, done.stdout.strip()) == (0, "six calculations at once, each as alone"), done.stderr
