"""Helpers for benchmark scripts: time work and print figures as `NAME: VALUE UNIT (target OP VALUE)`."""

from __future__ import annotations

import operator
import time
from collections.abc import Callable
from contextlib import contextmanager

OPS: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


class Figures:
    def __init__(self) -> None:
        self.missed: list[str] = []

    def report(self, name: str, value: float, unit: str, op: str | None = None, target: float | None = None) -> None:
        line = f"{name}: {value:,.2f} {unit}"
        if op is not None and target is not None:
            line += f" (target {op} {target:g})"
            if not OPS[op](value, target):
                self.missed.append(name)
                line += "  MISSED"
        print(line, flush=True)

    def exit_code(self) -> int:
        return 1 if self.missed else 0


@contextmanager
def stopwatch():
    started = time.perf_counter()
    box = {}
    yield box
    box["seconds"] = time.perf_counter() - started
