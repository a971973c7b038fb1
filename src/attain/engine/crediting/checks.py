"""Checks before crediting: split shares add up, the hierarchy has no cycles."""

from __future__ import annotations

from collections import defaultdict

from attain.engine.crediting.inputs import CreditingError, CreditingInputs
from attain.engine.money import show_percent

SHOWN = 5


def check_inputs(inputs: CreditingInputs) -> None:
    problems = _split_problems(inputs) + _doubled_splits(inputs) + _hierarchy_cycles(inputs)
    if problems:
        raise CreditingError("; ".join(problems))


def _split_problems(inputs: CreditingInputs) -> list[str]:
    splits, lines = inputs.splits, inputs.transactions
    totals = splits.group_by("transaction_id").aggregate(total=splits.share.sum())
    wrong = totals.filter(totals.total != 1).inner_join(lines, totals.transaction_id == lines.id)
    rows = wrong.select("external_id", "total").order_by("external_id").limit(SHOWN + 1).to_pyarrow().to_pylist()
    return [f"the split shares of transaction {r['external_id']} add up to {show_percent(r['total'])}, not 100%: "
            "correct its credit splits" for r in rows[:SHOWN]]


def _doubled_splits(inputs: CreditingInputs) -> list[str]:
    """A position named twice in one transaction's splits would be credited twice by the direct rule."""
    splits, lines = inputs.splits, inputs.transactions
    twice = splits.group_by(["transaction_id", "position"]).aggregate(n=splits.share.count()).filter(lambda t: t.n > 1)
    named = twice.inner_join(lines, twice.transaction_id == lines.id).select("external_id", "position")
    rows = named.order_by(["external_id", "position"]).limit(SHOWN).to_pyarrow().to_pylist()
    return [f"the splits of transaction {r['external_id']} name {r['position']} twice, so one rule would credit it "
            "twice: give each position one split line with its whole share" for r in rows]


def _hierarchy_cycles(inputs: CreditingInputs) -> list[str]:
    """Reporting lines that form a loop on some day (checked on every day a line starts)."""
    rows = inputs.reporting_lines.to_pyarrow().to_pylist()
    for day in sorted({r["valid_from"] for r in rows}):
        manager_of = {r["position"]: r["manager"] for r in rows
                      if r["valid_from"] <= day and (r["valid_to"] is None or day <= r["valid_to"])}
        loop = _find_loop(manager_of)
        if loop:
            return [f"the reporting lines valid on {day} form a loop ({' → '.join(loop)}): "
                    "end one of these lines or point it to another manager"]
    return []


def _find_loop(manager_of: dict[str, str]) -> list[str]:
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the current path, 2 done
    for start in manager_of:
        path, node = [], start
        while node in manager_of and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = manager_of[node]
        if state[node] == 1:
            return path[path.index(node):] + [node]
        for seen in path:
            state[seen] = 2
    return []
