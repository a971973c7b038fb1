"""The web app's speed: server time at the 95th percentile under 20 concurrent users (target ≤ 300 ms).

Serves the demo company with the real server (`attain serve`, waitress) on 127.0.0.1 and drives it
with 20 virtual users at once, each signed in as a demo role (rep, manager, comp admin, finance,
executive) and requesting that role's pages and API calls back to back, without pause, for
ATTAIN_BENCH_WEB_SECONDS (default 60). Server time is what the app reports in its `Server-Timing`
header (the time Django spent on the request); the client's time is printed beside it.

The database: ATTAIN_BENCH_WEB_VAR names a var dir with the demo loaded (`attain demo --no-serve
--through FY2026-M03`); without it, one is made in a temporary folder first (a few minutes).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import Figures  # noqa: E402

ATTAIN = str(Path(sys.executable).with_name("attain"))
USERS = int(os.environ.get("ATTAIN_BENCH_WEB_USERS", 20))
SECONDS = float(os.environ.get("ATTAIN_BENCH_WEB_SECONDS", 60))
TARGET_MS = 300
PASSWORD = "attain-demo"
# how the 20 users are made up: most people using the app are reps and managers
MIX = ["rep"] * 8 + ["manager"] * 5 + ["compadmin"] * 3 + ["finance"] * 2 + ["executive"] * 2
TIMING = re.compile(r"app;dur=([0-9.]+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepared_var_dir(folder: str) -> str:
    given = os.environ.get("ATTAIN_BENCH_WEB_VAR")
    if given:
        return given
    print("Loading the demo company and paying January to March (a few minutes)…", flush=True)
    env = {**os.environ, "ATTAIN_VAR_DIR": folder}
    subprocess.run([ATTAIN, "demo", "--no-serve", "--through", "FY2026-M03"], env=env, check=True,
                   stdout=subprocess.DEVNULL, cwd=folder)
    return folder


def role_urls(var_dir: str) -> dict[str, list[str]]:
    """Each role's pages, with real ids from the demo database (read in a child process, as Django)."""
    script = ROOT / "bench" / "_web_urls.py"
    env = {**os.environ, "ATTAIN_VAR_DIR": var_dir, "PYTHONPATH": str(ROOT / "src")}
    found = subprocess.run([sys.executable, str(script)], env=env, check=True, capture_output=True, text=True)
    urls: dict[str, list[str]] = defaultdict(list)
    for line in found.stdout.splitlines():
        role, url = line.split(" ", 1)
        urls[role].append(url)
    return urls


@contextmanager
def server(var_dir: str, port: int):
    env = {**os.environ, "ATTAIN_VAR_DIR": var_dir}
    options = os.environ.get("ATTAIN_BENCH_WEB_SERVE", "").split()  # e.g. "--threads 2 --workers 3"
    process = subprocess.Popen([ATTAIN, "serve", "--host", "127.0.0.1", "--port", str(port), *options], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=var_dir)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within a minute")


class Session:
    """One signed-in user: cookies kept, CSRF token sent as Django expects."""

    def __init__(self, base: str, username: str) -> None:
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"{base}/login/", data=form.encode(), headers={"Referer": f"{base}/login/"})
        landed = self.opener.open(request)
        if landed.geturl().rstrip("/").endswith("/login"):
            raise SystemExit(f"{username} could not sign in: is the demo loaded in this var dir?")

    def get(self, url: str) -> tuple[float, float | None, int]:
        """(client ms, server ms from Server-Timing or None, status)."""
        started = time.perf_counter()
        try:
            response = self.opener.open(self.base + url, timeout=60)
            response.read()
            status, header = response.status, response.headers.get("Server-Timing", "")
        except urllib.error.HTTPError as error:
            status, header = error.code, error.headers.get("Server-Timing", "")
        client = (time.perf_counter() - started) * 1000
        found = TIMING.search(header or "")
        return client, float(found.group(1)) if found else None, status


def drive(base: str, urls: dict[str, list[str]]) -> dict[str, list[tuple[float, float | None, int]]]:
    """Run the users for SECONDS; every request's timings, per URL pattern."""
    results: dict[str, list] = defaultdict(list)
    sessions = [Session(base, role) for role in MIX[:USERS]]  # signing in is not measured
    for session, role in zip(sessions, MIX, strict=False):  # nor the first request of each page (a cold start)
        for url in urls[role]:
            session.get(url)
    lock, stop = threading.Lock(), time.perf_counter() + SECONDS

    def user(session: Session, role: str) -> None:
        i = 0
        while time.perf_counter() < stop:
            url = urls[role][i % len(urls[role])]
            timing = session.get(url)
            with lock:
                results[f"{role} {pattern(url)}"].append(timing)
            i += 1

    threads = [threading.Thread(target=user, args=(s, role)) for s, role in zip(sessions, MIX, strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def pattern(url: str) -> str:
    """The URL with ids and period names replaced, to group requests by page."""
    url = re.sub(r"FY\d{4}-M\d{2}", "{period}", url)
    return re.sub(r"/(E\d+|\d+)(?=/|$)", "/{id}", url)


def p95(values: list[float]) -> float:
    if not values:
        raise SystemExit("no request was made: raise ATTAIN_BENCH_WEB_SECONDS")
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="attain-bench-web-") as folder:
        var_dir = prepared_var_dir(folder)
        urls = role_urls(var_dir)
        with server(var_dir, free_port()) as base:
            results = drive(base, urls)
    every, clients, errors = [], [], 0
    print(f"{'page (role, URL)':70} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 client':>10}")
    for name, timings in sorted(results.items()):
        server_ms = [s if s is not None else c for c, s, _ in timings]
        client_ms = [c for c, _, _ in timings]
        errors += sum(1 for _, _, status in timings if status >= 500)
        every += server_ms
        clients += client_ms
        print(f"{name[:70]:70} {len(timings):8} {statistics.median(server_ms):8.1f} {p95(server_ms):8.1f} "
              f"{p95(client_ms):10.1f}")
    figures.report("requests", len(every), "requests")
    figures.report("throughput", len(every) / SECONDS, "requests/s")
    figures.report("server errors (5xx)", errors, "responses", "<=", 0)
    worst = max((p95([s if s is not None else c for c, s, _ in t]) for t in results.values()), default=0)
    figures.report("p95 server time, all requests", p95(every), "ms", "<=", TARGET_MS)
    figures.report("p95 server time, slowest page", worst, "ms", "<=", TARGET_MS)
    figures.report("p95 client time, all requests (with the queue in front of the app)", p95(clients), "ms")
    return figures.exit_code()


if __name__ == "__main__":
    sys.exit(main())
