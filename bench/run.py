"""Run the benchmarks: every bench/<name>.py, or the one named on the command line.

Each benchmark is a script that prints one line per figure:
    NAME: VALUE UNIT (target OP VALUE)
and exits non-zero when a figure misses its target.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> dict[str, Path]:
    return {p.stem: p for p in sorted(HERE.glob("*.py")) if p.stem not in {"run", "common"} and not p.stem.startswith("_")}


def main(argv: list[str]) -> int:
    available = benchmarks()
    chosen = argv or list(available)
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"No benchmark named {', '.join(unknown)}; choose from: {', '.join(available)}", file=sys.stderr)
        return 2
    failed = []
    for name in chosen:
        print(f"# {name}", flush=True)
        if subprocess.call([sys.executable, str(available[name])], cwd=HERE.parent) != 0:
            failed.append(name)
    if failed:
        print(f"Missed target or failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
