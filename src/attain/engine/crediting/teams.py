"""Team and pool crediting: credit shared by the positions of a team or of a territory.

A team is every position reporting to one manager on a day (through the effective-dated reporting
lines). A `team` rule gives each credit of its source rules to every position of the credited
position's team on the credit's attribution date (the credited position included): the whole credit
to each (`share: full`) or an equal part (`share: equal`, a pool). A position without a manager that
day has no team: its credits give no team credit. Credits are summed per line and position.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.inputs import SHARE, VALUE
from attain.engine.crediting.relations import CREDIT_COLUMNS, LINE_COLUMNS, by_source, per_line, valid_on
from attain.engine.crediting.rules import CreditRule
from attain.engine.crediting.values import equal_part
from attain.engine.expressions.decimals import divide, literal


def pooled(credited: Table, value: ibis.Expr, keys: list[str], order: str = "position") -> Table:
    """`credited` with `value` split equally among the rows of each group of `keys`; `share` is each row's
    fraction, rounded to 8 places, for reading (the values are exact and add up to the group's value)."""
    group = ibis.window(group_by=keys)
    first_in_order = ibis.window(group_by=keys, order_by=order)
    parts = credited.mutate(_value=value, _parts=credited[order].count().over(group),
                            _rank=ibis.row_number().over(first_in_order))
    return parts.mutate(value=equal_part(parts._value, parts._parts, parts._rank == 0),
                        share=divide(literal(Decimal(1)), parts._parts.cast("decimal(19,0)")).cast(SHARE),
                        ).drop("_value", "_parts", "_rank")


def team_credits(rule: CreditRule, sources: list[Table], reads: set[str], reporting_lines: Table) -> Table:
    """The rule's credits: each source credit to the team of its position (see the module's docstring)."""
    tables = []
    for credits in by_source(sources, reads, rule.credit_type):
        summed = per_line(credits)
        tables.append(per_line(_to_team(rule, summed, reporting_lines)))
    made = ibis.union(*tables)
    share = ibis.literal(1) if rule.share == "full" else ibis.null()  # equal parts summed: no one fraction
    return made.mutate(rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type),
                       level=ibis.literal(0), share=share.cast(SHARE)).select(*CREDIT_COLUMNS)


def _to_team(rule: CreditRule, credits: Table, reporting_lines: Table) -> Table:
    """One row per source credit and member of its position's team, with the member's value."""
    up = reporting_lines
    managed = credits.inner_join(up, [credits.position == up.position, valid_on(up, credits.attribution_date)])
    managed = managed.select(*LINE_COLUMNS, credited=credits.position, manager=up.manager, value=credits.value)
    peers = reporting_lines.view()
    team = managed.inner_join(peers, [managed.manager == peers.manager, valid_on(peers, managed.attribution_date)])
    team = team.select(*LINE_COLUMNS, "credited", position=peers.position, value=managed.value)
    if rule.share == "equal":
        team = pooled(team, team.value, ["transaction_id", "credited"]).drop("share")
    return team.select(*LINE_COLUMNS, "position", value=team.value.cast(VALUE))
