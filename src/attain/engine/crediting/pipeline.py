"""Pipeline crediting: an opportunity credits its sourcing position (or its owner) when it enters a stage.

The credit date is the day the opportunity first entered the rule's `stage` (its stage history), or its
created date when the rule names no stage. The value is the stage event's amount when the event has
one, else the opportunity's amount (credit type revenue), or 1 (count). Opportunities that never entered
the stage, or have no position to credit, give no credit; a later stage change does not take it back.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.inputs import SHARE, VALUE, CreditingInputs
from attain.engine.crediting.relations import no_activity
from attain.engine.crediting.rules import CreditRule


def pipeline_credits(rule: CreditRule, inputs: CreditingInputs) -> Table:
    """Opportunities with their credit date, position and base values (revenue, count)."""
    o = inputs.opportunities
    entered = _first_entries(inputs.stage_events, rule.stage) if rule.stage else None
    if entered is None:
        dated = o.mutate(day=o.created_date, stage_amount=ibis.null().cast(VALUE))
    else:
        dated = o.inner_join(entered, o.id == entered.opportunity_id).select(
            *o.columns, day=entered.day, stage_amount=entered.stage_amount)
    position = dated.sourced_by_position if rule.to == "sourced_by" else dated.owner_position
    credited = dated.filter(position.notnull())
    position = credited.sourced_by_position if rule.to == "sourced_by" else credited.owner_position
    return credited.select(
        transaction_id=credited.id, external_id=credited.external_id, credit_date=credited.day,
        attribution_date=credited.day, is_reversal=ibis.literal(False), account=credited.account,
        product_family=credited.product_family, deal_type=credited.deal_type, source=ibis.literal("opportunity"),
        opportunity=credited.external_id, **no_activity(), position=position, share=ibis.literal(1).cast(SHARE),
        revenue=credited.stage_amount.fill_null(credited.amount).cast(VALUE), count=ibis.literal(1).cast(VALUE),
    )


def _first_entries(events: Table, stage: str) -> Table:
    """Per opportunity, the first day it entered `stage`, with that event's amount."""
    named = events.filter(events.stage == stage)
    first = named.group_by("opportunity_id").aggregate(day=named.entered_on.min())
    joined = first.inner_join(named, [first.opportunity_id == named.opportunity_id, first.day == named.entered_on])
    return joined.select(opportunity_id=first.opportunity_id, day=first.day, stage_amount=named.amount)
