"""The example plans load without problems, each has scenario tests, and docs/plan-schema.json is current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attain.engine.plans import load_plan, plan_json_schema
from attain.engine.scenarios import read_scenarios
from attain.engine.scenarios.runner import run_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "plans"
PLANS = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".test.yaml"))
SCHEMA = ROOT / "docs" / "plan-schema.json"
GUIDE = ROOT / "docs" / "plan-language.md"


def schema_text() -> str:
    return json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n"


def test_every_kind_of_example_plan_is_there():
    assert [p.stem for p in PLANS] == ["ae", "channel", "manager", "overlay", "sdr", "spiff"]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_example_plan_loads_without_problems(path):
    plan, problems = load_plan(path.read_text(encoding="utf-8"), path.name)
    assert [str(p) for p in problems] == []
    assert plan is not None and plan.components


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_example_plan_has_scenario_tests_beside_it(path):
    tests = path.with_name(f"{path.stem}.test.yaml")
    scenarios = read_scenarios(tests.read_text(encoding="utf-8"), str(tests))
    assert {s.plan for s in scenarios} == {path.name}


def test_the_published_json_schema_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "docs/plan-schema.json is out of date; regenerate it with: .venv/bin/python -c \"import json; "
        "from attain.engine.plans import plan_json_schema; open('docs/plan-schema.json', 'w').write("
        "json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + '\\n')\"")


def test_the_scenario_format_example_in_the_guide_passes():
    section = GUIDE.read_text(encoding="utf-8").split("### 11.2 Format")[1]
    [scenario] = read_scenarios(section.split("```yaml")[1].split("```")[0], "docs/plan-language.md")
    result = run_scenario(scenario, EXAMPLES / "guide.test.yaml")
    assert result.passed, result.report()
