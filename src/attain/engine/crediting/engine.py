"""Credit rules applied to prepared lines; every credit row says which rule made it."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from attain.engine.crediting.activities import activity_credits
from attain.engine.crediting.checks import check_inputs
from attain.engine.crediting.inputs import SHARE, VALUE, CreditingError, CreditingInputs
from attain.engine.crediting.lines import base_value, credit_lines
from attain.engine.crediting.pipeline import pipeline_credits
from attain.engine.crediting.relations import CREDIT_COLUMNS, LINE_COLUMNS, by_source, per_line, valid_on
from attain.engine.crediting.rules import CreditRule
from attain.engine.crediting.teams import pooled, team_credits

__all__ = ["CREDIT_COLUMNS", "LINE_COLUMNS", "credit_transactions"]
WHOLE_SHARE = {"territory", "sourced", "overlay"}  # rules whose every credit has share 1


def credit_transactions(inputs: CreditingInputs, rules: list[CreditRule], timing: str = "booked",
                        check: bool = True) -> Table:
    """All credits the rules give (on transactions, activities and opportunities), one table of `CREDIT_COLUMNS`."""
    if check:
        check_inputs(inputs)
    lines = credit_lines(inputs.transactions, timing)
    made: dict[str, Table] = {}
    reads: dict[str, set[str]] = {}  # rule → the sources of the lines its credits are on
    for rule in rules:
        if rule.name in made:
            raise CreditingError(f"two credit rules are called {rule.name!r}: give each rule its own name")
        made[rule.name] = _apply(rule, lines, inputs, made, reads)
        reads[rule.name] = {rule.reads} if rule.reads else set().union(*(reads[name] for name in rule.source))
    if not made:
        raise CreditingError("the plan has no credit rules: add at least one (e.g. kind: direct)")
    return ibis.union(*made.values())


def _apply(rule: CreditRule, lines: Table, inputs: CreditingInputs, made: dict[str, Table],
           reads: dict[str, set[str]]) -> Table:
    if rule.kind in ("rollup", "team"):
        missing = [name for name in rule.source if name not in made]
        if missing:
            verb = "rolls up" if rule.kind == "rollup" else "takes the credits of"
            raise CreditingError(f"{rule.kind} rule {rule.name!r} {verb} {', '.join(missing)}, which no "
                                 f"earlier rule defines: list the source rules before it, by name "
                                 f"({', '.join(made) or 'none yet'})")
        sources, source_reads = [made[name] for name in rule.source], set().union(*(reads[n] for n in rule.source))
        if rule.kind == "team":
            return team_credits(rule, sources, source_reads, inputs.reporting_lines)
        return _rollup(rule, sources, source_reads, inputs.reporting_lines)
    credited = _credited(rule, lines, inputs)
    base = base_value(credited, rule.credit_type)
    if rule.share == "equal":
        credits = pooled(credited, base, ["transaction_id"])
    elif rule.kind in WHOLE_SHARE and base.type() == ibis.dtype(VALUE):
        credits = credited.mutate(value=base)  # × 1: the same value, without 128-bit products per line
    else:
        credits = credited.mutate(value=(base * credited.share).cast(VALUE))
    credits = credits.mutate(rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type),
                             level=ibis.literal(0))
    return credits.filter(credits.value.notnull()).select(*CREDIT_COLUMNS)


def _credited(rule: CreditRule, lines: Table, inputs: CreditingInputs) -> Table:
    if rule.kind == "activity":
        return activity_credits(inputs)
    if rule.kind == "pipeline":
        return pipeline_credits(rule, inputs)
    return {"direct": _direct, "territory": _territory, "overlay": _overlay, "sourced": _sourced}[rule.kind](
        lines, inputs)


def _direct(lines: Table, inputs: CreditingInputs) -> Table:
    splits = inputs.splits
    split = lines.inner_join(splits, lines.anchor_id == splits.transaction_id)
    unsplit = lines.anti_join(splits, lines.anchor_id == splits.transaction_id)
    unsplit = unsplit.filter(unsplit.owner_position.notnull())
    unsplit = unsplit.mutate(position=unsplit.owner_position, share=ibis.literal(1).cast(SHARE))
    columns = [*lines.columns, "position", "share"]
    return ibis.union(split.select(*columns), unsplit.select(*columns))


def _sourced(lines: Table, inputs: CreditingInputs) -> Table:
    """The position that sourced the line's opportunity (a credit note: its original's)."""
    sourced = lines.filter(lines.sourced_by_position.notnull())
    return sourced.mutate(position=sourced.sourced_by_position, share=ibis.literal(1).cast(SHARE))


def _territory(lines: Table, inputs: CreditingInputs) -> Table:
    placed = _placed(lines, inputs)
    cover = inputs.territory_positions.filter(inputs.territory_positions.role == "primary")
    joined = placed.inner_join(cover, [placed.territory == cover.territory, valid_on(cover, placed.attribution_date)])
    return joined.select(*lines.columns, position=cover.position, share=ibis.literal(1).cast(SHARE))


def _overlay(lines: Table, inputs: CreditingInputs) -> Table:
    placed = _placed(lines, inputs)
    up = inputs.territory_ancestors
    above = placed.inner_join(up, placed.territory == up.territory).select(*lines.columns, ancestor=up.ancestor)
    cover = inputs.territory_positions.filter(inputs.territory_positions.role == "overlay")
    covered = above.inner_join(cover, [above.ancestor == cover.territory, valid_on(cover, above.attribution_date)])
    covered = covered.select(*lines.columns, position=cover.position)
    seats = inputs.positions
    fits = covered.inner_join(seats, covered.position == seats.position)
    fits = fits.filter(seats.product_family.isnull() | (seats.product_family == fits.product_family))
    return fits.select(*lines.columns, "position").distinct().mutate(share=ibis.literal(1).cast(SHARE))


def _placed(lines: Table, inputs: CreditingInputs) -> Table:
    """Lines with the territory their account was in on the attribution date."""
    at = inputs.account_territories
    joined = lines.inner_join(at, [lines.account == at.account, valid_on(at, lines.attribution_date)])
    return joined.select(*lines.columns, territory=at.territory)


def _rollup(rule: CreditRule, sources: list[Table], reads: set[str], reporting_lines: Table) -> Table:
    """Each manager level gets the sum of its reports' credits, per line (lines of each source apart)."""
    # not summed per line and position first: each level's grouping below sums the same credits anyway
    levels = []
    for level in by_source(sources, reads, rule.credit_type):
        for depth in range(1, rule.depth + 1):
            rl = reporting_lines
            up = level.inner_join(rl, [level.position == rl.position, valid_on(rl, level.attribution_date)])
            up = up.select(*LINE_COLUMNS, position=rl.manager, value=level.value)
            level = per_line(up)
            levels.append(level.mutate(
                rule=ibis.literal(rule.name), credit_type=ibis.literal(rule.credit_type),
                level=ibis.literal(depth), share=ibis.literal(1).cast(SHARE),
            ).select(*CREDIT_COLUMNS))
    return ibis.union(*levels)
