"""Measures: month, QTD and YTD values per participant and position (E2's bookings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa

from attain.engine.calculate import fiscal_months, months_table
from attain.engine.crediting import CreditingInputs, CreditRule, credit_transactions
from attain.engine.measures import Measure, holders_on_credit_date, measure_values

D = date


def fy2026_months():
    return months_table(fiscal_months(2026))


def holders_table(rows):
    schema = pa.schema([("participant", pa.string()), ("position", pa.string()), ("valid_from", pa.date32()),
                        ("valid_to", pa.date32())])
    return ibis.memtable(pa.Table.from_pylist(rows, schema=schema))


def line(id, amount, booked, owner="AE-1", account="A", **more):
    return {"id": id, "external_id": f"T-{id}", "booked_date": booked, "account": account, "amount": Decimal(amount),
            "quantity": Decimal(1), "owner_position": owner, "deal_type": "new", **more}


E2_LINES = [line(1, "250000", D(2026, 1, 20)), line(2, "400000", D(2026, 2, 15)),
            line(3, "-100000", D(2026, 3, 5), original_id=2, owner=None)]


def values(lines, measures, holders):
    credits = credit_transactions(CreditingInputs.from_rows(transactions=lines), [CreditRule("direct", "direct")])
    credits = holders_on_credit_date(credits, holders_table(holders))
    rows = measure_values(credits, fy2026_months(), measures).to_pyarrow().to_pylist()
    return sorted((r["measure"], r["participant"], r["period"], r["total"], r["items"], r["qtd_total"], r["ytd_total"])
                  for r in rows)


ADA = [{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1)}]


def test_e2_bookings_month_qtd_and_ytd():
    got = values(E2_LINES, [Measure("bookings")], ADA)
    assert got == [
        ("bookings", "E-1", "FY2026-M01", 250000, 1, 250000, 250000),
        ("bookings", "E-1", "FY2026-M02", 400000, 1, 650000, 650000),
        ("bookings", "E-1", "FY2026-M03", -100000, -1, 550000, 550000),
    ]


def test_counts_filters_and_distinct_counts():
    lines = [line(1, "100", D(2026, 4, 2), deal_type="renewal"), line(2, "300", D(2026, 4, 9)),
             line(3, "500", D(2026, 4, 9), account="B")]
    measures = [Measure("deals", aggregate="count"), Measure("new_only", filter=lambda c: c.deal_type == "new"),
                Measure("accounts", aggregate="distinct_count", distinct="account")]
    got = values(lines, measures, ADA)
    assert [(m, total, items) for m, _, _, total, items, _, _ in got] == [
        ("accounts", 2, 2), ("deals", 3, 3), ("new_only", 800, 2)]


def test_a_mid_month_transfer_splits_the_month_between_holders():
    holders = [{"participant": "E-1", "position": "AE-1", "valid_from": D(2025, 1, 1), "valid_to": D(2026, 1, 31)},
               {"participant": "E-2", "position": "AE-1", "valid_from": D(2026, 2, 1)}]
    lines = [line(1, "250000", D(2026, 1, 20)), line(2, "400000", D(2026, 2, 15))]
    got = values(lines, [Measure("bookings")], holders)
    assert [(p, period, total, ytd) for _, p, period, total, _, _, ytd in got] == [
        ("E-1", "FY2026-M01", 250000, 250000), ("E-2", "FY2026-M02", 400000, 400000)]
