"""What crediting reads: Ibis tables with fixed column names (see `SCHEMAS`).

Transactions and their splits feed the transaction rules (direct, territory, overlay, sourced);
activities and the position holders feed `activity` rules; opportunities and their stage history
feed `pipeline` rules. Tables a plan does not use may be left empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pyarrow as pa
from ibis.expr.types import Table

MONEY = "decimal(15,4)"
SHARE = "decimal(15,8)"
VALUE = "decimal(38,12)"  # credits: amount × share, exact

SCHEMAS: dict[str, dict[str, str]] = {
    "transactions": {
        "id": "int64", "external_id": "string", "kind": "string", "booked_date": "date", "invoiced_date": "date",
        "paid_date": "date", "account": "string", "product_family": "string", "quantity": MONEY, "amount": VALUE,
        "cost": VALUE, "currency": "string", "deal_type": "string", "owner_position": "string",
        "contract_start": "date", "contract_end": "date", "original_id": "int64",
        "opportunity": "string", "sourced_by_position": "string",  # the opportunity's external_id and sourcer
    },
    "splits": {"transaction_id": "int64", "position": "string", "share": SHARE},
    "account_territories": {"account": "string", "territory": "string", "valid_from": "date", "valid_to": "date"},
    "territory_positions": {"territory": "string", "position": "string", "role": "string", "valid_from": "date",
                            "valid_to": "date"},
    "territory_ancestors": {"territory": "string", "ancestor": "string"},  # includes (t, t)
    "positions": {"position": "string", "kind": "string", "product_family": "string"},
    "reporting_lines": {"position": "string", "manager": "string", "valid_from": "date", "valid_to": "date"},
    "holders": {"participant": "string", "position": "string", "valid_from": "date", "valid_to": "date"},
    "activities": {"id": "int64", "external_id": "string", "participant": "string", "kind": "string",
                   "occurred_on": "date", "qualified": "boolean", "account": "string", "opportunity": "string"},
    "opportunities": {"id": "int64", "external_id": "string", "account": "string", "product_family": "string",
                      "deal_type": "string", "amount": VALUE, "owner_position": "string",
                      "sourced_by_position": "string", "created_date": "date"},
    "stage_events": {"opportunity_id": "int64", "stage": "string", "entered_on": "date", "amount": VALUE},
}


class CreditingError(ValueError):
    """Input or rules that crediting cannot work with; the message says what and how to fix it."""


def empty(name: str) -> Table:
    """An empty input table with the columns of `SCHEMAS[name]`."""
    return ibis.memtable(ibis.schema(SCHEMAS[name]).to_pyarrow().empty_table())


def conform(name: str, table: Table) -> Table:
    """The table with exactly the columns of `SCHEMAS[name]`, typed; absent columns are added as empty (null)."""
    schema = SCHEMAS[name]
    return table.select(**{column: (table[column] if column in table.columns else ibis.null()).cast(kind)
                           for column, kind in schema.items()})


@dataclass(frozen=True)
class CreditingInputs:
    transactions: Table
    splits: Table
    account_territories: Table
    territory_positions: Table
    territory_ancestors: Table
    positions: Table
    reporting_lines: Table
    holders: Table = field(default_factory=lambda: empty("holders"))  # who held which position when
    activities: Table = field(default_factory=lambda: empty("activities"))
    opportunities: Table = field(default_factory=lambda: empty("opportunities"))
    stage_events: Table = field(default_factory=lambda: empty("stage_events"))

    @classmethod
    def from_rows(cls, **rows: list[dict]) -> CreditingInputs:
        """Inputs from lists of dicts (missing tables are empty), typed by `SCHEMAS`."""
        unknown = set(rows) - set(SCHEMAS)
        if unknown:
            raise CreditingError(f"unknown crediting inputs {sorted(unknown)}; expected {sorted(SCHEMAS)}")
        tables = {}
        for name, schema in SCHEMAS.items():
            arrow_schema = ibis.schema(schema).to_pyarrow()
            data = [{column: row.get(column) for column in schema} for row in rows.get(name, [])]
            tables[name] = ibis.memtable(pa.Table.from_pylist(data, schema=arrow_schema))
        return cls(**tables)
