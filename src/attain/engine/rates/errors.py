"""Errors as values: every problem in a rate table has a code, a place and an actionable message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RateError:
    """One problem found in a table (at save time) or in its inputs (at apply time).

    `index` is the 0-based position of the tier, point or band concerned (None for the table as a
    whole); messages count from 1, as plan authors do ("tier 2").
    """

    code: str
    message: str
    index: int | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class PlanError(ValueError):
    """Raised by the `load` constructors when a plan document has errors; carries them all."""

    def __init__(self, errors: list[RateError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


def require_valid(obj, errors: list[RateError]):
    """Return obj when there are no errors, else raise PlanError with all of them."""
    if errors:
        raise PlanError(errors)
    return obj
