"""Check a table against an entity's columns: every problem with its row, column, value and a reason.

Parsing is column-wise and parses each distinct cell once, so a million rows with repeated dates,
codes and amounts validate in seconds.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from attain.io.kinds import BadValue
from attain.io.problems import Problem
from attain.io.reading import Table
from attain.io.schema import Column, Entity

EMPTY = object()


@dataclass
class Parsed:
    """The table's values by column (every column of the entity), and the rows found invalid."""

    entity: Entity
    table: Table
    values: dict[str, list[Any]]
    present: list[str]
    problems: list[Problem] = field(default_factory=list)
    invalid: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    broken: set[int] = field(default_factory=set)  # rows that could not be split into cells: reported once

    def reject(self, index: int, column: str | None, reason: str, value: str | None = None) -> None:
        if index in self.broken:
            return
        if value is None and column in self.present:
            value = self.table.columns[self.table.header.index(column)][index]
        self.problems.append(Problem(self.table.file, self.table.row_numbers[index], column, value, reason))
        self.invalid.add(index)

    @property
    def valid_rows(self) -> list[int]:
        return [i for i in range(len(self.table)) if i not in self.invalid]

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None]


def validate(table: Table, entity: Entity) -> Parsed:
    parsed = Parsed(entity, table, {}, [], list(table.problems), set(), list(table.warnings))
    for problem in table.problems:
        if problem.row is not None:
            parsed.invalid.add(table.row_numbers.index(problem.row))
            if problem.column is None:
                parsed.broken.add(table.row_numbers.index(problem.row))
    _check_header(parsed)
    if parsed.file_problems:
        parsed.invalid.update(range(len(table)))
        return parsed
    for column in entity.columns:
        parsed.values[column.name] = _parse_column(parsed, column)
    for rule in entity.rules:
        for index, (column, reason) in sorted(rule(parsed.values).items()):
            parsed.reject(index, column, reason)
    _check_duplicate_keys(parsed)
    return parsed


def _check_header(parsed: Parsed) -> None:
    header, entity, file = parsed.table.header, parsed.entity, parsed.table.file
    known = [c.name for c in entity.columns]
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            parsed.problems.append(Problem(file, None, name, name, f"the column {name!r} appears twice in the header: "
                                                                "delete or rename one of them"))
        seen.add(name)
        if name in known:
            parsed.present.append(name)
        elif name:
            parsed.warnings.append(f"ignored the unknown column {name!r}{_nearest(name, known)}")
    for name in entity.required:
        if name not in seen:
            parsed.problems.append(Problem(file, None, name, None, f"the required column {name!r} is missing"
                                                              f"{_nearest(name, header, 'the file has')}: add it "
                                                              "to the header (docs/data-formats.md lists the columns)"))


def _nearest(name: str, candidates: list[str], lead: str = "did you mean") -> str:
    lowered = {c.lower(): c for c in candidates if c}
    close = difflib.get_close_matches(name.lower().replace(" ", "_"), list(lowered), n=1, cutoff=0.6)
    return f" ({lead} {lowered[close[0]]!r}?)" if close else ""


def _parse_column(parsed: Parsed, column: Column) -> list[Any]:
    if column.name not in parsed.present:
        return [column.default] * len(parsed.table)
    cells = parsed.table.columns[parsed.table.header.index(column.name)]
    outcomes = {cell: _parse_cell(column, cell) for cell in dict.fromkeys(cells)}
    bad = {cell for cell, outcome in outcomes.items() if isinstance(outcome, BadValue) or
           (outcome is EMPTY and column.required)}
    if bad:
        _report_bad_cells(parsed, column, cells, bad, outcomes)
    defaults = {cell: column.default for cell, outcome in outcomes.items() if outcome is EMPTY or cell in bad}
    outcomes.update(defaults)
    return list(map(outcomes.__getitem__, cells))


def _parse_cell(column: Column, cell: str) -> Any:
    text = cell.strip()
    if not text:
        return EMPTY
    try:
        return column.kind.parse(text)
    except BadValue as bad:
        return bad


def _report_bad_cells(parsed: Parsed, column: Column, cells: list[str], bad: set[str], outcomes: dict) -> None:
    for index, cell in enumerate(cells):
        if cell in bad:
            outcome = outcomes[cell]
            reason = (f"{column.name} is required but empty: fill it in (e.g. {column.example})"
                      if outcome is EMPTY else f"{_quote(cell)} {outcome}")
            parsed.reject(index, column.name, reason, cell)


def _quote(cell: str) -> str:
    return repr(cell if len(cell) <= 40 else cell[:40] + "…")


def _check_duplicate_keys(parsed: Parsed) -> None:
    key_columns = [parsed.values[name] for name in parsed.entity.key]
    if len(key_columns) == 1 and len(set(key_columns[0])) == len(key_columns[0]):
        return  # the common case, checked at C speed
    first_seen: dict[tuple, int] = {}
    for index, key in enumerate(zip(*key_columns, strict=True)):
        if index in parsed.invalid:
            continue
        earlier = first_seen.setdefault(key, index)
        if earlier != index:
            shown = ", ".join(f"{n}={v}" for n, v in zip(parsed.entity.key, key, strict=True) if v is not None)
            parsed.reject(index, parsed.entity.key[0], f"the same record ({shown}) is already in row "
                          f"{parsed.table.row_numbers[earlier]}: keep one row per record", shown)
