"""Credit rules applied to prepared lines; every credit row says which rule made it."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.checks import check_inputs
from attain.engine.crediting.inputs import SHARE, VALUE, CreditingError, CreditingInputs
from attain.engine.crediting.lines import credit_lines
from attain.engine.crediting.rules import CreditRule

LINE_COLUMNS = ("transaction_id", "external_id", "credit_date", "attribution_date", "is_reversal", "account",
                "product_family", "deal_type")
CREDIT_COLUMNS = (*LINE_COLUMNS, "rule", "credit_type", "position", "level", "share", "value")


def credit_transactions(inputs: CreditingInputs, rules: list[CreditRule], timing: str = "booked",
                        check: bool = True) -> Table:
    """All credits the rules give, as one Ibis table with `CREDIT_COLUMNS`."""
    if check:
        check_inputs(inputs)
    lines = credit_lines(inputs.transactions, timing)
    made: dict[str, Table] = {}
    for rule in rules:
        if rule.name in made:
            raise CreditingError(f"two credit rules are called {rule.name!r}: give each rule its own name")
        made[rule.name] = _apply(rule, lines, inputs, made)
    if not made:
        raise CreditingError("the plan has no credit rules: add at least one (e.g. kind: direct)")
    return ibis.union(*made.values())


def _apply(rule: CreditRule, lines: Table, inputs: CreditingInputs, made: dict[str, Table]) -> Table:
    if rule.kind == "rollup":
        missing = [name for name in rule.source if name not in made]
        if missing:
            raise CreditingError(f"rollup rule {rule.name!r} rolls up {', '.join(missing)}, which no earlier rule "
                                 f"defines: list the source rules before it, by name ({', '.join(made) or 'none yet'})")
        return _rollup(rule, [made[name] for name in rule.source], inputs.reporting_lines)
    credited = {"direct": _direct, "territory": _territory, "overlay": _overlay}[rule.kind](lines, inputs)
    value = credited[rule.credit_type] * credited.share
    credits = credited.mutate(rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type),
                              level=ibis.literal(0), value=value.cast(VALUE))
    return credits.filter(credits.value.notnull()).select(*CREDIT_COLUMNS)


def _valid_on(table: Table, day) -> ibis.Expr:
    return (table.valid_from <= day) & (table.valid_to.isnull() | (day <= table.valid_to))


def _direct(lines: Table, inputs: CreditingInputs) -> Table:
    splits = inputs.splits
    split = lines.inner_join(splits, lines.anchor_id == splits.transaction_id)
    unsplit = lines.anti_join(splits, lines.anchor_id == splits.transaction_id)
    unsplit = unsplit.filter(unsplit.owner_position.notnull())
    unsplit = unsplit.mutate(position=unsplit.owner_position, share=ibis.literal(1).cast(SHARE))
    columns = [*lines.columns, "position", "share"]
    return ibis.union(split.select(*columns), unsplit.select(*columns))


def _territory(lines: Table, inputs: CreditingInputs) -> Table:
    placed = _placed(lines, inputs)
    cover = inputs.territory_positions.filter(inputs.territory_positions.role == "primary")
    joined = placed.inner_join(cover, [placed.territory == cover.territory, _valid_on(cover, placed.attribution_date)])
    return joined.select(*lines.columns, position=cover.position, share=ibis.literal(1).cast(SHARE))


def _overlay(lines: Table, inputs: CreditingInputs) -> Table:
    placed = _placed(lines, inputs)
    up = inputs.territory_ancestors
    above = placed.inner_join(up, placed.territory == up.territory).select(*lines.columns, ancestor=up.ancestor)
    cover = inputs.territory_positions.filter(inputs.territory_positions.role == "overlay")
    covered = above.inner_join(cover, [above.ancestor == cover.territory, _valid_on(cover, above.attribution_date)])
    covered = covered.select(*lines.columns, position=cover.position)
    seats = inputs.positions
    fits = covered.inner_join(seats, covered.position == seats.position)
    fits = fits.filter(seats.product_family.isnull() | (seats.product_family == fits.product_family))
    return fits.select(*lines.columns, "position").distinct().mutate(share=ibis.literal(1).cast(SHARE))


def _placed(lines: Table, inputs: CreditingInputs) -> Table:
    """Lines with the territory their account was in on the attribution date."""
    at = inputs.account_territories
    joined = lines.inner_join(at, [lines.account == at.account, _valid_on(at, lines.attribution_date)])
    return joined.select(*lines.columns, territory=at.territory)


def _rollup(rule: CreditRule, sources: list[Table], reporting_lines: Table) -> Table:
    """Each manager level gets the sum of its reports' credits, per transaction."""
    # not summed per transaction and position first: each level's grouping below sums the same credits anyway
    level = ibis.union(*sources).filter(lambda c: c.credit_type == rule.credit_type)
    keys = list(LINE_COLUMNS)
    levels = []
    for depth in range(1, rule.depth + 1):
        rl = reporting_lines
        up = level.inner_join(rl, [level.position == rl.position, _valid_on(rl, level.attribution_date)])
        up = up.select(*keys, position=rl.manager, value=level.value)
        level = _per_transaction(up)
        levels.append(level.mutate(
            rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type),
            level=ibis.literal(depth), share=ibis.literal(1).cast(SHARE),
        ).select(*CREDIT_COLUMNS))
    return ibis.union(*levels)


def _per_transaction(credits: Table) -> Table:
    """Credit summed per transaction and position. The other line columns are the transaction's own, so
    they are carried (any value of the group), not grouped on: hashing them made roll-ups 2–3× slower."""
    carried = {c: credits[c].arbitrary() for c in LINE_COLUMNS if c != "transaction_id"}
    summed = credits.group_by(["transaction_id", "position"]).aggregate(value=credits.value.sum().cast(VALUE),
                                                                       **carried)
    return summed.select(*LINE_COLUMNS, "position", "value")
