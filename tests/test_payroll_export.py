"""Payroll export files: each layout's exact text, one file per pay group and pay date, the checks."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.exports.payroll import (
    PayrollExportError,
    PayrollRow,
    check_rows,
    format_amount,
    split_by,
    write_payroll_csv,
)
from attain.engine.exports.payroll_layouts import LAYOUTS, layout_named

D = Decimal
APRIL = date(2026, 4, 30)


def row(employee_id, name, earning_code, amount, reference, currency="USD", group="US Monthly", day=APRIL):
    return PayrollRow(employee_id, name, group, day, earning_code, D(amount), currency, "FY2026-M04", reference)


ADA_BONUS = row("1001", "Ada Lovelace, PhD", "BON", "500", "PAY-12-3")
ADA_CLAWBACK = row("1001", "Ada Lovelace, PhD", "COM", "-75.25", "PAY-12-1")
GRACE = row("1002", "Grace Hopper", "COM", "1.2345E+3", "PAY-12-2")  # 1234.50, written without an exponent
ROWS = [GRACE, ADA_CLAWBACK, ADA_BONUS]  # given out of order: written by employee id, then earning code
ADP_SETTINGS = {"company_code": "XYZ", "batch_id": "COMM-2026-04"}


def written(rows, name, settings=None, minor_units=None) -> str:
    stream = io.StringIO(newline="")
    assert write_payroll_csv(rows, layout_named(name), stream, settings, minor_units) == len(rows)
    return stream.getvalue()


def test_the_attain_layout_has_every_field():
    assert written(ROWS, "attain") == (
        "employee_id,payee_name,pay_group,pay_date,earning_code,amount,currency,period,reference\r\n"
        '1001,"Ada Lovelace, PhD",US Monthly,2026-04-30,BON,500.00,USD,FY2026-M04,PAY-12-3\r\n'
        '1001,"Ada Lovelace, PhD",US Monthly,2026-04-30,COM,-75.25,USD,FY2026-M04,PAY-12-1\r\n'
        "1002,Grace Hopper,US Monthly,2026-04-30,COM,1234.50,USD,FY2026-M04,PAY-12-2\r\n")


def test_the_adp_layout_reads_the_company_code_and_batch_from_the_settings():
    assert written(ROWS, "adp", ADP_SETTINGS) == (
        "Co Code,Batch ID,File #,Earnings 3 Code,Earnings 3 Amount\r\n"
        "XYZ,COMM-2026-04,1001,BON,500.00\r\n"
        "XYZ,COMM-2026-04,1001,COM,-75.25\r\n"
        "XYZ,COMM-2026-04,1002,COM,1234.50\r\n")


def test_the_paychex_layout_keeps_every_column_in_its_place():
    assert written(ROWS[:2], "paychex", {"client_id": "00001234"}) == (
        "Client ID,Worker ID,Org,Job Number,Pay Component,Rate,Rate Number,Hours,Units,Line Date,Amount,"
        "Check Seq Number,Override State,Override Local,Override Local Jurisdiction,Labor Override\r\n"
        "00001234,1001,,,COM,,,,,,-75.25,,,,,\r\n"
        "00001234,1002,,,COM,,,,,,1234.50,,,,,\r\n")


def test_the_workday_layout_writes_the_currency_and_its_minor_units():
    rows = [row("E-78", "Ren Ito", "Commission", "-2000", "PAY-9-2", "JPY", "JP Monthly", date(2026, 4, 25)),
            row("E-77", "Kenji Sato", "Commission", "150000", "PAY-9-1", "JPY", "JP Monthly", date(2026, 4, 25))]
    assert written(rows, "workday") == (
        "Employee ID,One-Time Payment Plan,Amount,Currency,Effective Date\r\n"
        "E-77,Commission,150000,JPY,2026-04-25\r\n"
        "E-78,Commission,-2000,JPY,2026-04-25\r\n")
    bahrain = [row("B-1", "Noor", "COM", "12.5", "PAY-3", "BHD")]
    assert written(bahrain, "workday").splitlines()[1] == "B-1,COM,12.500,BHD,2026-04-30"
    assert written(bahrain, "workday", minor_units={"BHD": 2}).splitlines()[1] == "B-1,COM,12.50,BHD,2026-04-30"


def test_amounts_have_exactly_the_minor_units_and_are_never_rounded_here():
    assert [format_amount(D(x), 2) for x in ("1E+3", "-0.00", "0.1", "-12.3")] == ["1000.00", "0.00", "0.10", "-12.30"]
    assert format_amount(D("1234567890123456789.5"), 1) == "1234567890123456789.5"
    with pytest.raises(PayrollExportError, match="10.005 has more than 2 decimals; round it once"):
        format_amount(D("10.005"))


def test_one_file_per_pay_group_and_pay_date():
    may = date(2026, 5, 29)
    rows = [*ROWS, row("2001", "Zoë Ñúñez", "COM", "10", "PAY-13-1", "EUR", "Zürich Monthly", may),
            row("1001", "Ada Lovelace, PhD", "COM", "20", "PAY-13-2", day=may)]
    files = split_by(rows)
    assert [(f.name, [r.reference for r in f.rows]) for f in files] == [
        ("payroll-us-monthly-2026-04-30.csv", ["PAY-12-3", "PAY-12-1", "PAY-12-2"]),
        ("payroll-us-monthly-2026-05-29.csv", ["PAY-13-2"]),
        ("payroll-zurich-monthly-2026-05-29.csv", ["PAY-13-1"]),
    ]
    assert written(files[2].rows, "attain").splitlines()[1] == ("2001,Zoë Ñúñez,Zürich Monthly,2026-05-29,COM,10.00,"
                                                                "EUR,FY2026-M04,PAY-13-1")
    with pytest.raises(PayrollExportError, match="pay groups 'US Monthly' and 'us-monthly' would both be written"):
        split_by([GRACE, row("1003", "Lin", "COM", "1", "PAY-1", group="us-monthly")])


def test_the_checks_report_problems_as_values():
    rows = [row("", "Nameless", "COM", "10.005", "PAY-1"), row("1003", "Lin Wu", "", "5", "PAY-2", "EUR"),
            PayrollRow("E-1004", "Kim", "US Monthly", APRIL, "COM", 5.5, "usd", "FY2026-M04", "PAY-3")]
    problems = check_rows(rows, layout_named("adp"))
    assert [(p.code, p.row) for p in problems] == [
        ("missing_employee_id", 1), ("too_many_decimals", 1), ("missing_earning_code", 2), ("employee_id_format", 3),
        ("bad_currency", 3), ("bad_amount", 3), ("mixed_currencies", None)]
    assert problems[1].message == ("row 1 (PAY-1, Nameless): amount 10.005 has more decimals than USD's 2; round it "
                                   "once to the minor unit (the payment ledger's rounded amount) before the export")
    assert problems[3].message == ("row 3 (PAY-3, Kim): employee id 'E-1004' does not suit the adp layout (ADP's "
                                   "File # is the employee's file number: 1 to 6 digits)")
    assert problems[-1].message == ("pay group US Monthly paid on 2026-04-30 has rows in EUR (1 row), USD (1 row), "
                                    "usd (1 row); a payroll file pays in one currency: convert the rows or give each "
                                    "currency its own pay group")
    assert check_rows(ROWS, layout_named("adp")) == []
    formula = check_rows([row("1005", '=HYPERLINK("http://x")', "COM", "1", "PAY-5"),
                          row("-17", "Li", "COM", "1", "PAY-6")])  # a number is not a formula
    assert [(p.code, p.row) for p in formula] == [("formula_like", 1)]
    assert formula[0].message == ("row 1 (PAY-5, =HYPERLINK(\"http://x\")): payee_name '=HYPERLINK(\"http://x\")' "
                                  "starts like a spreadsheet formula, which a spreadsheet opening the file would run; "
                                  "correct the value")


def test_a_file_with_problems_or_missing_settings_is_not_written():
    with pytest.raises(PayrollExportError, match=r"the attain file was not written, 1 problem\(s\): row 1 \(PAY-1, "
                                                 r"Nameless\): amount 10.005 has more decimals"):
        written([row("1", "Nameless", "COM", "10.005", "PAY-1")], "attain")
    with pytest.raises(PayrollExportError, match="one file pays in one currency: split the rows by currency"):
        written([GRACE, row("2001", "Zoë", "COM", "10", "PAY-13-1", "EUR", "EU Monthly")], "attain")
    with pytest.raises(PayrollExportError) as missing:
        written(ROWS, "adp", {"company_code": "XYZ", "batch": "COMM"})
    assert str(missing.value) == ("the adp layout needs the setting(s) batch_id (the name of the paydata batch the "
                                  "rows are loaded into); pass them as settings={'company_code': ..., 'batch_id': "
                                  "...} (settings given: batch, company_code)")


def test_an_unknown_layout_names_the_known_ones():
    with pytest.raises(PayrollExportError, match="there is no payroll layout 'sap'; use one of adp, attain, paychex, "
                                                 "workday"):
        layout_named("sap")


AMOUNT_HEADER = {"attain": "amount", "adp": "Earnings 3 Amount", "paychex": "Amount", "workday": "Amount"}
SETTINGS = {"adp": ADP_SETTINGS, "paychex": {"client_id": "00001234"}}
payroll_rows = st.builds(
    PayrollRow, st.from_regex(r"[0-9]{1,6}", fullmatch=True), st.just("Payee"),
    st.sampled_from(["US Monthly", "US Semi-monthly", "Field Sales"]),
    st.sampled_from([date(2026, 4, 15), date(2026, 4, 30)]), st.sampled_from(["COM", "BON", "SPF"]),
    st.decimals(min_value=-10**9, max_value=10**9, places=2), st.just("USD"), st.just("FY2026-M04"),
    st.from_regex(r"PAY-[0-9]{1,4}", fullmatch=True))


@given(st.lists(payroll_rows, max_size=30), st.sampled_from(sorted(LAYOUTS)))
def test_the_files_add_up_to_the_rows(rows, name):
    total, count = D(0), 0
    for payroll_file in split_by(rows):
        text = written(payroll_file.rows, name, SETTINGS.get(name))
        read = list(csv.DictReader(io.StringIO(text, newline="")))
        total += sum((D(line[AMOUNT_HEADER[name]]) for line in read), D(0))
        count += len(read)
    assert (total, count) == (sum((r.amount for r in rows), D(0)), len(rows))
