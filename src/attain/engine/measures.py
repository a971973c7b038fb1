"""Measures: credits → one value per participant, position, measure and month, with QTD and YTD.

Credit follows positions, pay follows participants: each credit goes to whoever held the position on
the credit date (a credit to a vacant seat has no participant and is reported, not paid). Values are
exact decimals. Averages are returned as sum and count, divided once in Decimal by the caller,
because SQL engines divide decimals in binary floating point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import ibis
from ibis.expr.types import BooleanValue, Table

from attain.engine.crediting.inputs import VALUE

AGGREGATES = ("sum", "count", "average", "distinct_count")
MEASURE_COLUMNS = ("measure", "participant", "position", "period", "quarter", "fiscal_year", "period_start",
                   "total", "items", "qtd_total", "qtd_items", "ytd_total", "ytd_items")


@dataclass(frozen=True)
class Measure:
    """An aggregate of credits: which credits (rules, credit type, filter) and how they add up."""

    name: str
    credit_type: str = "revenue"
    rules: tuple[str, ...] = ()  # credit rules that count; empty = all rules of the credit type
    aggregate: str = "sum"
    filter: Callable[[Table], BooleanValue] | None = None  # compiled from the plan's expression
    distinct: str = "transaction_id"  # for distinct_count: which credit column is counted

    def __post_init__(self) -> None:
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"measure {self.name!r}: unknown aggregate {self.aggregate!r}; "
                             f"use one of {', '.join(AGGREGATES)}")


def holders_on_credit_date(credits: Table, holders: Table) -> Table:
    """Credits with the participant holding the credited position on the credit date (or null)."""
    # an open end as the latest date rather than `valid_to IS NULL OR …`: an OR in a left join's condition
    # makes DuckDB compare every credit with every holder (a nested-loop join); this stays a hash join
    on_date = (holders.valid_from <= credits.credit_date) & (
        credits.credit_date <= holders.valid_to.fill_null(ibis.literal(date.max)))
    joined = credits.left_join(holders, [credits.position == holders.position, on_date])
    return joined.select(*credits.columns, participant=holders.participant)


def measure_values(credits: Table, months: Table, measures: list[Measure]) -> Table:
    """Month, quarter-to-date and year-to-date values of every measure.

    `credits` carries a `participant` column (see `holders_on_credit_date`); `months` has one row per
    fiscal month: period, quarter, fiscal_year, start_date, end_date.
    """
    tables = [_one_measure(credits, months, m) for m in measures]
    if not tables:
        raise ValueError("the plan has no measures: add one (e.g. bookings, the sum of revenue credits)")
    return ibis.union(*tables)


def measure_credits(credits: Table, measure: Measure) -> Table:
    """The credits a measure adds up (its credit type, rules and filter): the measure's lineage."""
    chosen = credits.filter(credits.credit_type == measure.credit_type)
    if measure.rules:
        chosen = chosen.filter(chosen.rule.isin(measure.rules))
    if measure.filter is not None:
        chosen = chosen.filter(measure.filter(chosen))
    return chosen


def _one_measure(credits: Table, months: Table, measure: Measure) -> Table:
    chosen = measure_credits(credits, measure)
    in_month = (months.start_date <= chosen.credit_date) & (chosen.credit_date <= months.end_date)
    dated = chosen.inner_join(months, in_month).select(
        *chosen.columns, period=months.period, quarter=months.quarter, fiscal_year=months.fiscal_year,
        period_start=months.start_date)
    # a month's name, quarter and year follow from its start: carried, not grouped on (fewer keys to hash)
    carried = {c: dated[c].arbitrary() for c in ("period", "quarter", "fiscal_year")}
    monthly = dated.group_by(["participant", "position", "period_start"]).aggregate(
        **_aggregate(dated, measure), **carried)
    return _to_date(monthly).mutate(measure=ibis.literal(measure.name)).select(*MEASURE_COLUMNS)


def _aggregate(dated: Table, measure: Measure) -> dict:
    if measure.aggregate == "distinct_count":
        counted = dated[measure.distinct]
        if measure.distinct == "transaction_id":  # ids are unique within a source (transactions, activities, …)
            counted = dated.source.concat(":", counted.cast("string"))
        items = counted.nunique(where=dated.value > 0).cast(VALUE)
        return {"total": items, "items": items}
    sign = ibis.ifelse(dated.value < 0, -1, 1)
    items = sign.sum().cast(VALUE)  # a reversal takes its line back out of the count
    total = items if measure.aggregate == "count" else dated.value.sum().cast(VALUE)
    return {"total": total, "items": items}


def _to_date(monthly: Table) -> Table:
    """Quarter- and year-to-date running totals, ordered by month (unique within each group)."""
    by_quarter = ibis.cumulative_window(group_by=["participant", "position", "quarter"], order_by="period_start")
    by_year = ibis.cumulative_window(group_by=["participant", "position", "fiscal_year"], order_by="period_start")
    return monthly.mutate(
        qtd_total=monthly.total.sum().over(by_quarter).cast(VALUE),
        qtd_items=monthly["items"].sum().over(by_quarter).cast(VALUE),
        ytd_total=monthly.total.sum().over(by_year).cast(VALUE),
        ytd_items=monthly["items"].sum().over(by_year).cast(VALUE),
    )
