"""The conformance suite: every example plan's scenarios earn on Spark exactly what they earn on DuckDB.

Exactly: every earning's base, quota, earned-to-date, precise and rounded amount and explanation, the
exceptions, and every credit, on the fast path and on the Decimal path. The scenario files' own
expectations are checked on DuckDB by tests/test_scenarios.py, so they hold on Spark too.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from attain.engine.backends import using
from attain.engine.calculate import calculate
from attain.engine.scenarios import find_scenario_files, read_scenarios
from attain.engine.scenarios.inputs import calc_inputs
from attain.engine.scenarios.runner import scenario_plan
from tests.test_fast_path import seen

pytestmark = pytest.mark.spark
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "plans"
SCENARIO_FILES = find_scenario_files(EXAMPLES)


def results(plan, given, backend):
    """The scenario's earnings, exceptions and credits on both paths, calculated on `backend`."""
    with using(backend):
        inputs = calc_inputs(given, plan.currency)
        quick, exact = calculate(plan, inputs), calculate(plan, inputs, fast=False)
        credits = sorted(quick.credits.to_pyarrow().to_pylist(), key=repr)
    return seen(quick), seen(exact), credits


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_scenario_earns_on_spark_what_it_earns_on_duckdb(path, spark):
    duckdb = ibis.duckdb.connect()
    for scenario in read_scenarios(path.read_text(encoding="utf-8"), str(path)):
        plan = scenario_plan(scenario, path)
        on_duckdb = results(plan, scenario.given, duckdb)
        on_spark = results(plan, scenario.given, spark)
        assert on_duckdb[0][0], f"{scenario.scenario}: no earnings to compare"
        assert on_spark == on_duckdb, scenario.scenario


def test_the_engines_name_themselves_as_runs_record_them(spark):
    from attain.engine import backends

    with using(spark):
        assert backends.current() == "spark (local[2])"
    with using(ibis.duckdb.connect()):
        assert backends.current() == "duckdb"
    assert backends.describe("spark") == "spark (local[*])"


def test_an_unknown_engine_is_refused_with_the_choices():
    from attain.engine.backends import EngineUnavailable, use_engine

    with pytest.raises(EngineUnavailable, match="unknown engine 'polars': choose one of duckdb, spark"):
        use_engine("polars")
