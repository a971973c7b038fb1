"""Half-open ranges `[from, to)` shared by tiers, kicker bands and matrix bands.

A value exactly at a boundary belongs to the higher range. A lower bound of None means −∞ (only the
first range may have it); an upper bound of None means +∞ (only the last range may, and the last
must, so that no value falls outside the table and silently earns nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.rates.errors import RateError
from attain.engine.rates.numbers import UNBOUNDED, plain, read_number


@dataclass(frozen=True)
class Band:
    """A half-open range `[lower, upper)` with the values attached to it (rate, multiplier...)."""

    lower: Decimal | None  # None: −∞
    upper: Decimal | None  # None: +∞
    values: Mapping[str, Decimal]

    def contains(self, x: Decimal) -> bool:
        return (self.lower is None or self.lower <= x) and (self.upper is None or x < self.upper)


def find_band(bands: Sequence[Band], x: Decimal) -> int | None:
    """Index of the band holding x (the higher band at a boundary), or None below the first."""
    for i, band in enumerate(bands):
        if band.contains(x):
            return i
    return None


def _read_bound(item: Mapping, key: str, label: str, i: int, errors: list[RateError]) -> Decimal | None:
    raw = item.get(key)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in UNBOUNDED):
        return None
    number, problem = read_number(raw, f"{label} {i + 1} '{key}'")
    if problem:
        errors.append(RateError("not_a_number", problem, i))
    return number


def parse_bands(items: object, label: str, value_keys: Sequence[str], one_of: bool) -> tuple[list[Band], list[RateError]]:
    """Bands from plain dicts `{"from": .., "to": .., <value key>: ..}`; errors collected, not raised.

    `one_of`: exactly one of `value_keys` must be given (rate or amount); else all are required.
    """
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        return [], [RateError(f"no_{label}s", f"give a non-empty list of {label}s, each with 'from', 'to' and {' or '.join(repr(k) for k in value_keys)}")]
    bands, errors = [], []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.append(RateError(f"bad_{label}", f"{label} {i + 1} is {item!r}; write it as a mapping with 'from' and 'to'", i))
            continue
        errors += _unknown_keys(item, {"from", "to", *value_keys}, label, i)
        if "from" not in item:
            errors.append(RateError("missing_from", f"{label} {i + 1} has no 'from'; give its lower bound (the first may be '-inf')", i))
        if isinstance(item.get("from"), str) and item["from"].strip().lower() in {"inf", "+inf", "infinity"}:
            errors.append(RateError("not_a_number", f"{label} {i + 1} 'from' cannot be +inf", i))
        lower = _read_bound(item, "from", label, i, errors)
        upper = _read_bound(item, "to", label, i, errors)
        values = _read_values(item, value_keys, one_of, label, i, errors)
        bands.append(Band(lower, upper, values))
    return bands, errors


def _unknown_keys(item: Mapping, allowed: set[str], label: str, i: int) -> list[RateError]:
    unknown = sorted(str(k) for k in item if k not in allowed)
    if not unknown:
        return []
    return [RateError("unknown_field", f"{label} {i + 1} has unknown field {', '.join(repr(k) for k in unknown)}; use {', '.join(sorted(allowed))}", i)]


def _read_values(item: Mapping, keys: Sequence[str], one_of: bool, label: str, i: int, errors: list[RateError]) -> dict[str, Decimal]:
    given = [k for k in keys if item.get(k) is not None]
    if one_of and len(given) != 1:
        choice = " or ".join(repr(k) for k in keys)
        problem = "has both " + " and ".join(repr(k) for k in given) if given else "has no " + choice
        errors.append(RateError("payout_form", f"{label} {i + 1} {problem}; give exactly one of {choice}", i))
    if not one_of:
        for k in keys:
            if k not in given:
                errors.append(RateError(f"missing_{k}", f"{label} {i + 1} has no {k!r}; give it as a number", i))
    values = {}
    for k in given:
        number, problem = read_number(item[k], f"{label} {i + 1} {k!r}")
        if problem:
            errors.append(RateError("not_a_number", problem, i))
        else:
            values[k] = number
    return values


def check_bands(bands: Sequence[Band], label: str, allow_minus_infinity: bool = True) -> list[RateError]:
    """Save-time checks: sorted, start at 0 (or −∞), no gaps, no overlaps, only the last open-ended.

    Unsorted input is flagged (never sorted silently) and reported alone: it is the root cause.
    """
    if not bands:
        return []
    unsorted = _check_order(bands, label)
    if unsorted:
        return unsorted
    errors = _check_each(bands, label) + _check_start(bands[0], label, allow_minus_infinity)
    if not errors:
        for i in range(1, len(bands)):
            errors += _check_pair(bands[i - 1], bands[i], i, label)
    if bands[-1].upper is not None:
        last = len(bands)
        errors.append(RateError("last_closed", f"the last {label} ({label} {last}) ends at {plain(bands[-1].upper)}; leave its 'to' empty so values from {plain(bands[-1].upper)} up are covered", last - 1))
    return errors


def _check_order(bands: Sequence[Band], label: str) -> list[RateError]:
    for i in range(1, len(bands)):
        before, start = bands[i - 1].lower, bands[i].lower
        if before is not None and start is not None and start < before:
            return [RateError("unsorted", f"{label} {i + 1} starts at {plain(start)}, below {label} {i} (from {plain(before)}); list {label}s from lowest to highest", i)]
    return []


def _check_each(bands: Sequence[Band], label: str) -> list[RateError]:
    errors = []
    for i, band in enumerate(bands):
        if i > 0 and band.lower is None:
            errors.append(RateError("minus_infinity_not_first", f"{label} {i + 1} starts at -inf; only the first {label} may", i))
        if band.lower is not None and band.upper is not None and band.upper <= band.lower:
            errors.append(RateError("empty_range", f"{label} {i + 1} runs from {plain(band.lower)} to {plain(band.upper)}; 'to' must be greater than 'from'", i))
        if band.upper is None and i < len(bands) - 1:
            errors.append(RateError("open_ended_not_last", f"{label} {i + 1} has no 'to' (open-ended) but is not the last {label}; give it a 'to' or move it last", i))
    return errors


def _check_start(first: Band, label: str, allow_minus_infinity: bool) -> list[RateError]:
    if first.lower == 0 or (first.lower is None and allow_minus_infinity):
        return []
    start = "-inf" if first.lower is None else plain(first.lower)
    extra = " (or at -inf to rate negative values itself)" if allow_minus_infinity else ""
    return [RateError("bad_start", f"{label} 1 starts at {start}; the first {label} must start at 0{extra}", 0)]


def _check_pair(before: Band, band: Band, i: int, label: str) -> list[RateError]:
    end, start = before.upper, band.lower
    if end is None or start is None:
        return []  # reported by _check_each
    if start > end:
        return [RateError("gap", f"{label} {i + 1} starts at {plain(start)} but {label} {i} ends at {plain(end)}: values in [{plain(end)}, {plain(start)}) match no {label}; make {label} {i + 1} start at {plain(end)}", i)]
    if start < end:
        return [RateError("overlap", f"{label} {i + 1} starts at {plain(start)} but {label} {i} ends at {plain(end)}: they overlap on [{plain(start)}, {plain(end)}); make {label} {i + 1} start at {plain(end)}", i)]
    return []
