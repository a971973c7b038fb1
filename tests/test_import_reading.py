"""Reading CSV, Excel and Parquet files, and refusing broken ones with a clear reason."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.io.problems import UnreadableFile
from attain.io.reading import MAX_CELL, read_table

HEADER = "external_id,name,country\n"


def read_bytes(tmp_path, data: bytes, name: str = "accounts.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_table(path)


def refusal(tmp_path, data: bytes, name: str = "accounts.csv") -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_bytes(tmp_path, data, name)
    return caught.value.problem.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_common_encodings_are_read(tmp_path, encoding):
    table = read_bytes(tmp_path, (HEADER + "A-1,Société Générale,FR\n").encode(encoding))
    assert (table.header, table.columns, table.row_numbers) == (
        ["external_id", "name", "country"], [["A-1"], ["Société Générale"], ["FR"]], [2])
    guessed = encoding in ("cp1252", "utf-16-le")
    assert bool(table.warnings) is guessed


def test_cp1252_is_reported_with_how_to_fix():
    from attain.io.encoding import decode

    text, warning = decode((HEADER + "A-1,Müller “Quotes”,DE\n").encode("cp1252"), "a.csv")
    assert "Müller “Quotes”" in text
    assert warning == ("not UTF-8: read as cp1252; check accented letters, or save it as 'CSV UTF-8' (in Excel: "
                       "File › Save As › CSV UTF-8) and import it again")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty: export the data again with a header row"),
    (b"\n\n  \n", "the file is empty: export the data again with a header row"),
    (b"PK\x03\x04\x14\x00\x00", "this is a zip archive (an .xlsx workbook? give it the .xlsx extension), not CSV text"),
    (bytes(range(256)) * 4, "this is a binary file, not CSV text: save it as 'CSV UTF-8' (in Excel: File › Save As "
                            "› CSV UTF-8) and import it again"),
    (b",,\n", "the first row (the header) is empty: put the column names in row 1"),
])
def test_broken_files_are_refused_with_a_reason(tmp_path, data, reason):
    assert refusal(tmp_path, data) == reason


def test_wrong_extensions_and_missing_files(tmp_path):
    assert refusal(tmp_path, b"x", "accounts.xls") == "cannot read .xls: give a .csv, .xlsx or .parquet file"
    assert refusal(tmp_path, b"not a zip", "accounts.xlsx").startswith("this is not a readable .xlsx workbook")
    assert refusal(tmp_path, b"not parquet", "accounts.parquet").startswith("this is not a readable Parquet file")
    with pytest.raises(UnreadableFile, match="there is no file at"):
        read_table(tmp_path / "missing.csv")


def test_header_only_gives_no_rows(tmp_path):
    table = read_bytes(tmp_path, HEADER.encode())
    assert (len(table), table.columns) == (0, [[], [], []])


def test_giant_cells_are_reported_not_raised(tmp_path):
    giant = "x" * (MAX_CELL + 1)
    table = read_bytes(tmp_path, (HEADER + f"A-1,{giant},US\nA-2,ok,US\n").encode())
    [problem] = table.problems
    assert (problem.row, problem.column) == (2, "name")
    assert problem.reason == "the cell holds 10,001 characters; at most 10,000 are allowed: shorten it"
    enormous = "y" * 2_000_000
    reason = refusal(tmp_path, (HEADER + f'A-1,"{enormous}",US\n').encode())
    assert reason.startswith("the CSV cannot be split into cells near line")


def test_rows_with_the_wrong_number_of_cells_are_reported(tmp_path):
    table = read_bytes(tmp_path, (HEADER + "A-1,Acme\nA-2,Beta,US\n").encode())
    assert [(p.row, p.reason) for p in table.problems] == [
        (2, "has 2 cells but the header has 3: check for a missing or extra separator or an unclosed quote")]
    assert table.columns[2] == ["", "US"]


def test_xlsx_values_become_exact_text(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "booked_date", "amount", "quantity", "qualified"])
    sheet.append(["T-1", datetime(2026, 3, 14), 1234.5, 3.0, True])
    sheet.append(["T-2", date(2026, 3, 15), "0.1", 1, False])
    sheet.append([None, None, None, None, None])
    book.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert table.columns == [["T-1", "T-2"], ["2026-03-14", "2026-03-15"], ["1234.5", "0.1"], ["3", "1"],
                             ["true", "false"]]
    assert table.row_numbers == [2, 3]


def test_parquet_values_become_exact_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({
        "external_id": ["T-1", "T-2"],
        "amount": pa.array([Decimal("12345678901.1234"), None], pa.decimal128(15, 4)),
        "booked_date": pa.array([date(2026, 3, 14), date(2026, 3, 15)]),
    }), tmp_path / "t.parquet")
    table = read_table(tmp_path / "t.parquet")
    assert table.columns == [["T-1", "T-2"], ["12345678901.1234", ""], ["2026-03-14", "2026-03-15"]]
    assert table.row_numbers == [1, 2]


cells = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda width: st.lists(st.lists(cells, min_size=width, max_size=width),
                                                        min_size=1, max_size=8)))
def test_any_table_written_with_csv_writer_reads_back_identically(tmp_path_factory, rows):
    header = [f"c{i}" for i in range(len(rows[0]))]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    table = read_table(path)
    assert [table.row(i) for i in range(len(table))] == rows


def test_blank_lines_are_skipped_and_later_rows_keep_their_numbers(tmp_path):
    table = read_bytes(tmp_path, (HEADER + "A-1,Acme,US\n\nA-2,Beta,US\n").encode())
    assert (table.columns[0], table.row_numbers) == (["A-1", "A-2"], [2, 4])
