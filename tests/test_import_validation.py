"""Column types, header checks, duplicate keys and CRM mappings (framework-free: no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.io.entities import ENTITIES, UnknownEntity, entity
from attain.io.kinds import BadValue, Date, Number, Text
from attain.io.mappings import UnknownMapping, apply_mapping, mapping_for
from attain.io.reading import Table
from attain.io.validate import validate


def table(text: str, file: str = "f.csv") -> Table:
    lines = [line.split(",") for line in text.strip("\n").split("\n")]
    return Table(file, lines[0], [list(c) for c in zip(*lines[1:], strict=True)] if lines[1:] else
                 [[] for _ in lines[0]], list(range(2, len(lines) + 1)))


@pytest.mark.parametrize(("text", "value"), [("-100", Decimal("-100")), ("0.1", Decimal("0.1")),
                                             ("12345678901.1234", Decimal("12345678901.1234")),
                                             ("1.50000", Decimal("1.5000")), (".5", Decimal("0.5"))])
def test_decimals_are_exact(text, value):
    parsed = Number(15, 4).parse(text)
    assert parsed == value and type(parsed) is Decimal


@pytest.mark.parametrize(("text", "reason"), [
    ("1,000.00", "is not a plain number: use a dot for decimals and no thousands separators, e.g. 1234.50"),
    ("$12", "contains a currency or percent sign: write the bare number, e.g. 1234.50 (and 0.25 for 25%)"),
    ("1e5", "is not a number: write digits with an optional minus sign and a dot, e.g. -1234.50"),
    ("NaN", "is not a number: write digits with an optional minus sign and a dot, e.g. -1234.50"),
    ("0.00001", "has more than 4 decimal places: round it"),
    ("100000000000", "is too large: at most 11 digits before the dot"),
])
def test_bad_decimals_say_how_to_fix(text, reason):
    with pytest.raises(BadValue) as caught:
        Number(15, 4).parse(text)
    assert str(caught.value) == reason


@given(st.decimals(min_value=Decimal("-99999999999.9999"), max_value=Decimal("99999999999.9999"), places=4))
def test_any_money_value_round_trips_as_text(value):
    assert Number(15, 4).parse(format(value, "f")) == value


@pytest.mark.parametrize(("text", "value"), [("2026-03-31", date(2026, 3, 31)), ("2026-03-31 00:00", date(2026, 3, 31)),
                                             ("2026-03-31T00:00:00Z", date(2026, 3, 31))])
def test_iso_dates(text, value):
    assert Date().parse(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("31/03/2026", "is not a date in ISO 8601 form: write it as YYYY-MM-DD, e.g. 2026-03-31"),
    ("2026-02-30", "is not a real calendar date: check the day and month (YYYY-MM-DD)"),
    ("2026-03-31 14:00", "is not a date in ISO 8601 form: write it as YYYY-MM-DD, e.g. 2026-03-31"),
])
def test_bad_dates(text, reason):
    with pytest.raises(BadValue, match=reason.replace("(", r"\(").replace(")", r"\)")):
        Date().parse(text)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil","x")', "+cmd", "@SUM(A1)", "-2+3", "=1+1"])
def test_formula_like_text_is_refused(text):
    with pytest.raises(BadValue, match="starts like a spreadsheet formula"):
        Text(200).parse(text)


def test_numbers_in_text_are_not_formulas():
    assert Text(20).parse("-100") == "-100" and Text(20).parse("+44.5") == "+44.5"


def test_missing_required_columns_name_the_nearest_column():
    parsed = validate(table("external_id,nme,countr\nA-1,Acme,US\n"), entity("accounts"))
    assert [(p.row, p.column, p.reason) for p in parsed.problems] == [
        (None, "name", "the required column 'name' is missing (the file has 'nme'?): add it to the header "
                       "(docs/data-formats.md lists the columns)"),
        (None, "country", "the required column 'country' is missing (the file has 'countr'?): add it to the header "
                          "(docs/data-formats.md lists the columns)"),
    ]
    assert parsed.invalid == {0}
    assert parsed.warnings == ["ignored the unknown column 'nme' (did you mean 'name'?)",
                               "ignored the unknown column 'countr' (did you mean 'country'?)"]


def test_required_cells_and_duplicate_keys():
    parsed = validate(table("external_id,name,country\nA-1,Acme,US\nA-1,Acme again,US\nA-2,,US\n"),
                      entity("accounts"))
    assert [(p.row, p.column, p.value, p.reason) for p in parsed.problems] == [
        (4, "name", "", "name is required but empty: fill it in (e.g. Acme Corp)"),
        (3, "external_id", "external_id=A-1", "the same record (external_id=A-1) is already in row 2: keep one row "
                                               "per record"),
    ]
    assert parsed.valid_rows == [0]


def test_row_rules_credit_notes_and_dates():
    text = ("external_id,kind,booked_date,invoiced_date,account,amount,currency,original\n"
            "T-1,credit_note,2026-03-01,,A,1,USD,\nT-2,booking,2026-03-01,2026-02-01,A,1,USD,\n"
            "T-3,booking,2026-03-01,,A,1,USD,T-3\n")
    parsed = validate(table(text), entity("transactions"))
    assert sorted((p.row, p.column, p.reason) for p in parsed.problems) == [
        (2, "original", "a credit note must name the line it reverses: give its external_id"),
        (3, "invoiced_date", "is before booked_date: a line cannot be invoiced before it is booked"),
        (4, "original", "a line cannot reverse itself: give the external_id of the original line"),
    ]


def test_unknown_entity_and_mapping_suggest_the_right_name():
    with pytest.raises(UnknownEntity) as caught:
        entity("transaction")
    assert caught.value.message.startswith("There is no entity called 'transaction'. Did you mean transactions?")
    with pytest.raises(UnknownMapping, match="There is no 'pipedrive' mapping for accounts"):
        mapping_for("pipedrive", "accounts")
    assert len(ENTITIES) == 25


SALESFORCE = ("Opportunity ID,Opportunity Name,Account ID,Amount,Close Date,Created Date,Stage,Type,Opportunity Owner,"
              "Owner Role,Opportunity Currency,Probability (%)\n"
              "006A,Acme,001A,48000.00,2026-03-31,2026-01-10,Closed Won,New Business,Jane Doe,AE-1,USD,100\n"
              "006B,Beta,001B,1000,2026-06-30,2026-02-01,Prospecting,Existing Business,Jane Doe,AE-1,USD,10\n")
HUBSPOT = ("Record ID,Deal Name,Deal Stage,Close Date,Amount,Company name,Create Date,Deal owner,Currency,Deal Type\n"
           "901,Acme,Closed Lost,2026-03-31 00:00,500,Acme,2026-01-10 00:00,AE-1,EUR,newbusiness\n")


def test_salesforce_opportunity_export_maps_to_opportunities():
    parsed = validate(apply_mapping(table(SALESFORCE), mapping_for("salesforce", "opportunities")),
                      entity("opportunities"))
    assert parsed.problems == []
    values = {k: parsed.values[k] for k in ("external_id", "account", "owner_position", "amount", "stage",
                                            "deal_type", "outcome", "closed_date", "expected_close_date")}
    assert values == {"external_id": ["006A", "006B"], "account": ["001A", "001B"], "owner_position": ["AE-1", "AE-1"],
                      "amount": [Decimal("48000.00"), Decimal(1000)], "stage": ["Closed Won", "Prospecting"],
                      "deal_type": ["new", "expansion"], "outcome": ["won", "open"],
                      "closed_date": [date(2026, 3, 31), None],
                      "expected_close_date": [date(2026, 3, 31), date(2026, 6, 30)]}
    assert parsed.warnings == ["ignored the unknown column 'Opportunity Owner'",
                               "ignored the unknown column 'Probability (%)'"]


def test_hubspot_deal_export_maps_to_opportunities():
    parsed = validate(apply_mapping(table(HUBSPOT), mapping_for("hubspot", "opportunities")), entity("opportunities"))
    assert parsed.problems == []
    assert [parsed.values[k][0] for k in ("external_id", "name", "account", "outcome", "closed_date", "created_date",
                                          "deal_type", "currency")] == [
        "901", "Acme", "Acme", "lost", date(2026, 3, 31), date(2026, 1, 10), "new", "EUR"]


def test_crm_account_exports_map_to_accounts():
    sf = table("Account ID,Account Name,Billing Country,Annual Revenue,Parent Account ID\n001A,Acme,US,1000,\n")
    hs = table("Record ID,Company name,Country/Region,Number of Employees\n77,Acme,DE,12\n")
    sf_parsed = validate(apply_mapping(sf, mapping_for("salesforce", "accounts")), entity("accounts"))
    hs_parsed = validate(apply_mapping(hs, mapping_for("hubspot", "accounts")), entity("accounts"))
    assert (sf_parsed.problems, hs_parsed.problems) == ([], [])
    assert (sf_parsed.values["external_id"], sf_parsed.values["annual_revenue"]) == (["001A"], [Decimal(1000)])
    assert (hs_parsed.values["external_id"], hs_parsed.values["employees"]) == (["77"], [12])
