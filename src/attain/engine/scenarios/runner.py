"""Run scenario files: read, load the plan, build inputs, calculate, compare, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from attain.engine.calculate import calculate
from attain.engine.crediting import CreditingError, uncredited_activities
from attain.engine.plans import Plan, load_plan
from attain.engine.scenarios.compare import Difference, compare
from attain.engine.scenarios.document import Scenario, ScenarioError, read_scenarios
from attain.engine.scenarios.inputs import calc_inputs
from attain.engine.scenarios.report import scenario_report

SCENARIO_SUFFIX = ".test.yaml"


@dataclass(frozen=True)
class ScenarioResult:
    source: str  # the file, as given
    name: str  # the scenario's name ("(unreadable)" when the file could not be read)
    differences: list[Difference] = field(default_factory=list)
    missing_exceptions: list[str] = field(default_factory=list)
    unexpected_exceptions: list[str] = field(default_factory=list)
    error: str | None = None  # the scenario could not run (bad file, plan problems, bad inputs)
    checked: int = 0  # expected rows compared

    @property
    def passed(self) -> bool:
        return self.error is None and not (self.differences or self.missing_exceptions or self.unexpected_exceptions)

    @property
    def status(self) -> str:
        return "passed" if self.passed else "error" if self.error else "failed"

    def report(self) -> str:
        title = f"Scenario {self.name!r} ({self.source}) {self.status}"
        if self.error:
            return f"{title}: {self.error}"
        if self.passed:
            return title
        return scenario_report(title, self.differences, self.missing_exceptions, self.unexpected_exceptions)


def find_scenario_files(path: Path) -> list[Path]:
    """The path itself when it is a file, else every *.test.yaml below it, in name order."""
    if path.is_file():
        return [path]
    return sorted(path.rglob(f"*{SCENARIO_SUFFIX}"))


def run_path(path: Path) -> list[ScenarioResult]:
    return [result for file in find_scenario_files(path) for result in run_file(file)]


def run_file(path: Path) -> list[ScenarioResult]:
    try:
        scenarios = read_scenarios(path.read_text(encoding="utf-8"), str(path))
    except (OSError, ScenarioError) as failure:
        return [ScenarioResult(str(path), "(unreadable)", error=str(failure))]
    return [run_scenario(scenario, path) for scenario in scenarios]


def run_scenario(scenario: Scenario, path: Path) -> ScenarioResult:
    return _run_against(scenario, lambda: scenario_plan(scenario, path), str(path))


class _PlanDumper(yaml.SafeDumper):
    """Writes Decimals as exact numbers, read back as Decimals by `load_plan`."""


_PlanDumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float",
                                                                                     str(value)))


def scenario_plan(scenario: Scenario, path: Path) -> Plan:
    if isinstance(scenario.plan, dict):
        text, name = yaml.dump(scenario.plan, Dumper=_PlanDumper, sort_keys=False), f"{path} (inline plan)"
    else:
        plan_path = path.parent / scenario.plan
        try:
            text, name = plan_path.read_text(encoding="utf-8"), str(plan_path)
        except OSError:
            raise ScenarioError(f"plan: cannot read {plan_path}; give a path relative to the scenario file "
                                "or write the plan inline") from None
    plan, problems = load_plan(text, name)
    if plan is None:
        raise ScenarioError("the plan has problems: " + "; ".join(str(p).splitlines()[0] for p in problems))
    return plan


def run_text(text: str, plan: Plan, source: str = "(text)") -> list[ScenarioResult]:
    """Every scenario of a text, run against the plan given (the plan each scenario names is not read): the
    workspace tests a draft's document with the scenarios kept for its plan."""
    try:
        scenarios = read_scenarios(text, source)
    except ScenarioError as failure:
        return [ScenarioResult(source, "(unreadable)", error=str(failure))]
    return [_run_against(scenario, plan, source) for scenario in scenarios]


def _run_against(scenario: Scenario, plan: Plan | Callable[[], Plan], source: str) -> ScenarioResult:
    """The scenario run against the plan (or the plan read when it is run: reading it may fail like the run)."""
    try:
        plan = plan() if callable(plan) else plan
        inputs = calc_inputs(scenario.given, plan.currency)
        result = calculate(plan, inputs)
        result.exceptions += uncredited_activities(inputs.crediting, list(plan.credit_rules),
                                                   inputs.months[0].start_date, inputs.months[-1].end_date)
        differences, missing, unexpected = compare(scenario.expect, result)
    except (ScenarioError, CreditingError) as failure:
        return ScenarioResult(source, scenario.scenario, error=str(failure))
    checked = len(scenario.expect.earnings) + len(scenario.expect.credits or [])
    return ScenarioResult(source, scenario.scenario, differences, missing, unexpected, checked=checked)
