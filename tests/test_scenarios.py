"""Scenario tests as data: every examples/plans/**/*.test.yaml runs as a test, and failures read well."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.engine.calculate import calculate
from attain.engine.scenarios import SCENARIO_SUFFIX, find_scenario_files, read_scenarios, run_file, run_path
from attain.engine.scenarios.document import ScenarioError
from attain.engine.scenarios.inputs import calc_inputs
from attain.engine.scenarios.runner import scenario_plan
from tests.test_calculate import E2_PLAN
from tests.test_fast_path import seen

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "plans"
SCENARIO_FILES = find_scenario_files(EXAMPLES)

PLAN = E2_PLAN  # the same E2 plan the engine tests use

GIVEN = """
given:
  fiscal_year: 2026
  months: [FY2026-M01, FY2026-M02, FY2026-M03, FY2026-M04]
  holders:
    - {participant: E-1, position: AE-1}
  quotas:
    - {position: AE-1, period: FY2026, measure: bookings, amount: 600000}
  transactions:
    - {external_id: T-1, booked_date: 2026-01-20, amount: 250000, owner_position: AE-1}
    - {external_id: T-2, booked_date: 2026-02-15, amount: 400000, owner_position: AE-1}
    - {external_id: CN-1, booked_date: 2026-03-05, amount: -100000, original: T-2}
    - {external_id: T-3, booked_date: 2026-04-07, amount: 0.1, owner_position: AE-1}
"""

WRONG = """
scenario: E2 with wrong expectations
plan: plan.yaml
""" + GIVEN + """
expect:
  credits:
    - {transaction: T-1, position: AE-1, rule: direct, value: 250000}
    - {transaction: T-2, position: AE-1, rule: direct, value: 400000}
    - {transaction: CN-1, position: AE-1, rule: direct, value: -100000}
    - {transaction: T-3, position: AE-2, rule: direct, value: 0.1}
  earnings:
    - {participant: E-1, component: Commission, period: FY2026-M01, amount: 12500}
    - {participant: E-1, component: Commission, period: FY2026-M02, amount: 22000}
    - {participant: E-1, component: Commission, period: FY2026-M04, amount: 0.0050}
    - {participant: E-1, component: Commission, period: FY2026-M05, amount: 1000}
  exceptions:
    - "something that does not happen"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_examples_have_scenarios():
    assert len(SCENARIO_FILES) >= 10
    assert all(p.name.endswith(SCENARIO_SUFFIX) for p in SCENARIO_FILES)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_scenario_file(path):
    results = run_file(path)
    failures = [r.report() for r in results if not r.passed]
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
    assert all(r.checked > 0 for r in results)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_the_fast_and_the_decimal_path_and_an_estimate_agree_on_every_scenario(path):
    for scenario in read_scenarios(path.read_text(encoding="utf-8"), str(path)):
        plan = scenario_plan(scenario, path)
        inputs = calc_inputs(scenario.given, plan.currency)
        quick, exact = calculate(plan, inputs), calculate(plan, inputs, fast=False)
        assert seen(quick) == seen(exact), scenario.scenario
        assert seen(calculate(plan, inputs, estimate=True)) == seen(exact), scenario.scenario  # compiled SQL


def test_a_failing_scenario_reports_a_table_of_differences(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    path = write(tmp_path, "wrong.test.yaml", WRONG)
    [result] = run_file(path)
    assert result.status == "failed"
    assert result.report() == f"""Scenario 'E2 with wrong expectations' ({path}) failed
Earnings that differ (difference = got − expected):
  participant  component   period       expected        got  difference
  E-1          Commission  FY2026-M02  22,000.00  22,500.00      500.00
  E-1          Commission  FY2026-M03     (none)  -7,500.00   -7,500.00  unexpected
  E-1          Commission  FY2026-M05   1,000.00     (none)   -1,000.00  missing
Credits that differ (difference = got − expected):
  transaction  position  rule    expected     got  difference
  T-3          AE-1      direct    (none)    0.10        0.10  unexpected
  T-3          AE-2      direct      0.10  (none)       -0.10  missing
Exceptions expected but not raised:
  something that does not happen"""


def test_amounts_with_more_places_are_compared_exactly(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    rows = "\n".join(f"    - {{participant: E-1, component: Commission, period: FY2026-M0{m}, amount: {a}}}"
                     for m, a in [(1, 12500), (2, 22500), (3, -7500), (4, "0.0049")])
    path = write(tmp_path, "exact.test.yaml", "scenario: exact\nplan: plan.yaml\n" + GIVEN +
                 "expect:\n  earnings:\n" + rows + "\n")
    [result] = run_file(path)
    # 0.1 × 5% = 0.005 precisely (paid 0.01): 0.0049 is written with four places, so compared exactly
    assert result.report().splitlines()[1:] == [
        "Earnings that differ (difference = got − expected):",
        "  participant  component   period      expected    got  difference",
        "  E-1          Commission  FY2026-M04    0.0049  0.005      0.0001"]


def test_an_expected_zero_needs_no_row_and_a_rounded_cent_is_compared_in_cents(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    rows = "\n".join(f"    - {{participant: E-1, component: Commission, period: FY2026-M0{m}, amount: {a}}}"
                     for m, a in [(1, 12500), (2, 22500), (3, -7500), (4, "0.01"), (5, 0)])
    path = write(tmp_path, "cents.test.yaml", "scenario: cents\nplan: plan.yaml\n" + GIVEN +
                 "expect:\n  earnings:\n" + rows + "\n")
    assert [r.status for r in run_file(path)] == ["passed"]


def test_scenarios_that_cannot_run_say_why(tmp_path):
    write(tmp_path, "plan.yaml", PLAN.replace("measure: bookings", "measure: booking"))
    write(tmp_path, "good.yaml", PLAN)
    broken_plan = write(tmp_path, "a.test.yaml", "scenario: a\nplan: plan.yaml\n" + GIVEN + "expect: {}\n")
    no_plan = write(tmp_path, "b.test.yaml", "scenario: b\nplan: nowhere.yaml\n" + GIVEN + "expect: {}\n")
    typo = write(tmp_path, "c.test.yaml", "scenario: c\nplan: plan.yaml\n" + GIVEN.replace(
        "amount: 250000", "amout: 250000") + "expect: {}\n")
    bad_original = write(tmp_path, "d.test.yaml", "scenario: d\nplan: good.yaml\n" + GIVEN.replace(
        "original: T-2", "original: T-9") + "expect: {}\n")
    errors = [r.error for path in (broken_plan, no_plan, typo, bad_original) for r in run_file(path)]
    assert errors[0] == ("the plan has problems: Plan E2: component 'Commission', measure: 'booking' is not a "
                         "measure of this plan; choose from ['bookings']")
    assert errors[1] == (f"plan: cannot read {tmp_path / 'nowhere.yaml'}; give a path relative to the scenario "
                         "file or write the plan inline")
    assert errors[2] == (f"{typo}, scenario 'c': given.transactions.0.amount: this field is required: add it; "
                         "given.transactions.0.amout: this field is not part of a scenario: remove it or check its "
                         "spelling")
    assert errors[3] == ("given.transactions: CN-1 reverses 'T-9', which is not a transaction of this scenario; "
                         "write the original's external_id")


def test_split_shares_that_do_not_add_up_are_an_error_not_a_crash(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    text = "scenario: s\nplan: plan.yaml\n" + GIVEN + (
        "  splits:\n    - {transaction: T-1, position: AE-1, share: 0.5}\nexpect: {}\n")
    [result] = run_file(write(tmp_path, "s.test.yaml", text))
    assert result.status == "error"
    assert result.error == ("the split shares of transaction T-1 add up to 50%, not 100%: correct its credit splits")


def test_a_file_may_hold_a_list_of_scenarios_sharing_data_with_anchors():
    text = "scenarios:\n  - {scenario: a, plan: p.yaml, given: &g {fiscal_year: 2026}, expect: {}}\n" \
           "  - {scenario: b, plan: p.yaml, given: *g, expect: {}}\n"
    assert [s.scenario for s in read_scenarios(text)] == ["a", "b"]
    with pytest.raises(ScenarioError, match="no scenario in the file"):
        read_scenarios("# nothing\n", "empty.test.yaml")


def test_run_path_finds_files_in_folders(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    (tmp_path / "deep").mkdir()
    write(tmp_path / "deep", "x.test.yaml", "scenario: x\nplan: ../plan.yaml\n" + GIVEN + "expect:\n  earnings:\n"
          "    - {participant: E-1, component: Commission, period: FY2026-M01, amount: 12500}\n"
          "    - {participant: E-1, component: Commission, period: FY2026-M02, amount: 22500}\n"
          "    - {participant: E-1, component: Commission, period: FY2026-M03, amount: -7500}\n"
          "    - {participant: E-1, component: Commission, period: FY2026-M04, amount: 0.01}\n")
    write(tmp_path, "ignored.yaml", "not: a scenario")
    assert [(r.name, r.status) for r in run_path(tmp_path)] == [("x", "passed")]


def test_an_exception_not_expected_fails_the_scenario(tmp_path):
    write(tmp_path, "plan.yaml", PLAN)
    text = "scenario: vacant\nplan: plan.yaml\n" + GIVEN.replace("{participant: E-1, position: AE-1}",
                                                                  "{participant: E-1, position: AE-9}") + "expect: {}\n"
    [result] = run_file(write(tmp_path, "v.test.yaml", text))
    assert result.status == "failed"
    assert result.report().splitlines()[1:] == [
        "Exceptions raised but not expected:",
        "  credits to AE-1 while the position was vacant are not paid (bookings: FY2026-M01, FY2026-M02, FY2026-M03, "
        "FY2026-M04)"]


LINKED = GIVEN.replace("owner_position: AE-1}", "owner_position: AE-1, opportunity: O-9, sourced_by: SDR-2}", 1)


@pytest.mark.parametrize(("given", "extra", "error"), [
    (LINKED, "  opportunities:\n    - {external_id: O-1, amount: 5, created_date: 2026-01-02, sourced_by: SDR-1}\n",
     "given.transactions: T-1 names the opportunity 'O-9', which is not in given.opportunities; add it there or "
     "correct the name"),
    (LINKED, "  opportunities:\n    - {external_id: O-9, amount: 5, created_date: 2026-01-02, sourced_by: SDR-1}\n",
     "given.transactions: T-1 is sourced by SDR-2, but its opportunity O-9 by SDR-1; give sourced_by in one place"),
    (GIVEN, "  opportunities:\n    - {external_id: O-9, amount: 5, created_date: 2026-01-02, stages: [\n"
     "        {stage: qualified, entered_on: 2026-01-05}, {stage: qualified, entered_on: 2026-01-05, amount: 3}]}\n",
     "given.opportunities: O-9 enters qualified twice on 2026-01-05; keep one of the two stage rows"),
    (GIVEN, "  activities:\n    - {external_id: A-1, participant: E-1, kind: call, occurred_on: 2026-01-02}\n"
     "    - {external_id: A-1, participant: E-1, kind: call, occurred_on: 2026-01-03}\n",
     "given.activities: two rows share an external_id; give each its own"),
])
def test_opportunity_and_activity_references_are_checked(tmp_path, given, extra, error):
    write(tmp_path, "plan.yaml", PLAN)
    [result] = run_file(write(tmp_path, "s.test.yaml", "scenario: s\nplan: plan.yaml\n" + given + extra +
                              "expect: {}\n"))
    assert result.error == error


def test_a_date_that_does_not_exist_is_reported_where_it_stands():
    text = WRONG.replace("booked_date: 2026-02-15", "booked_date: 2026-02-30")
    with pytest.raises(ScenarioError, match=r"given\.transactions\.1\.booked_date: Input should be a valid date"):
        read_scenarios(text, "wrong.test.yaml")
