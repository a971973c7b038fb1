"""Who held a seat when, less the days on leave: the days amounts are prorated by (DOMAIN §3.8, E6).

A participant's tenure on a position is the spells of their holder records (a transfer mid-year is
two of them, on two positions) and the participant's leaves of absence that prorate. A leave does
not remove the holder: credits during it still go to the position's holder. It only takes its days
out of the days that count when a quota, a target incentive, a guarantee or objectives are prorated.
Within a plan, the tenure is also limited to the days the position is on that plan: a position moved
to another plan on 16 April has 1 January–15 April on the first plan and the rest on the second.
Days are calendar days, both ends counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ibis.expr.types import Table

from attain.engine.money import show_amount, show_percent
from attain.engine.periods import days_held, days_inclusive, overlap, without

Spell = tuple[date, date | None]  # (since, until), both inclusive; until None: until further notice
Leave = tuple[date, date]  # (first day away, last day away), both inclusive


@dataclass(frozen=True)
class Tenure:
    spells: tuple[Spell, ...] = ()
    away: tuple[Leave, ...] = ()  # the participant's leaves of absence that prorate
    active: tuple[Spell, ...] = field(init=False, repr=False, compare=False)  # the spells less the leaves

    def __post_init__(self) -> None:
        object.__setattr__(self, "active", tuple(without(self.spells, self.away)))

    def __bool__(self) -> bool:
        return bool(self.spells)

    @property
    def first_day(self) -> date:
        return min(since for since, _ in self.spells)

    def held(self, start: date, end: date) -> int:
        """Days of `start`–`end` the seat was held, leave or not."""
        return days_held(start, end, self.spells)

    def days(self, start: date, end: date) -> int:
        """Days of `start`–`end` the seat was held and the participant not on leave: the days that count."""
        return days_held(start, end, self.active) if self.away else self.held(start, end)

    def covers(self, start: date, end: date) -> bool:
        """Whether every day of `start`–`end` counts (held, none on leave): nothing to prorate. No day counting."""
        return (any(since <= start and (until is None or until >= end) for since, until in self.spells)
                and not any(first <= end and last >= start for first, last in self.away))

    def fraction(self, start: date, end: date, total: int, noun: str = "days held") -> str:
        """'260/365 days held', or with leave '198/365 days held (229 held less 31 on leave)'."""
        counted, held = self.days(start, end), self.held(start, end)
        leave = f" ({held} held less {held - counted} on leave)" if held != counted else ""
        return f"{counted}/{total} {noun}{leave}"

    def prorate(self, amount: Decimal, span: tuple[date, date] | None) -> tuple[Decimal, str]:
        """`amount` × the days that count / the days of `span`, and how ('720,000.00 × 260/365 days held = ').

        Unchanged (and no text) when every day counts, when no day does (it is never prorated to zero:
        the full amount applies), without a span, or without spells.
        """
        if span is None or not self.spells or self.covers(*span):
            return amount, ""
        counted, total = self.days(*span), days_inclusive(*span)
        if counted == 0 or counted >= total:
            return amount, ""
        return amount * counted / total, f"{show_amount(amount)} × {self.fraction(*span, total)} = "


NO_TENURE = Tenure()


def holds_in(tenure: Tenure, month) -> bool:
    """Whether the participant held the position (on the plan) on some day of the month; True without spells."""
    return not tenure or tenure.held(month.start_date, month.end_date) > 0


def tenures_on_plan(holders: Table, leaves: dict[str, tuple[Leave, ...]],
                    assignments: Table | None = None) -> dict[tuple[str, str], Tenure]:
    """(participant, position) → the spells the participant held it while it was on the plan, and the
    participant's leaves. A holder who never held it while on the plan has no tenure on the plan."""
    spans, on_plan = defaultdict(list), _spans(assignments)
    for row in holders.to_pyarrow().to_pylist():
        spans[(row["participant"], row["position"])].append((row["valid_from"], row["valid_to"]))
    if on_plan is not None:
        spans = {key: overlap(spells, on_plan.get(key[1], ())) for key, spells in spans.items()}
    return {key: Tenure(tuple(spells), tuple(leaves.get(key[0], ()))) for key, spells in spans.items() if spells}


def _spans(assignments: Table | None) -> dict[str, list] | None:
    """Position → the (valid_from, valid_to) spans it is on the plan; None without assignments."""
    if assignments is None:
        return None
    spans = defaultdict(list)
    for row in assignments.to_pyarrow().to_pylist():
        spans[row["position"]].append((row["valid_from"], row["valid_to"]))
    return spans


def reads_target(component) -> bool:
    """Whether the component's amount depends on the target incentive (a payout, a cap or a formula on it)."""
    return (component.payout == "percent_of_target" or (component.cap is not None and component.cap.kind != "amount")
            or (component.formula is not None and "target" in component.formula.fields))


def prorated_target(component, target: Decimal | None, span: tuple[date, date] | None,
                    tenure: Tenure) -> tuple[Decimal | None, str]:
    """The annual target prorated over `span` (the scope's window) by the days that count, and how, for reading.

    Only for a component that reads the target, in a plan that prorates it (`prorate_target`, the default).
    """
    if target is None or not component.prorate_target or not reads_target(component):
        return target, ""
    prorated, how = tenure.prorate(target, span)
    return prorated, f"target {how}{show_amount(prorated)}" if how else ""


def window_limit(cap, prorate: bool, target: Decimal | None, span: tuple[date, date] | None,
                 tenure: Tenure) -> tuple[Decimal, str] | None:
    """A percent-of-target cap's limit over its window (`span`) with the target prorated; None: the full limit."""
    if cap.kind == "amount" or target is None or not prorate:
        return None
    prorated, how = tenure.prorate(target, span)
    if not how:
        return None
    limit = cap.limit(prorated)
    return limit, f"{show_amount(limit)} ({show_percent(cap.value)} of target {how}{show_amount(prorated)})"
