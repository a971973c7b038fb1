"""What the browser tests share: calculations run in a thread of the test server, and screenshots.

Screenshots go to docs/screenshots/ only when ATTAIN_SCREENSHOTS=1 (to refresh the README's pictures);
otherwise into the test's own folder, so a test run leaves the tree as it was.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.db import connections

from attain.apps.calc import jobs

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def shot(page, name: str, tmp_path: Path) -> None:
    folder = SHOTS if os.environ.get("ATTAIN_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(folder / name), full_page=True)


class ThreadRunner:
    """A calculation job in a thread of the test server, with a connection of its own to the test database (the
    live server's threads share its database; a separate process would not see the test's data)."""

    started: list[threading.Thread] = []

    def start(self, run) -> None:
        def work() -> None:
            try:
                jobs.perform(run.pk)
            finally:
                connections["default"].close()

        thread = threading.Thread(target=work, daemon=True)
        self.started.append(thread)
        thread.start()

    @classmethod
    def wait(cls) -> None:
        """Every run started has ended (its last step, the lineage files, before the database is emptied)."""
        for thread in cls.started:
            thread.join(timeout=30)
        cls.started.clear()
