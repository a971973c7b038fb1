"""Credits summed per position and day, for measures that only add credits up (the fast path).

A measure that sums credits needs, of each credit, its rule, type, position, credit date and the
columns its filter tests: not the transaction. So the first-level rules' credits are summed per
(rule, credit type, position, credit date, attribution date and those columns) as soon as they are
made, and roll-ups lift these sums rather than single transactions (a manager's credit for a day is
the sum of its reports' credits for that day, through the reporting lines valid on the attribution
date: the same sums `credit_transactions` gives per transaction, added up). The per-transaction
credits stay what lineage and drill-down read.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.engine import _apply, credit_transactions
from attain.engine.crediting.inputs import VALUE, CreditingInputs
from attain.engine.crediting.lines import credit_lines
from attain.engine.crediting.relations import valid_on
from attain.engine.crediting.rules import CreditRule

SUM_KEYS = ("rule", "credit_type", "position", "credit_date", "attribution_date")
LINE_KINDS = ("direct", "territory", "overlay")  # rules made from the lines alone; rollup lifts them


def credit_sums(inputs: CreditingInputs, rules: list[CreditRule], timing: str = "booked",
                keys: tuple[str, ...] = ()) -> Table:
    """Credits summed per `SUM_KEYS` and `keys` (line columns a measure filters on), in column `value`.

    Rule kinds this module does not know are credited per transaction by `credit_transactions` and
    summed afterwards: slower, the same sums. Inputs are not checked here (`credit_transactions` is).
    """
    group = (*SUM_KEYS, *(k for k in keys if k not in SUM_KEYS))
    if any(rule.kind not in (*LINE_KINDS, "rollup") for rule in rules):
        return _summed(credit_transactions(inputs, rules, timing, check=False), group)
    lines = credit_lines(inputs.transactions, timing)
    made: dict[str, Table] = {}
    for rule in rules:
        if rule.kind == "rollup":
            made[rule.name] = _rollup_sums(rule, [made[name] for name in rule.source], inputs.reporting_lines, group)
        else:  # one rule, one credit type: grouped without them (fewer keys to hash), then named
            credits = _apply(rule, lines, inputs, made, {})  # line rules read no other rule's credits
            summed = _summed(credits, tuple(k for k in group if k not in ("rule", "credit_type")))
            made[rule.name] = summed.mutate(rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type))
    return ibis.union(*(t.select(*group, "value") for t in made.values()))


def _summed(credits: Table, group: tuple[str, ...]) -> Table:
    return credits.group_by(list(group)).aggregate(value=credits.value.sum().cast(VALUE))


def _rollup_sums(rule: CreditRule, sources: list[Table], reporting_lines: Table, group: tuple[str, ...]) -> Table:
    """Each manager level: the sums of its reports' credits, per day (see `engine._rollup`)."""
    level = ibis.union(*sources).filter(lambda c: c.credit_type == rule.credit_type)
    carried = [k for k in group if k not in ("rule", "credit_type", "position")]
    levels = []
    for _depth in range(1, rule.depth + 1):
        rl = reporting_lines
        up = level.inner_join(rl, [level.position == rl.position, valid_on(rl, level.attribution_date)])
        up = up.select(*carried, position=rl.manager, value=level.value)
        level = up.group_by(["position", *carried]).aggregate(value=up.value.sum().cast(VALUE))
        levels.append(level.mutate(rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type)))
    return ibis.union(*(lv.select(*group, "value") for lv in levels))
