"""Opportunity rows, their stage history, and the activities (calls, emails, meetings, demos) around them.

Each stage an opportunity entered brings the owner's activities (kept with the rep's activity
factor, so FEW_ACTIVITIES logs about a third of what peers do); SDR-sourced opportunities start with
the SDR's qualified meeting, preceded by prospecting calls and emails on the account.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from attain.demo.org import Org
from attain.demo.pipeline import LOSS_REASONS, STAGES, OppFacts, rep_profiles
from attain.demo.rows import AS_OF, Table, stream

STAGE_ACTIVITIES = {
    "discovery": [("call", 20)],
    "solution": [("meeting", 45)],
    "proposal": [("demo", 60)],
    "negotiation": [("call", 20)],
}
SUBJECTS = {"call": "Call about {}", "email": "Follow-up: {}", "meeting": "Meeting: {}", "demo": "Product demo: {}"}


def opportunity_tables(opportunities: list[OppFacts], org: Org, seed: int) -> list[Table]:
    rng = stream(seed, "activities")
    activity_factor = {code: p.activity for code, p in rep_profiles(org, seed).items()}
    opps, events = Table("sales.Opportunity"), Table("sales.OpportunityStageEvent")
    activities = Table("sales.Activity")
    for opp in opportunities:
        opps.add(**_opportunity_row(opp))
        for stage, day in zip(STAGES[opp.stage_index:], opp.stage_days, strict=False):
            events.add(opportunity=opp.external_id, stage=stage, entered_on=day, amount=opp.amount)
        if opp.outcome != "open":
            events.add(opportunity=opp.external_id, stage=f"closed_{opp.outcome}", entered_on=opp.close,
                       amount=opp.amount)
        _owner_activities(activities, opp, org, min(1.0, activity_factor[opp.position]), rng)
        if opp.sourced_by and opp.sourced_by.startswith("SDR-"):
            _sdr_activities(activities, opp, org, rng)
    return [opps, events, activities]


def _opportunity_row(opp: OppFacts) -> dict:
    stage = f"closed_{opp.outcome}" if opp.outcome != "open" else STAGES[opp.stage_index + len(opp.stage_days) - 1]
    name = f"{opp.account.external_id} {opp.family.title()} {opp.deal_type}"
    return dict(
        external_id=opp.external_id, name=name, account=opp.account.external_id, owner_position=opp.position,
        sourced_by_position=opp.sourced_by, product_family=opp.family, deal_type=opp.deal_type, amount=opp.amount,
        currency=opp.currency, stage=stage, created_date=opp.created, expected_close_date=opp.close,
        closed_date=opp.close if opp.outcome != "open" else None, outcome=opp.outcome,
        loss_reason=LOSS_REASONS[hash_index(opp.external_id, len(LOSS_REASONS))] if opp.outcome == "lost" else "",
    )


def hash_index(text: str, size: int) -> int:
    return sum(text.encode()) % size


def _owner_activities(table: Table, opp: OppFacts, org: Org, factor: float, rng: np.random.Generator) -> None:
    for stage, day in zip(STAGES[opp.stage_index:], opp.stage_days, strict=False):
        for kind, minutes in STAGE_ACTIVITIES[stage]:
            if rng.random() >= factor:
                continue
            when = day + timedelta(days=int(rng.integers(0, 6)))
            holder = org.holder_on(opp.position, when)
            if holder is None or when > AS_OF:
                continue
            _add(table, holder, opp, kind, when, minutes, False, f"{stage}")


def _sdr_activities(table: Table, opp: OppFacts, org: Org, rng: np.random.Generator) -> None:
    holder = org.holder_on(str(opp.sourced_by), opp.created)
    if holder is None:
        return
    for back in (int(rng.integers(2, 12)),):
        kind = "call" if rng.random() < 0.6 else "email"
        _add(table, holder, opp, kind, opp.created - timedelta(days=back), 10 if kind == "call" else 0, False,
             "prospecting", link=False)
    _add(table, holder, opp, "meeting", opp.created, 30, True, "qualified meeting")


def _add(table: Table, participant: str, opp: OppFacts, kind: str, when, minutes: int, qualified: bool,
         topic: str, link: bool = True) -> None:
    table.add(
        external_id=f"ACT-{len(table.rows) + 1:07d}", participant=participant,
        opportunity=opp.external_id if link else None, account=opp.account.external_id, kind=kind,
        occurred_on=when, duration_minutes=minutes, qualified=qualified,
        subject=SUBJECTS[kind].format(topic),
    )
