"""Scenario tests as data: YAML files that give inputs, name a plan and expect earnings to the cent.

    results = run_path(Path("examples/plans"))      # every *.test.yaml under a folder (or one file)
    for result in results:
        print(result.report())                      # "passed", or a table of differences

A scenario file holds one scenario, or several separated by `---`. The format is documented in
docs/plan-language.md ("Scenario tests"). Framework-free: `attain plan test` and the pytest suite
(tests/test_scenarios.py) both call `run_path`.
"""

from attain.engine.scenarios.compare import Difference
from attain.engine.scenarios.document import Scenario, ScenarioError, read_scenarios
from attain.engine.scenarios.runner import (
           SCENARIO_SUFFIX,
           ScenarioResult,
           find_scenario_files,
           run_file,
           run_path,
           run_text,
)

__all__ = ["SCENARIO_SUFFIX", "Difference", "Scenario", "ScenarioError", "ScenarioResult", "find_scenario_files",
           "read_scenarios", "run_file", "run_path"]
__all__ += ["run_text"]
