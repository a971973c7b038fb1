"""Estimates run SQL compiled once per plan and input schema: the same results as compiling every time."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from attain.engine import compiled
from attain.engine.calculate import CalcInputs, calculate, months_table
from attain.engine.crediting import CreditingInputs
from attain.engine.plans import load_plan
from tests.test_fast_path import PLAN, seen, world


@pytest.fixture(autouse=True)
def no_compiled_queries():
    compiled.clear()
    yield
    compiled.clear()


def rows(result):
    return sorted(result.measures, key=lambda row: tuple(map(str, row.values())))


def credits(result):
    return result.credits.to_pyarrow().sort_by([("transaction_id", "ascending"), ("position", "ascending"),
                                                ("rule", "ascending")])


@pytest.mark.parametrize("seed", [1, 2])
def test_an_estimate_earns_exactly_what_an_uncompiled_calculation_earns(seed):
    plan, _ = load_plan(PLAN)
    inputs = world(seed)
    plain = calculate(plan, inputs, fast=False, check=False)
    first, again = calculate(plan, inputs, estimate=True), calculate(plan, inputs, estimate=True)
    assert len(compiled._compiled) == 1  # compiled once, run twice
    for estimate in (first, again):
        assert seen(estimate) == seen(plain)
        assert rows(estimate) == rows(plain)
        assert credits(estimate).equals(credits(plain))  # the credits, on this estimate's inputs (lineage)


def test_other_inputs_of_the_same_schema_reuse_the_query_and_get_their_own_results():
    plan, _ = load_plan(PLAN)
    calculate(plan, world(1), estimate=True)
    [query] = compiled._compiled.values()
    other = world(2)
    assert seen(calculate(plan, other, estimate=True)) == seen(calculate(plan, other, fast=False, check=False))
    assert list(compiled._compiled.values()) == [query]


def test_another_plan_or_another_input_schema_never_reuses_a_query():
    plan, _ = load_plan(PLAN)
    same_text, _ = load_plan(PLAN)  # equal documents, another plan object: its own query
    inputs = world(1)
    calculate(plan, inputs, estimate=True)
    calculate(same_text, inputs, estimate=True)
    assert len(compiled._compiled) == 2
    transactions = inputs.crediting.transactions
    wider = transactions.mutate(note=ibis.literal("x"))  # one more column: another schema, another query
    widened = CalcInputs(CreditingInputs(**{**vars(inputs.crediting), "transactions": wider}), inputs.holders,
                         inputs.months, inputs.quotas, inputs.targets)
    assert seen(calculate(plan, widened, estimate=True)) == seen(calculate(plan, inputs, fast=False, check=False))
    assert len(compiled._compiled) == 3
    widest = list(compiled._compiled.values())[2].placeholders["attain_estimate_crediting_transactions"]
    assert "note" in widest.schema()  # the third query was compiled for the widened inputs


def test_a_dropped_plan_whose_id_comes_back_is_compiled_again():
    plan, _ = load_plan(PLAN)
    inputs = world(1)
    calculate(plan, inputs, estimate=True)
    [(key, query)] = compiled._compiled.items()
    other, _ = load_plan(PLAN)
    compiled._compiled[(id(other), key[1])] = query  # as if `other` had been given the dropped plan's id
    calculate(other, inputs, estimate=True)
    assert compiled._compiled[(id(other), key[1])] is not query


def test_inputs_on_two_connections_are_left_to_the_plain_path():
    inputs = world(1)
    mixed = {"holders": ibis.duckdb.connect().create_table("holders", inputs.holders.to_pyarrow()),
             "transactions": ibis.duckdb.connect().create_table(
                 "transactions", inputs.crediting.transactions.to_pyarrow()),
             "months": months_table(inputs.months)}
    assert compiled.measure_rows(object(), mixed, lambda *a: pytest.fail("not built")) is None
    unbound = {"holders": ibis.table(inputs.holders.schema(), name="holders")}
    assert compiled.measure_rows(object(), unbound, lambda *a: pytest.fail("not built")) is None
    assert not compiled._compiled


def test_in_memory_tables_are_read_without_a_query():
    table = ibis.memtable(pa.table({"a": [1, 2]}))
    assert compiled._arrow(table).equals(pa.table({"a": [1, 2]}))
