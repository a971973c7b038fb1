"""Payroll export files: payment lines as CSV in the layout the payroll system imports.

A `PayrollRow` is one amount to pay one employee under one earning code, already rounded to the
currency's minor unit (the payment ledger rounds once; nothing here rounds). A `Layout` is data: its
columns (from a row field, from a company setting such as ADP's company code, or a constant), its date
format and its line ending; `payroll_layouts` holds the layouts we ship. Files are UTF-8 (the caller
opens the stream with encoding="utf-8" and newline=""), start with a header row, end every line with
the layout's line ending ("\\r\\n", as RFC 4180 says) and list rows by employee id, then earning code.
Amounts are written like 1234.56, with exactly the currency's minor units, never in scientific
notation, negative with a leading minus. `split_by` makes one file per pay group and pay date;
`check_rows` returns the problems that would make a file wrong, as values.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Context, Decimal, localcontext
from typing import TextIO

WIDE = Context(prec=100)  # quantize never fails on an amount this wide
# ISO 4217 currencies without 2 minor units; any other code has 2. The application passes its own table.
ISO_MINOR_UNITS = {**dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
                                    "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
                   **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3), "CLF": 4, "UYW": 4}


class PayrollExportError(ValueError):
    """A payroll file that cannot be written; the message says what, where and how to fix it."""


@dataclass(frozen=True)
class PayrollRow:
    """One amount to pay one employee under one earning code, on one pay date."""

    employee_id: str  # the payroll system's id of the employee (ADP file number, Workday employee id)
    payee_name: str
    pay_group: str  # the payroll system's pay group: one file per pay group and pay date
    pay_date: date
    earning_code: str  # the payroll system's earning code (or one-time payment plan) for commission
    amount: Decimal  # already rounded to the currency's minor unit
    currency: str
    period: str  # the pay period paid, e.g. FY2026-M04
    reference: str  # the Attain payment line it comes from


ROW_FIELDS = tuple(f.name for f in fields(PayrollRow))
TEXT_FIELDS = ("employee_id", "payee_name", "pay_group", "earning_code", "period", "reference")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a layout: its header and where its value comes from (a row field, a setting or text)."""

    header: str
    field: str = ""  # a PayrollRow field
    setting: str = ""  # a key of the settings given to write_payroll_csv
    constant: str = ""  # the text written when neither field nor setting is named
    meaning: str = ""  # what the setting is, for error messages and the documentation

    def __post_init__(self) -> None:
        if self.field and self.setting:
            raise PayrollExportError(f"column {self.header!r} takes its value from a field or a setting, not both")
        if self.field and self.field not in ROW_FIELDS:
            raise PayrollExportError(f"column {self.header!r} reads {self.field!r}, which is not a payroll row field; "
                                     f"use one of {', '.join(ROW_FIELDS)}")


def from_row(header: str, field: str) -> Column:
    return Column(header, field=field)


def from_setting(header: str, key: str, meaning: str) -> Column:
    return Column(header, setting=key, meaning=meaning)


def fixed(header: str, text: str = "") -> Column:
    return Column(header, constant=text)


@dataclass(frozen=True)
class Layout:
    """A payroll file layout: its columns in order, date format, employee id rule and line ending."""

    name: str
    description: str
    columns: tuple[Column, ...]
    date_format: str = "%Y-%m-%d"  # strftime format of every date column
    employee_id_pattern: str = ""  # a regular expression the whole employee id must match; "" for any
    employee_id_rule: str = ""  # the same rule in words
    line_ending: str = "\r\n"

    def settings_needed(self) -> dict[str, str]:
        """The settings this layout reads, each with what it means."""
        return {c.setting: c.meaning for c in self.columns if c.setting}

    def cells(self, row: PayrollRow, settings: Mapping[str, object], minor_units: int) -> list[str]:
        return [self._cell(column, row, settings, minor_units) for column in self.columns]

    def _cell(self, column: Column, row: PayrollRow, settings: Mapping[str, object], minor_units: int) -> str:
        if column.setting:
            return str(settings[column.setting])
        if not column.field:
            return column.constant
        value = getattr(row, column.field)
        if column.field == "amount":
            return format_amount(value, minor_units)
        if column.field == "pay_date":
            return value.strftime(self.date_format)
        return str(value)


def format_amount(amount: Decimal, minor_units: int = 2) -> str:
    """1234.5 → '1234.50': exactly `minor_units` decimals, no exponent, no '-0'; refuses to round."""
    with localcontext(WIDE):
        shown = amount.quantize(Decimal(1).scaleb(-minor_units))
    if shown != amount:
        raise PayrollExportError(f"{amount} has more than {minor_units} decimals; round it once to the currency's "
                                 "minor unit (attain.engine.money.round_money) before the export")
    return format(abs(shown) if not shown else shown, "f")


def minor_units_of(currency: str, table: Mapping[str, int] | None = None) -> int:
    """The currency's minor units: from `table` when it has the currency, else ISO 4217 (2 for most)."""
    if table is not None and currency in table:
        return table[currency]
    return ISO_MINOR_UNITS.get(currency, 2)


@dataclass(frozen=True)
class RowProblem:
    """Something that would make a payroll file wrong: a code, the row (or None) and what to do."""

    code: str  # missing_employee_id, employee_id_format, missing_earning_code, missing_pay_group, formula_like,
    #            bad_pay_date, bad_currency, bad_amount, too_many_decimals, mixed_currencies
    row: int | None  # 1-based position in the rows given; None for a problem of a whole file
    message: str


def check_rows(rows: Iterable[PayrollRow], layout: Layout | None = None,
               minor_units: Mapping[str, int] | None = None) -> list[RowProblem]:
    """What would make the files wrong: each row, then one currency per file (pay group and pay date)."""
    rows = list(rows)
    problems = [p for number, row in enumerate(rows, 1) for p in _row_problems(number, row, layout, minor_units)]
    for (group, day), currencies in _currencies_per_file(rows).items():
        if len(currencies) > 1:
            counts = ", ".join(f"{code} ({count} row{'s' if count > 1 else ''})"
                               for code, count in sorted(currencies.items()))
            problems.append(RowProblem("mixed_currencies", None, f"pay group {group} paid on {day} has rows in "
                                       f"{counts}; a payroll file pays in one currency: convert the rows or give "
                                       "each currency its own pay group"))
    return problems


def _row_problems(number: int, row: PayrollRow, layout: Layout | None,
                  minor_units: Mapping[str, int] | None) -> list[RowProblem]:
    where = f"row {number} ({row.reference or 'no reference'}, {row.payee_name or 'no name'})"
    found = _text_problems(number, where, row, layout)
    if not isinstance(row.pay_date, date):
        found.append(RowProblem("bad_pay_date", number, f"{where}: pay date {row.pay_date!r} is not a date"))
    if not isinstance(row.currency, str) or not re.fullmatch(r"[A-Z]{3}", row.currency):
        found.append(RowProblem("bad_currency", number, f"{where}: {row.currency!r} is not an ISO 4217 currency "
                                "code such as USD or EUR"))
    return found + _amount_problems(number, where, row, minor_units)


def _text_problems(number: int, where: str, row: PayrollRow, layout: Layout | None) -> list[RowProblem]:
    found = []
    for name, what in (("employee_id", "employee id"), ("earning_code", "earning code"), ("pay_group", "pay group")):
        if not str(getattr(row, name) or "").strip():
            found.append(RowProblem(f"missing_{name}", number, f"{where} has no {what}; set it in the payee's "
                                    "payroll details before the export"))
    employee_id = str(row.employee_id or "").strip()
    if layout and layout.employee_id_pattern and employee_id and \
            not re.fullmatch(layout.employee_id_pattern, row.employee_id):
        found.append(RowProblem("employee_id_format", number, f"{where}: employee id {row.employee_id!r} does not "
                                f"suit the {layout.name} layout ({layout.employee_id_rule})"))
    for name in TEXT_FIELDS:
        value = getattr(row, name)
        if isinstance(value, str) and value[:1] in FORMULA_STARTS and not re.fullmatch(r"[-+]?\d+(\.\d+)?", value):
            found.append(RowProblem("formula_like", number, f"{where}: {name} {value!r} starts like a spreadsheet "
                                    "formula, which a spreadsheet opening the file would run; correct the value"))
    return found


def _amount_problems(number: int, where: str, row: PayrollRow, table: Mapping[str, int] | None) -> list[RowProblem]:
    if not isinstance(row.amount, Decimal) or not row.amount.is_finite():
        return [RowProblem("bad_amount", number, f"{where}: amount {row.amount!r} is not a Decimal amount; pass "
                           "Decimal('1234.56'), never a float")]
    units = minor_units_of(row.currency, table)
    with localcontext(WIDE):
        exact = row.amount == row.amount.quantize(Decimal(1).scaleb(-units))
    if exact:
        return []
    return [RowProblem("too_many_decimals", number, f"{where}: amount {row.amount} has more decimals than "
                       f"{row.currency}'s {units}; round it once to the minor unit (the payment ledger's rounded "
                       "amount) before the export")]


def _currencies_per_file(rows: list[PayrollRow]) -> dict[tuple[str, date], dict[str, int]]:
    found: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        found[(row.pay_group, row.pay_date)][row.currency] += 1
    return found


@dataclass(frozen=True)
class PayrollFile:
    """The rows of one file: one pay group, one pay date, in file order."""

    name: str  # payroll-<pay group>-<pay date>.csv
    pay_group: str
    pay_date: date
    rows: tuple[PayrollRow, ...]


def split_by(rows: Iterable[PayrollRow]) -> list[PayrollFile]:
    """One file per pay group and pay date, in that order, named payroll-<group>-<YYYY-MM-DD>.csv."""
    groups: dict[tuple[str, date], list[PayrollRow]] = defaultdict(list)
    for row in rows:
        groups[(row.pay_group, row.pay_date)].append(row)
    files, named = [], {}
    for (group, day), grouped in sorted(groups.items()):
        name = f"payroll-{_file_part(group)}-{day.isoformat()}.csv"
        if name in named:
            raise PayrollExportError(f"pay groups {named[name]!r} and {group!r} would both be written to {name}; "
                                     "rename one of them in the payroll settings")
        named[name] = group
        files.append(PayrollFile(name, group, day, tuple(sorted(grouped, key=_file_order))))
    return files


def _file_part(group: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", group).encode("ascii", "ignore").decode()
    part = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not part:
        raise PayrollExportError(f"pay group {group!r} has no letter or digit to name its file; give the pay "
                                 "group a name such as US-Monthly")
    return part


def _file_order(row: PayrollRow) -> tuple:
    return row.employee_id, row.earning_code, row.reference, row.period


def write_payroll_csv(rows: Iterable[PayrollRow], layout: Layout, stream: TextIO,
                      settings: Mapping[str, object] | None = None,
                      minor_units: Mapping[str, int] | None = None) -> int:
    """Write one payroll file; return the number of rows written. Refuses rows `check_rows` finds wrong."""
    rows, settings = list(rows), settings or {}
    _check_settings(layout, settings)
    problems = check_rows(rows, layout, minor_units)
    if len({row.currency for row in rows}) > 1 and not any(p.code == "mixed_currencies" for p in problems):
        problems.append(RowProblem("mixed_currencies", None, "the rows are in "
                                   f"{', '.join(sorted({row.currency for row in rows}))}; one file pays in one "
                                   "currency: split the rows by currency"))
    if problems:
        shown = "; ".join(p.message for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise PayrollExportError(f"the {layout.name} file was not written, {len(problems)} problem(s): {shown}{more}; "
                                 "check_rows(rows) lists them all")
    writer = csv.writer(stream, lineterminator=layout.line_ending)
    writer.writerow([c.header for c in layout.columns])
    for row in sorted(rows, key=_file_order):
        writer.writerow(layout.cells(row, settings, minor_units_of(row.currency, minor_units)))
    return len(rows)


def _check_settings(layout: Layout, settings: Mapping[str, object]) -> None:
    needed = layout.settings_needed()
    missing = [key for key in needed if not str(settings.get(key) or "").strip()]
    if missing:
        wanted = ", ".join(f"{key} ({needed[key]})" for key in missing)
        given = ", ".join(sorted(settings)) or "none"
        raise PayrollExportError(f"the {layout.name} layout needs the setting(s) {wanted}; pass them as "
                                 f"settings={{{', '.join(repr(k) + ': ...' for k in needed)}}} (settings given: {given})")
