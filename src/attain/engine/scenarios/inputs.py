"""From a scenario's `given` to the engine's `CalcInputs` (crediting tables, holders, months, quotas)."""

from __future__ import annotations

from collections import defaultdict

from attain.engine.calculate import CalcInputs, Month, fiscal_months
from attain.engine.crediting import CreditingInputs
from attain.engine.rates import Objective
from attain.engine.scenarios.document import Given, OpportunityRow, ScenarioError, TransactionRow


def calc_inputs(given: Given, currency: str) -> CalcInputs:
    """The engine's inputs; raises ScenarioError for references it cannot resolve."""
    crediting = CreditingInputs.from_rows(
        transactions=transaction_rows(given, currency),
        splits=split_rows(given),
        account_territories=[r.model_dump() for r in given.account_territories],
        territory_positions=[r.model_dump() for r in given.territory_positions],
        territory_ancestors=ancestor_rows(given),
        positions=position_rows(given),
        reporting_lines=[r.model_dump() for r in given.reporting_lines],
        holders=[r.model_dump() for r in given.holders],
        activities=activity_rows(given),
        opportunities=opportunity_rows(given),
        stage_events=stage_rows(given),
    )
    holders = crediting.holders
    quotas = {(q.position, q.period, q.measure): q.amount for q in given.quotas}
    targets = {t.position: t.amount for t in given.targets}
    return CalcInputs(crediting, holders, scenario_months(given), quotas, targets, objective_rows(given),
                      leave_rows(given))


def leave_rows(given: Given) -> dict[str, tuple[tuple, ...]]:
    """participant → their leaves of absence (first day, last day), in order."""
    found: dict[str, list[tuple]] = defaultdict(list)
    for row in sorted(given.leaves, key=lambda r: (r.participant, r.start_date)):
        if row.end_date < row.start_date:
            raise ScenarioError(f"given.leaves: the leave of {row.participant} ends ({row.end_date}) before it starts "
                                f"({row.start_date}); swap or correct the dates")
        found[row.participant].append((row.start_date, row.end_date))
    return {participant: tuple(leaves) for participant, leaves in found.items()}


def objective_rows(given: Given) -> dict[tuple[str, str], tuple[Objective, ...]]:
    """(position, period name) → the position's scored objectives for that period."""
    found: dict[tuple[str, str], list[Objective]] = defaultdict(list)
    for row in given.objectives:
        found[(row.position, row.period)].append(Objective(row.objective, row.weight, row.score))
    return {key: tuple(objectives) for key, objectives in found.items()}


def scenario_months(given: Given) -> tuple[Month, ...]:
    months = fiscal_months(given.fiscal_year, given.fiscal_year_start_month)
    if given.months is None:
        return months
    known = {m.period: m for m in months}
    unknown = [name for name in given.months if name not in known]
    if unknown:
        raise ScenarioError(f"given.months: {', '.join(unknown)} not in fiscal year {given.fiscal_year}; "
                            f"write month names such as {months[0].period}")
    return tuple(m for m in months if m.period in given.months)


def transaction_rows(given: Given, currency: str) -> list[dict]:
    opportunities = {o.external_id: o for o in given.opportunities}
    ids = {t.external_id: number for number, t in enumerate(given.transactions, start=1)}
    if len(ids) != len(given.transactions):
        raise ScenarioError("given.transactions: two lines share an external_id; give each line its own")
    rows = []
    for t in given.transactions:
        if t.original is not None and t.original not in ids:
            raise ScenarioError(f"given.transactions: {t.external_id} reverses {t.original!r}, which is not a "
                                "transaction of this scenario; write the original's external_id")
        row = t.model_dump(exclude={"original", "sourced_by"})
        rows.append({**row, "id": ids[t.external_id], "currency": currency, "original_id": ids.get(t.original),
                     "sourced_by_position": _sourced_by(t, opportunities)})
    return rows


def _sourced_by(t: TransactionRow, opportunities: dict[str, OpportunityRow]) -> str | None:
    if t.opportunity is None:
        return t.sourced_by
    opportunity = opportunities.get(t.opportunity)
    if opportunity is None:
        raise ScenarioError(f"given.transactions: {t.external_id} names the opportunity {t.opportunity!r}, which "
                            "is not in given.opportunities; add it there or correct the name")
    if t.sourced_by is not None and opportunity.sourced_by not in (None, t.sourced_by):
        raise ScenarioError(f"given.transactions: {t.external_id} is sourced by {t.sourced_by}, but its opportunity "
                            f"{t.opportunity} by {opportunity.sourced_by}; give sourced_by in one place")
    return t.sourced_by or opportunity.sourced_by


def _unique(rows: list, where: str) -> dict:
    """external_id → (number from 1, row); two rows with one external_id are refused."""
    numbered = {row.external_id: (number, row) for number, row in enumerate(rows, start=1)}
    if len(numbered) != len(rows):
        raise ScenarioError(f"given.{where}: two rows share an external_id; give each its own")
    return numbered


def activity_rows(given: Given) -> list[dict]:
    return [{**a.model_dump(), "id": number} for number, a in _unique(given.activities, "activities").values()]


def opportunity_rows(given: Given) -> list[dict]:
    return [{**o.model_dump(exclude={"stages", "sourced_by"}), "id": number, "sourced_by_position": o.sourced_by}
            for number, o in _unique(given.opportunities, "opportunities").values()]


def stage_rows(given: Given) -> list[dict]:
    rows, seen = [], set()
    for number, o in _unique(given.opportunities, "opportunities").values():
        for stage in o.stages:
            if (o.external_id, stage.stage, stage.entered_on) in seen:
                raise ScenarioError(f"given.opportunities: {o.external_id} enters {stage.stage} twice on "
                                    f"{stage.entered_on}; keep one of the two stage rows")
            seen.add((o.external_id, stage.stage, stage.entered_on))
            rows.append({**stage.model_dump(), "opportunity_id": number})
    return rows


def split_rows(given: Given) -> list[dict]:
    ids = {t.external_id: number for number, t in enumerate(given.transactions, start=1)}
    rows = []
    for s in given.splits:
        if s.transaction not in ids:
            raise ScenarioError(f"given.splits: {s.transaction!r} is not a transaction of this scenario; "
                                "write a transaction's external_id")
        rows.append({"transaction_id": ids[s.transaction], "position": s.position, "share": s.share})
    return rows


def ancestor_rows(given: Given) -> list[dict]:
    """(territory, ancestor) pairs, each territory with itself, from the `territories` tree (parent links)."""
    parent = {t.territory: t.parent for t in given.territories}
    named = set(parent) | {r.territory for r in given.account_territories} | {
        r.territory for r in given.territory_positions}
    rows = []
    for territory in sorted(named):
        seen, node = [], territory
        while node is not None and node not in seen:
            seen.append(node)
            node = parent.get(node)
        if node is not None:
            raise ScenarioError(f"given.territories: the parents of {territory} form a loop ({' → '.join(seen)})")
        rows += [{"territory": territory, "ancestor": ancestor} for ancestor in seen]
    return rows


def position_rows(given: Given) -> list[dict]:
    """The listed positions, plus every other position the scenario names (no product family)."""
    rows = {p.position: p.model_dump() for p in given.positions}
    named = [r.position for r in given.territory_positions] + [r.position for r in given.holders]
    for position in named:
        rows.setdefault(position, {"position": position, "kind": None, "product_family": None})
    return list(rows.values())
