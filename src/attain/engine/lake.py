"""Transactions read where they live: a Parquet data set or a table of the engine's catalog.

At scale the transactions stay in the data lake: the engine reads them itself (Spark on the cluster,
DuckDB on this machine), and only the small inputs (the organisation, plans, quotas, rates) come from
Attain's database. A source is named by text (`read_source`):

- a Parquet file, a folder of Parquet files (partitioned by period or not, e.g. `period=FY2026-M03/`)
  or a glob: any name with a `/`, or ending in `.parquet`;
- otherwise a table (`sales.transactions`, or `transactions`) of the engine's catalog: on Spark, the
  session's (Hive metastore, Unity Catalog, …); on DuckDB, the tables of its database.

The data has the engine's transaction columns (`crediting.inputs.SCHEMAS["transactions"]`,
docs/data-formats.md): `id`, `external_id`, `booked_date`, `amount` and `currency` are required, the
rest may be absent (then empty). Amounts are in the transaction's currency with at most 4 decimals;
`in_plan_currency` converts them exactly, in the engine, at the rates it is given.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from attain.engine.crediting.inputs import SCHEMAS, VALUE, CreditingError, conform

REQUIRED = ("id", "external_id", "booked_date", "amount", "currency")
SPAN_DATES = ("booked_date", "invoiced_date", "paid_date")
AMOUNT = "decimal(18,4)"  # what a source amount is read as (money: 4 decimals)
# what each column of a lake's transactions means (types: SCHEMAS["transactions"]); docs/data-formats.md
TRANSACTION_COLUMNS = {
    "id": "A unique whole number per line: credit notes (`original_id`) and splits (`transaction_id`) refer to it.",
    "external_id": "The source system's line id, shown in statements and explanations.",
    "kind": "order, booking, invoice, payment or credit_note.",
    "booked_date": "Booking date; the rate of this day converts the amount.",
    "invoiced_date": "Invoice date, if any.",
    "paid_date": "Payment date, if any.",
    "account": "The customer's external_id (the database's accounts and territories place it).",
    "product_family": "The product family's code.",
    "quantity": "Quantity (up to 4 decimals).",
    "amount": "Line amount in its currency, up to 4 decimals; negative for credit notes.",
    "cost": "Cost of the line, same currency.",
    "currency": "ISO 4217 code; the database's fx_rates convert it into each plan's currency.",
    "deal_type": "new, expansion or renewal.",
    "owner_position": "The position owning the line (direct credit).",
    "contract_start": "Contract start.",
    "contract_end": "Contract end.",
    "original_id": "For a credit note: the `id` of the line it reverses (read wherever it is dated).",
    "opportunity": "The opportunity's external_id.",
    "sourced_by_position": "The position that sourced the opportunity (sourced credit).",
}
SPLIT_COLUMNS = {"transaction_id": "The line's `id`.", "position": "A position receiving a share of the credit.",
                 "share": "Its fraction of the credit; a line's shares add up to 1."}
# the earning lines `attain calc --results` writes, one row per line (adjustments included)
RESULTS = pa.schema([
    ("run", pa.int64()), ("period", pa.string()), ("for_period", pa.string()), ("kind", pa.string()),
    ("participant", pa.string()), ("position", pa.string()), ("plan", pa.string()), ("plan_version", pa.int32()),
    ("component", pa.string()), ("currency", pa.string()), ("amount", pa.decimal128(15, 4)),
    # the precise values, as exact text (they may carry more decimals than any fixed column type)
    ("precise_amount", pa.string()), ("base", pa.string()), ("quota", pa.string()),
    ("earned_to_date", pa.string()), ("earned_before", pa.string()), ("explanation", pa.string()),
])
RATES = pa.schema([("currency", pa.string()), ("valid_from", pa.date32()), ("valid_to", pa.date32()),
                   ("rate", pa.decimal128(20, 10))])


def is_path(source: str) -> bool:
    return "/" in source or source.endswith(".parquet") or Path(source).exists()


def read_source(source: str, backend) -> Table:
    """The table `source` names, read by `backend` (a Parquet path, or a table of its catalog)."""
    if is_path(source):
        return backend.read_parquet(_parquet_files(source, backend))
    database, name = table_name(source)
    try:
        return backend.table(name, database=database)
    except Exception as missing:
        raise CreditingError(f"there is no table {source!r} in the {backend.name} catalog ({missing}); name a "
                             "table it has, or a Parquet path (with a / or ending in .parquet)") from None


def table_name(source: str) -> tuple[str | None, str]:
    """("sales", "transactions") for "sales.transactions"; (None, "transactions") for "transactions"."""
    database, _, name = source.rpartition(".")
    return database or None, name


def _parquet_files(source: str, backend) -> str:
    """DuckDB reads a folder through a glob (every Parquet file below it); Spark reads the folder itself."""
    path = Path(source)
    if backend.name == "duckdb" and path.is_dir():
        return str(path / "**" / "*.parquet")
    if "://" not in source and not any(ch in source for ch in "*?[") and not path.exists():
        raise CreditingError(f"the transactions source {source} does not exist: name a Parquet file or folder")
    return source


def transactions_in(table: Table, start: date, end: date) -> Table:
    """The transactions booked, invoiced or paid between `start` and `end`, and the originals of their credit
    notes (wherever they are dated), with the engine's columns."""
    missing = [column for column in REQUIRED if column not in table.columns]
    if missing:
        raise CreditingError(f"the transactions source lacks the column{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(missing)}; it needs {', '.join(REQUIRED)} (docs/data-formats.md)")
    lines = conform("transactions", table)
    dated = [lines[column].between(start, end).fill_null(False) for column in SPAN_DATES]  # no date: not in it
    in_span = dated[0] | dated[1] | dated[2]
    return lines.filter(in_span | (lines.id.isin(lines.filter(in_span).original_id) & ~in_span))


def rates_table(rows: list[tuple[str, date, date | None, Decimal]]) -> Table:
    """(currency, first day, last day or None, rate) rows: the rate into the plan's currency on those days."""
    return ibis.memtable(pa.Table.from_pylist([dict(zip(RATES.names, row, strict=True)) for row in rows],
                                              schema=RATES))


def with_rates(lines: Table, rates: Table, target: str) -> Table:
    """The lines with the `rate` into `target` on their booking date (1 in `target` itself; NULL: none known)."""
    on = (lines.currency == rates.currency) & (lines.booked_date >= rates.valid_from) & (
        rates.valid_to.isnull() | (lines.booked_date <= rates.valid_to))
    joined = lines.left_join(rates, on).select(*lines.columns, rate=rates.rate)
    return joined.mutate(rate=ibis.cases((joined.currency == target, ibis.literal(Decimal(1), "decimal(20,10)")),
                                         else_=joined.rate))


def missing_rates(rated: Table, shown: int = 3) -> list[str]:
    """Lines that found no rate: "T-1 (EUR on 2026-03-04)", the first few."""
    lost = rated.filter(rated.rate.isnull()).order_by(["booked_date", "external_id"]).limit(shown)
    return [f"{row['external_id']} ({row['currency']} on {row['booked_date']})" for row in lost.to_pyarrow().to_pylist()]


def in_plan_currency(rated: Table, target: str) -> Table:
    """The rated lines with amount and cost converted exactly into `target` (amount × rate, never rounded)."""
    def converted(column: str):
        return (rated[column].cast(AMOUNT) * rated.rate).cast(VALUE)

    return rated.mutate(amount=converted("amount"), cost=converted("cost"),
                        currency=ibis.literal(target)).select(*SCHEMAS["transactions"])
