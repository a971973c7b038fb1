"""Transaction lines prepared for crediting: dates by timing basis, attribution from the original.

A credit note or cancellation (a line with `original_id`) is attributed like its original: the same
owner, splits, account, product family, deal type, opportunity and sourcing position, and contract
dates, evaluated on the original's crediting date, so that it negates exactly the credit the original
received. It is posted on its own crediting date.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.inputs import VALUE, CreditingError
from attain.engine.crediting.relations import no_activity
from attain.engine.crediting.rules import TIMING
from attain.engine.crediting.values import annual_value

ANCHORED = ("owner_position", "account", "product_family", "deal_type", "opportunity", "sourced_by_position",
            "contract_start", "contract_end")


def _timing_date(t: Table, timing: str):
    if timing not in TIMING:
        raise CreditingError(f"unknown timing basis {timing!r}; use one of {', '.join(TIMING)}")
    return {"booked": t.booked_date, "invoiced": t.invoiced_date, "paid": t.paid_date}[timing]


def credit_lines(transactions: Table, timing: str) -> Table:
    """One row per creditable line: credit_date (posting), attribution fields, base values per credit type."""
    t = transactions
    own_date = _timing_date(t, timing)
    anchors = _anchors(t, own_date)
    joined = t.left_join(anchors, [t.id == anchors.note_id, t.original_id == anchors.note_original_id])
    is_reversal = joined.note_id.notnull()
    anchored = {c: ibis.ifelse(is_reversal, joined[f"anchor_{c}"], joined[c]) for c in ANCHORED}
    lines = joined.select(
        transaction_id=joined.id,
        external_id=joined.external_id,
        is_reversal=is_reversal,
        anchor_id=ibis.ifelse(is_reversal, joined.anchor_id, joined.id),
        credit_date=ibis.ifelse(is_reversal, _timing_date(joined, timing).fill_null(joined.booked_date),
                                _timing_date(joined, timing)),
        attribution_date=ibis.ifelse(is_reversal, joined.anchor_date, _timing_date(joined, timing)),
        source=ibis.literal("transaction"),
        **no_activity(),
        **anchored,
        amount=joined.amount, cost=joined.cost, quantity=joined.quantity,
    )
    lines = lines.filter(lines.credit_date.notnull())
    return lines.mutate(**_base_values(lines)).drop("amount", "cost", "quantity")


def _anchors(t: Table, own_date) -> Table:
    """Each credit note (a line with `original_id`) with its original's attribution fields.

    The notes are matched to their originals first and the lines then joined to these few rows:
    joining every line to every possible original instead hashes the whole transaction table.
    """
    notes = t.filter(t.original_id.notnull()).select(note_id=t.id, note_original_id=t.original_id)
    originals = t.select(anchor_id=t.id, anchor_date=own_date.fill_null(t.booked_date),
                         **{f"anchor_{c}": t[c] for c in ANCHORED})
    return notes.inner_join(originals, notes.note_original_id == originals.anchor_id)


def base_value(credited: Table, credit_type: str) -> ibis.Expr:
    """A credited line's value of the credit type; ACV is derived from revenue only where a rule credits it."""
    if credit_type == "acv":
        return annual_value(credited.revenue, credited.contract_start, credited.contract_end)
    return credited[credit_type]


def _base_values(t: Table) -> dict:
    amount = t.amount.cast(VALUE)
    sign = ibis.ifelse(t.amount < 0, -1, 1).cast(VALUE)
    return {
        "revenue": amount,
        "tcv": amount,
        "margin": ibis.ifelse(t.cost.isnull(), ibis.null(VALUE), amount - t.cost.cast(VALUE)),
        "units": t.quantity.cast(VALUE).abs() * sign,
        "count": sign,
    }
