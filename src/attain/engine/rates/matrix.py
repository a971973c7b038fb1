"""Matrix (two-dimensional) rate tables: a rate by band of measure A (rows) × band of measure B (columns).

    {"rows": {"measure": "attainment", "bands": [{"from": 0, "to": 1}, {"from": 1}]},
     "columns": {"measure": "margin", "bands": [{"from": 0, "to": 0.3}, {"from": 0.3}]},
     "rates": [[0.03, 0.04], [0.05, 0.07]]}

Both axes are half-open bands validated like tiers; each axis takes its measure's value in the
measure's own terms (attainment as a fraction, e.g. 1.3 for 130%). The rate found applies to a base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.rates.bands import Band, check_bands, find_band, parse_bands
from attain.engine.rates.errors import RateError, require_valid
from attain.engine.rates.explain import Step
from attain.engine.rates.numbers import plain, read_number, show_amount, show_percent, to_number
from attain.engine.rates.tiers import tier_label


@dataclass(frozen=True)
class Axis:
    measure: str
    bands: tuple[Band, ...]


def _axis(d: object, name: str) -> tuple[Axis | None, list[RateError]]:
    if not isinstance(d, Mapping) or not d.get("measure"):
        return None, [RateError(f"bad_{name}", f"matrix {name} need {{measure: <name>, bands: [...]}}")]
    bands, errors = parse_bands(d.get("bands"), f"{name[:-1]} band", (), one_of=False)
    errors = errors or check_bands(bands, f"{name[:-1]} band")
    return Axis(d["measure"], tuple(bands)), errors


def _rates(raw: object, rows: int, cols: int) -> tuple[list[list[Decimal]], list[RateError]]:
    if not isinstance(raw, Sequence) or len(raw) != rows or any(not isinstance(r, Sequence) or len(r) != cols for r in raw):
        return [], [RateError("matrix_shape", f"matrix 'rates' must be {rows} rows of {cols} rates (one row per row band, one rate per column band)")]
    grid, errors = [], []
    for i, row in enumerate(raw):
        grid.append([])
        for j, value in enumerate(row):
            rate, problem = read_number(value, f"rate in row {i + 1}, column {j + 1}")
            errors += [RateError("not_a_number", problem, i)] if problem else []
            grid[-1].append(rate)
    return grid, errors


@dataclass(frozen=True)
class MatrixTable:
    rows: Axis
    columns: Axis
    rates: tuple[tuple[Decimal, ...], ...]

    @classmethod
    def from_dict(cls, d: Mapping) -> tuple[MatrixTable | None, list[RateError]]:
        rows, errors = _axis(d.get("rows"), "rows")
        columns, found = _axis(d.get("columns"), "columns")
        errors += found
        if errors:
            return None, errors
        grid, errors = _rates(d.get("rates"), len(rows.bands), len(columns.bands))
        return (None, errors) if errors else (cls(rows, columns, tuple(map(tuple, grid))), [])

    @classmethod
    def load(cls, d: Mapping) -> MatrixTable:
        return require_valid(*cls.from_dict(d))

    def apply(self, row_value: object, column_value: object, base: object,
              quotas: tuple[Decimal | None, Decimal | None] = (None, None)) -> Step | RateError:
        """The rate in the cell holding (row_value, column_value), applied to the base.

        An axis with a quota in `quotas` is on attainment: its value is an amount, compared exactly with
        the band bounds × the quota (no division), and read as a percentage of the quota.
        """
        a, b, amount = to_number(row_value), to_number(column_value), to_number(base)
        i, j = _find(self.rows, a, quotas[0]), _find(self.columns, b, quotas[1])
        if i is None or j is None:
            axis, value = (self.rows, a) if i is None else (self.columns, b)
            return RateError("below_bands", f"{axis.measure} {plain(value)} is below the first band; start the bands lower")
        rate = self.rates[i][j]
        where = f"{_cell(self.rows, i, a, quotas[0])} × {_cell(self.columns, j, b, quotas[1])}"
        text = f"{show_amount(amount)} at {show_percent(rate)} ({where}) = {show_amount(rate * amount)}"
        return Step("matrix", amount, rate * amount, text)


def _find(axis: Axis, value: Decimal, quota: Decimal | None) -> int | None:
    if quota is None:
        return find_band(axis.bands, value)
    scaled = [Band(None if b.lower is None else b.lower * quota, None if b.upper is None else b.upper * quota, b.values)
              for b in axis.bands]
    return find_band(scaled, value)


def _cell(axis: Axis, index: int, value: Decimal, quota: Decimal | None) -> str:
    if quota is None:
        return f"{axis.measure} {tier_label(axis.bands[index], 'count', False)}"
    reading = (value / quota).quantize(Decimal("0.001"))  # for reading only; bands compared amounts
    return f"{axis.measure} {show_percent(reading)} ({tier_label(axis.bands[index], 'attainment', False)} of quota)"
