"""Activity crediting: each activity counts 1 for the position its participant held that day.

Position holders are effective-dated; an activity on a day its participant held no position is not
credited, and `uncredited_activities` reports it (a calculation lists it among its exceptions).
A participant holding two positions that day credits both.
"""

from __future__ import annotations

from datetime import date

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.inputs import SHARE, VALUE, CreditingInputs
from attain.engine.crediting.relations import valid_on
from attain.engine.crediting.rules import CreditRule

SHOWN = 3


def activity_credits(inputs: CreditingInputs) -> Table:
    """Activities with the position their participant held on the day: line columns, position, share, count."""
    a, h = inputs.activities, inputs.holders
    held = a.inner_join(h, [a.participant == h.participant, valid_on(h, a.occurred_on)])
    return held.select(
        transaction_id=a.id, external_id=a.external_id, credit_date=a.occurred_on, attribution_date=a.occurred_on,
        is_reversal=ibis.literal(False), account=a.account, product_family=ibis.null().cast("string"),
        deal_type=ibis.null().cast("string"), source=ibis.literal("activity"), opportunity=a.opportunity,
        activity_kind=a.kind, qualified=a.qualified, position=h.position, share=ibis.literal(1).cast(SHARE),
        count=ibis.literal(1).cast(VALUE),
    )


def uncredited_activities(inputs: CreditingInputs, rules: list[CreditRule], start: date, end: date) -> list[str]:
    """What the plan's activity rules could not credit between `start` and `end`, per participant."""
    if not any(rule.kind == "activity" for rule in rules):
        return []
    a, h = inputs.activities, inputs.holders
    within = a.filter((a.occurred_on >= start) & (a.occurred_on <= end))
    unheld = within.anti_join(h, [within.participant == h.participant, valid_on(h, within.occurred_on)])
    rows = unheld.select("participant", "external_id", "occurred_on").order_by(
        ["participant", "occurred_on", "external_id"]).to_pyarrow().to_pylist()
    by_participant: dict[str, list[dict]] = {}
    for row in rows:
        by_participant.setdefault(row["participant"], []).append(row)
    return [_message(participant, listed) for participant, listed in by_participant.items()]


def _message(participant: str, listed: list[dict]) -> str:
    shown = ", ".join(f"{r['external_id']} on {r['occurred_on']}" for r in listed[:SHOWN])
    more = f" and {len(listed) - SHOWN} more" if len(listed) > SHOWN else ""
    noun = "activity" if len(listed) == 1 else "activities"
    return (f"{len(listed)} {noun} of {participant} ({shown}{more}) not credited: {participant} held no position "
            "on that day; record the position they held (position holders) or correct the activity's participant")
