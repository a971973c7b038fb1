"""What every credit carries, and the relational steps the rules share."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.inputs import VALUE

# a credit's line: a transaction line, an activity or an opportunity (`source`); `transaction_id` is the
# line's id in its source, so lines are told apart by (source, transaction_id)
LINE_COLUMNS = ("transaction_id", "external_id", "credit_date", "attribution_date", "is_reversal", "account",
                "product_family", "deal_type", "source", "opportunity", "activity_kind", "qualified")
CREDIT_COLUMNS = (*LINE_COLUMNS, "rule", "credit_type", "position", "level", "share", "value")
SOURCES = ("transaction", "activity", "opportunity")


def valid_on(table: Table, day) -> ibis.Expr:
    return (table.valid_from <= day) & (table.valid_to.isnull() | (day <= table.valid_to))


def no_activity() -> dict:
    """The activity fields of a line that is not an activity."""
    return {"activity_kind": ibis.null().cast("string"), "qualified": ibis.null().cast("boolean")}


def per_line(credits: Table) -> Table:
    """Credit summed per line and position (the credits of one source). The other line columns are the line's
    own, so they are carried (any value of the group), not grouped on: hashing them made roll-ups 2–3× slower."""
    carried = {c: credits[c].arbitrary() for c in LINE_COLUMNS if c != "transaction_id"}
    summed = credits.group_by(["transaction_id", "position"]).aggregate(value=credits.value.sum().cast(VALUE),
                                                                       **carried)
    return summed.select(*LINE_COLUMNS, "position", "value")


def by_source(credits: list[Table], sources: set[str], credit_type: str) -> list[Table]:
    """The credits of one credit type, one table per source (line ids are unique only within a source)."""
    taken = ibis.union(*credits).filter(lambda c: c.credit_type == credit_type)
    if len(sources) == 1:
        return [taken]
    return [taken.filter(taken.source == source) for source in SOURCES if source in sources]
