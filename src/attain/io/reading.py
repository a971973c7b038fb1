"""Read a CSV, Excel (.xlsx) or Parquet file into a table of text cells, or say why it cannot be read."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from attain.io.encoding import decode
from attain.io.problems import Problem, UnreadableFile

MAX_CELL = 10_000
READERS = (".csv", ".txt", ".xlsx", ".parquet")


@dataclass
class Table:
    """Cells as text, column by column; `row_numbers[i]` is row i's number in the file (header = row 1)."""

    file: str
    header: list[str]
    columns: list[list[str]]
    row_numbers: list[int]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def row(self, index: int) -> list[str]:
        return [column[index] for column in self.columns]


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if not path.exists():
        raise UnreadableFile(path.name, f"there is no file at {path}: check the path")
    if suffix not in READERS:
        raise UnreadableFile(path.name, f"cannot read {suffix or 'files without an extension'}: "
                                        "give a .csv, .xlsx or .parquet file")
    if path.stat().st_size == 0:
        raise UnreadableFile(path.name, "the file is empty: export the data again with a header row")
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".parquet":
        return read_parquet(path)
    return read_csv(path)


def read_csv(path: Path) -> Table:
    text, warning = decode(path.read_bytes(), path.name)
    csv.field_size_limit(max(MAX_CELL * 100, 1_000_000))  # larger cells are reported, not raised
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFile(path.name, "the file is empty: export the data again with a header row")
        rows = list(reader)
    except csv.Error as failure:
        where = f"near line {reader.line_num}"
        raise UnreadableFile(path.name, f"the CSV cannot be split into cells {where} ({failure}); a cell is "
                                        f"longer than {MAX_CELL:,} characters or a quote is not closed") from None
    return _table(path.name, header, rows, [warning] if warning else [])


def _table(file: str, header: list[str], rows: list[list[str]], warnings: list[str], first_row: int = 2) -> Table:
    header = [h.strip() for h in header]
    if not any(header):
        raise UnreadableFile(file, "the first row (the header) is empty: put the column names in row 1")
    width, problems = len(header), []
    numbers = list(range(first_row, first_row + len(rows)))
    if not all(rows):  # blank lines: skipped, but later rows keep their numbers
        numbers = [n for n, row in zip(numbers, rows, strict=True) if row]
        rows = [row for row in rows if row]
    if any(len(row) != width for row in rows):
        rows = [_fit(file, row, width, number, problems) for number, row in zip(numbers, rows, strict=True)]
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in header]
    _report_giant_cells(file, header, columns, numbers, problems)
    return Table(file, header, columns, numbers, problems, warnings)


def _fit(file: str, row: list[str], width: int, number: int, problems: list[Problem]) -> list[str]:
    """The row padded or cut to the header's width; a problem when it did not fit."""
    if len(row) == width:
        return row
    problems.append(Problem(file, number, None, None, f"has {len(row)} cells but the header has {width}: "
                            "check for a missing or extra separator or an unclosed quote"))
    return (row + [""] * width)[:width]


def _report_giant_cells(file, header, columns, numbers, problems) -> None:
    for name, column in zip(header, columns, strict=True):
        if max(map(len, column), default=0) <= MAX_CELL:
            continue
        for index, cell in enumerate(column):
            if len(cell) > MAX_CELL:
                problems.append(Problem(file, numbers[index], name, cell[:40] + "…",
                                        f"the cell holds {len(cell):,} characters; at most {MAX_CELL:,} are "
                                        "allowed: shorten it"))
                column[index] = cell[:MAX_CELL + 1]


def cell_text(value: object) -> str:
    """A spreadsheet or Parquet value as text, exactly (floats by their shortest decimal form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as failure:
        raise UnreadableFile(path.name, f"this is not a readable .xlsx workbook ({type(failure).__name__}): "
                                        "open it in Excel and save it again as .xlsx") from None
    try:
        sheet = book.worksheets[0]
        rows = iter(sheet.iter_rows(values_only=True))
        header = next(rows, None)
        if header is None:
            raise UnreadableFile(path.name, "the first sheet is empty: put a header row in row 1")
        body = [[cell_text(v) for v in row] for row in rows]
    finally:
        book.close()
    while body and not any(body[-1]):
        body.pop()
    width = len([h for h in header if h is not None]) or len(header)
    body = [(cells + [""] * width)[:width] if not any(cells[width:]) else cells for cells in body]
    warnings = [f"read the first sheet ({sheet.title!r}) only"] if len(book.sheetnames) > 1 else []
    return _table(path.name, [cell_text(h) for h in header[:width]], body, warnings)


def read_parquet(path: Path) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as failure:
        raise UnreadableFile(path.name, f"this is not a readable Parquet file ({failure}): export it again") from None
    columns = [[cell_text(v) for v in data.column(i).to_pylist()] for i in range(data.num_columns)]
    rows = [list(r) for r in zip(*columns, strict=True)] if data.num_rows else []
    return _table(path.name, list(data.column_names), rows, [], first_row=1)
