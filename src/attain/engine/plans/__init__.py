"""Plan documents: the one surface plan authors write (YAML or JSON), validated into engine objects.

`load_plan(text) -> (Plan | None, problems)` parses a document, checks it against the schema
(`plan_json_schema()`), resolves names between its parts, parses its expressions and validates its
rate tables. Every problem names the plan, the part (credit rule, measure, component), the field
and the fix.
"""

from attain.engine.plans.document import PlanDocument, plan_json_schema
from attain.engine.plans.loading import Plan, PlanProblem, load_plan

__all__ = ["Plan", "PlanDocument", "PlanProblem", "load_plan", "plan_json_schema"]
