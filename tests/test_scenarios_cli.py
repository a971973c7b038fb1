"""`attain plan test PATH`: the summary table, the difference report and the exit code."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from attain.cli.plans import plans, run_tests

ROOT = Path(__file__).resolve().parents[1]
E2 = ROOT / "examples" / "plans" / "domain" / "e2_year_to_date_true_up.test.yaml"


def invoke(*args: str):
    return CliRunner().invoke(plans, ["test", *args], terminal_width=200)


def test_passing_scenarios_exit_0_with_a_summary():
    result = invoke(str(E2))
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed (1 scenario in 1 file)" in result.output
    console = Console(record=True, width=200)
    assert run_tests(E2.parent, console) == 0
    text = console.export_text()
    assert "│ e2_year_to_date_true_up.test.yaml │ E2 year-to-date true-up" in text
    assert "│ e1_tier_methods.test.yaml         │ E1 interpolated" in text


def test_a_failing_scenario_exits_1_and_shows_its_differences(tmp_path):
    wrong = tmp_path / "wrong.test.yaml"
    wrong.write_text(E2.read_text(encoding="utf-8").replace("amount: 22500}", "amount: 22000}"), encoding="utf-8")
    (tmp_path / "ok.test.yaml").write_text(E2.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.exit_code == 1
    assert "  E-1          Commission  FY2026-M02  22,000.00  22,500.00      500.00" in result.output
    assert "1 passed, 1 failed (2 scenarios in 2 files)" in result.output


def test_nothing_to_run_exits_1(tmp_path):
    result = invoke(str(tmp_path))
    assert result.exit_code == 1
    assert "No scenario files" in result.output
    assert invoke(str(tmp_path / "missing")).exit_code == 1
