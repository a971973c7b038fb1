"""Generated rows: plain dicts keyed by model field names, foreign keys given by natural key.

Generation is pure (no Django) so it can be fingerprinted and tested without a database; the
loader (`attain.demo.load`) turns the rows into model instances.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

AS_OF = date(2026, 11, 30)  # the demo company's "today": data runs to the end of November 2026
FIRST_DAY = date(2025, 1, 1)
CORPORATE_CURRENCY = "USD"

Row = dict[str, object]


@dataclass
class Table:
    """The rows of one model, in load order; `model` is an app label and model name (sales.Transaction)."""

    model: str
    rows: list[Row] = field(default_factory=list)

    def add(self, **row: object) -> Row:
        self.rows.append(row)
        return row


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per generator step, so steps do not shift each other."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    """One key drawn with the given weights (a fast scalar draw)."""
    draw, total = rng.random() * sum(weights.values()), 0.0
    for key, weight in weights.items():
        total += weight
        if draw < total:
            return key
    return key


def cents(value: float) -> Decimal:
    """An exact amount from a generated float, rounded to cents once, here."""
    return Decimal(int(round(value * 100))).scaleb(-2)


def whole(value: float, step: int = 1000) -> Decimal:
    """An exact amount rounded to a whole step (quotas, targets)."""
    return Decimal(int(round(value / step)) * step)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(d) for d in range((end - start).days + 1)]


def fingerprint(tables: list[Table]) -> str:
    """A hash of every generated row (same seed → same hash)."""
    digest = hashlib.sha256()
    for table in tables:
        digest.update(table.model.encode())
        digest.update(repr(table.rows).encode())  # dict order is the generator's, so stable too
    return digest.hexdigest()
