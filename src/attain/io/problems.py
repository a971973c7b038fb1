"""Problems found in an import file: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem: `row` is the row number as a spreadsheet shows it (the header is row 1)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class UnreadableFile(Exception):
    """The file cannot be read at all (binary, wrong encoding, empty, no header...)."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.problem = Problem(file, None, None, None, reason)
