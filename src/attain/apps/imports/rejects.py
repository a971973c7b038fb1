"""The rejects file: the rejected rows with their original columns and a `reason` column."""

from __future__ import annotations

import csv
from pathlib import Path

from attain.io.kinds import looks_like_formula
from attain.io.validate import Parsed


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula so it shows as text."""
    return "'" + cell if looks_like_formula(cell) else cell


def rejects_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}.rejects.csv")


def write_rejects(parsed: Parsed, path: Path) -> Path:
    reasons: dict[int, list[str]] = {}
    for problem in parsed.problems:
        if problem.row is not None:
            label = f"{problem.column}: {problem.reason}" if problem.column else problem.reason
            reasons.setdefault(problem.row, []).append(label)
    table = parsed.table
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([neutralise(h) for h in table.header] + ["reason"])
        for index in sorted(parsed.invalid):
            number = table.row_numbers[index]
            writer.writerow([neutralise(c) for c in table.row(index)] + [neutralise("; ".join(reasons.get(number, [])))])
    return path
