"""Errors in plan expressions: values with a position, a caret picture and a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ExpressionError(ValueError):
    """A plan expression that cannot be read, is of the wrong type, or is too large.

    `message` says what is wrong, `position` is the 0-based column in `text`, `hint` says how to
    fix it. `str()` shows all three with a caret under the column.
    """

    def __init__(self, message: str, position: int, text: str, hint: str = "") -> None:
        self.message = message
        self.position = position
        self.text = text
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        first = f"{self.message} at column {self.position}"
        if self.hint:
            first += f"; {self.hint}"
        shown = self.text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        return f"{first}\n  {shown}\n  {' ' * self.position}^"


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest valid name to a misspelled one, or None if nothing is close."""
    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str], fallback: str) -> str:
    """A hint naming the nearest valid name, or the fallback advice."""
    match = nearest(name, candidates)
    return f"did you mean '{match}'?" if match else fallback
