"""Effective dating: records valid from a day to a day (both inclusive; an open end is None)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Span:
    """A validity interval, both ends inclusive; `valid_to=None` means open-ended."""

    key: Hashable
    valid_from: date
    valid_to: date | None
    ref: object = None  # what the caller wants back in error reports (a row number, a primary key)

    def contains(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: Span) -> bool:
        return (other.valid_to is None or self.valid_from <= other.valid_to) and (
            self.valid_to is None or other.valid_from <= self.valid_to
        )

    def describe(self) -> str:
        return f"{self.valid_from.isoformat()} – {self.valid_to.isoformat() if self.valid_to else 'open'}"


def span_errors(span: Span) -> list[str]:
    if span.valid_to is not None and span.valid_to < span.valid_from:
        return [f"valid_to {span.valid_to} is before valid_from {span.valid_from}; swap them or correct the dates"]
    return []


def find_overlaps(spans: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Pairs of spans with the same key whose validity overlaps (sorted sweep, O(n log n) per key)."""
    by_key: dict[Hashable, list[Span]] = {}
    for span in spans:
        by_key.setdefault(span.key, []).append(span)
    clashes = []
    for group in by_key.values():
        group.sort(key=lambda s: s.valid_from)
        latest: Span | None = None  # the span reaching furthest so far
        for span in group:
            if latest is not None and latest.overlaps(span):
                clashes.append((latest, span))
            if latest is None or latest.valid_to is not None and (span.valid_to is None or span.valid_to > latest.valid_to):
                latest = span
    return clashes


def as_of(spans: Iterable[Span], day: date) -> list[Span]:
    """The spans valid on a day."""
    return [s for s in spans if s.contains(day)]
