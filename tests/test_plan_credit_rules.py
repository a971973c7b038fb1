"""Plan documents with the crediting rules beyond a deal's owner: what loads, and what a comp admin is told."""

from __future__ import annotations

import pytest

from attain.engine.crediting import CreditRule
from attain.engine.plans import load_plan

PLAN = """plan: SDR-X
name: SDR test
currency: USD
timing: booked
credit_rules:
{rules}
measures:
  - {{name: meetings, credit_type: count, filter: 'activity_kind == "meeting" and qualified'}}
components:
  - name: Per meeting
    measure: meetings
    scope: period
    rate_table: {{method: marginal, basis: amount, tiers: [{{from: 0, rate: 100}}]}}
"""


def problems_of(rules: str) -> list[str]:
    _plan, problems = load_plan(PLAN.format(rules=rules))
    return [str(p) for p in problems]


def test_the_new_rules_load_with_their_options():
    rules = """  - {name: meetings, kind: activity, credit_type: count}
  - {name: pipeline, kind: pipeline, stage: qualified, to: owner}
  - {name: sourced, kind: sourced, credit_type: acv}
  - {name: pod, kind: territory, share: equal}
  - {name: team, kind: team, source: [sourced, pod], share: full}"""
    plan, problems = load_plan(PLAN.format(rules=rules))
    assert problems == []
    assert plan.credit_rules == (
        CreditRule("meetings", "activity", "count"),
        CreditRule("pipeline", "pipeline", to="owner", stage="qualified"),
        CreditRule("sourced", "sourced", "acv"),
        CreditRule("pod", "territory", share="equal"),
        CreditRule("team", "team", source=("sourced", "pod")),
    )


@pytest.mark.parametrize(("rules", "expected"), [
    ("  - {name: pipe, kind: pipeline, stages: qualified}",
     ["Plan SDR-X: credit rule 'pipe', stages: this field is not part of a plan document: remove it or check its "
      "spelling"]),
    ("  - {name: pipe, kind: pipeline, to: sdr}",
     ["Plan SDR-X: credit rule 'pipe', to: Input should be 'sourced_by' or 'owner'"]),
    ("  - {name: direct, kind: direct, share: equal}",
     ["Plan SDR-X: credit rule 'direct', share: share splits the credit of a territory or team rule; remove it "
      "from this direct rule"]),
    ("  - {name: sourced, kind: sourced, stage: qualified, to: owner}",
     ["Plan SDR-X: credit rule 'sourced', to: to chooses which position of an opportunity a pipeline rule "
      "credits; remove it from this sourced rule",
      "Plan SDR-X: credit rule 'sourced', stage: stage chooses the stage whose first entry a pipeline rule "
      "credits; remove it from this sourced rule"]),
    ("  - {name: meetings, kind: activity}",
     ["Plan SDR-X: credit rule 'meetings', credit_type: an activity rule credits count: write credit_type: count"]),
    ("  - {name: pipe, kind: pipeline, credit_type: margin}",
     ["Plan SDR-X: credit rule 'pipe', credit_type: a pipeline rule credits revenue or count: write "
      "credit_type: revenue"]),
    ("  - {name: team, kind: team}",
     ["Plan SDR-X: credit rule 'team', source: a team names the rules whose credits it takes, e.g. source: "
      "[direct]"]),
    ("  - {name: team, kind: team, source: [direct]}",
     ["Plan SDR-X: credit rule 'team', source: 'direct' is not a credit rule listed before this one; choose "
      "from none"]),
])
def test_misplaced_options_are_reported_with_the_fix(rules, expected):
    assert problems_of(rules) == expected


def test_a_filter_on_activity_fields_is_checked():
    text = PLAN.format(rules="  - {name: meetings, kind: activity, credit_type: count}").replace(
        "and qualified", "and qualifed")
    _plan, problems = load_plan(text)
    assert [p.field for p in problems] == ["filter"]
    assert "Unknown field 'qualifed'" in problems[0].message and "did you mean 'qualified'?" in problems[0].message
