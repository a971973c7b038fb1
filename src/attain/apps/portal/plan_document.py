"""A participant's plan for the year as a readable document, from the published plan version.

The document is built as data (sections of sentences and rate tables) so the page and the accepted text
are one: `DocumentText.text` is what the rep reads, line by line, and its SHA-256 is what an acceptance
records. The plan's own words come from the loaded plan (engine/plans) and the rate tables' tier labels
(engine/rates/tiers.py); the participant's quota and target incentive, with their dates, from the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import yaml

from attain.apps.org.models import Participant, PositionHolder
from attain.apps.plans.models import PlanAssignment, PlanVersion
from attain.apps.portal.plans import SCOPES, plan_of
from attain.apps.quotas.models import Quota
from attain.engine.money import show_amount, show_percent
from attain.engine.plans.model import Component, Plan
from attain.engine.rates import RateTable
from attain.engine.rates.numbers import show_bound
from attain.engine.rates.tiers import tier_label

TIMING = {"booked": "when booked", "invoiced": "when invoiced", "paid": "when the customer pays"}
RULES = {"direct": "deals your position owns (or its share of a split deal)",
         "territory": "deals on accounts in territories your position covers",
         "overlay": "deals on accounts in territories you cover as an overlay, for your product family",
         "sourced": "deals whose opportunity your position sourced", "rollup": "your team's credits, rolled up",
         "team": "the credits of the team you belong to", "activity": "your activities (one each)",
         "pipeline": "opportunities reaching a stage"}


@dataclass(frozen=True)
class RateTableShown:
    valid: str  # "2026-01-01 – open"
    method: str
    headings: tuple[str, str]
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    sentences: tuple[str, ...]
    tables: tuple[RateTableShown, ...] = ()
    component: str = ""  # the component's name, for its payout curve


@dataclass
class DocumentText:
    version: PlanVersion
    plan: Plan
    title: str
    effective: str
    sections: list[Section] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The document as plain text: what is accepted."""
        lines = [self.title, self.effective]
        for section in self.sections:
            lines += ["", section.heading, *section.sentences]
            for table in section.tables:
                lines += [f"Rates valid {table.valid} ({table.method}): {table.headings[0]} | {table.headings[1]}"]
                lines += [f"  {a} | {b}" for a, b in table.rows]
        return "\n".join(lines) + "\n"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def plan_documents(participant: Participant, year_start: date, year_end: date) -> list[DocumentText]:
    """The published versions in force in the year of the plans the participant's seats are on, each written out."""
    seats = PositionHolder.objects.filter(participant=participant, valid_from__lte=year_end).exclude(
        valid_to__lt=year_start).values("position_id")
    assignments = list(PlanAssignment.objects.filter(position__in=seats, valid_from__lte=year_end).exclude(
        valid_to__lt=year_start).select_related("plan", "position", "currency").order_by("plan__code", "valid_from"))
    versions = (PlanVersion.objects.filter(plan__in={a.plan_id for a in assignments}, status=PlanVersion.Status.PUBLISHED,
                                           valid_from__lte=year_end).exclude(valid_to__lt=year_start)
                .select_related("plan").order_by("plan__code", "version"))
    quotas = list(Quota.objects.filter(position__in=seats, period__end_date__gte=year_start,
                                       period__start_date__lte=year_end).select_related("period", "currency", "position")
                  .order_by("period__start_date", "measure"))
    return [document(v, [a for a in assignments if a.plan_id == v.plan_id], quotas) for v in versions
            if plan_of(v.document) is not None]


def document(version: PlanVersion, assignments: list[PlanAssignment], quotas: list[Quota]) -> DocumentText:
    plan = plan_of(version.document)
    until = f"to {version.valid_to:%-d %B %Y}" if version.valid_to else "until a new version replaces it"
    shown = DocumentText(version, plan, f"{plan.name} ({plan.code}), version {version.version}",
                         f"In force from {version.valid_from:%-d %B %Y} {until}. Amounts in {plan.currency}; "
                         f"deals are credited {TIMING.get(plan.timing, plan.timing)}.")
    shown.sections.append(_credited(plan, version.document))
    shown.sections += [_component(c) for c in plan.components]
    shown.sections.append(_yours(plan, assignments, quotas))
    terms = _terms(plan)
    if terms:
        shown.sections.append(Section("Other terms", tuple(terms)))
    return shown


def _credited(plan: Plan, text: str) -> Section:
    filters = _filters(text)
    sentences = [f"Credit comes from {RULES.get(r.kind, r.kind)} (rule “{r.name}”)." for r in plan.credit_rules]
    for m in plan.measures:
        how = {"sum": "adds up the credited amounts", "count": "counts the credits",
               "distinct_count": "counts the distinct deals", "average": "averages the credited amounts"}
        which = f", counting only credits where {filters[m.name]}" if filters.get(m.name) else ""
        rules = f" from rules {', '.join(m.rules)}" if m.rules else ""
        sentences.append(f"The measure “{m.name}” {how.get(m.aggregate, m.aggregate)}{rules}{which}.")
    return Section("What is credited", tuple(sentences))


def _filters(text: str) -> dict[str, str]:
    try:
        spec = yaml.safe_load(text) or {}
        return {m["name"]: m.get("filter") for m in spec.get("measures", []) if isinstance(m, dict) and "name" in m}
    except (yaml.YAMLError, AttributeError, TypeError, KeyError):
        return {}


def _component(c: Component) -> Section:
    scope = SCOPES.get(c.scope, "each deal" if c.scope == "per_transaction" else c.scope.replace("_", " "))
    sentences = [f"Pays on the measure “{c.measure}”, {scope}"
                 + (f", against your {c.quota}'s quota" if c.quota else "") + "."]
    if c.scope in ("year_to_date", "quarter_to_date"):
        sentences.append("Each month pays what is earned to date less what was earned before (a true-up).")
    if c.payout == "percent_of_target":
        sentences.append("The table gives a percentage of your annual target incentive.")
    if c.gate is not None:
        sentences.append(f"Nothing is paid below {show_bound(c.gate.threshold, 'attainment')} of quota "
                         f"({c.gate.kind.replace('_', ' ')}).")
    if c.cap is not None:
        limit = show_amount(c.cap.value) if c.cap.kind == "amount" else f"{show_percent(c.cap.value)} of target"
        sentences.append(f"Capped at {limit}" + (f" per {c.cap_per}" if c.cap_per else "") + ".")
    if c.kicker is not None:
        sentences.append(f"A multiplier applies by the measure “{c.kicker.measure}”.")
    if c.matrix is not None:
        sentences.append("The rate is read from a matrix of two measures.")
    if c.objectives is not None:
        sentences.append(f"Pays on scored objectives each {c.objectives.period}.")
    return Section(c.name, tuple(sentences), tuple(_table(span.describe() if c.dated else "throughout the version", t)
                                               for span, t in c.tables), c.name)


def _table(valid: str, table: RateTable) -> RateTableShown:
    method = {"marginal": "each part of the value at its tier's rate", "whole_amount": "the whole value at the "
              "rate of the tier it reaches", "interpolated": "a curve between the points"}[table.method]
    if table.method == "interpolated":
        rows = tuple((show_bound(p.at, table.basis), show_amount(p.payout) if table.basis == "amount"
                      else f"{p.payout}") for p in table.points)
        return RateTableShown(valid, method, ("At", "Pays"), rows)
    rows = tuple((tier_label(t, table.basis, i == 0),
                  show_percent(t.values["rate"]) if "rate" in t.values else f"{show_amount(t.values['amount'])} fixed")
                 for i, t in enumerate(table.tiers))
    return RateTableShown(valid, method, ("Tier", "Rate"), rows)


def _yours(plan: Plan, assignments: list[PlanAssignment], quotas: list[Quota]) -> Section:
    sentences = []
    for a in assignments:
        until = f"to {a.valid_to:%-d %B %Y}" if a.valid_to else "onwards"
        sentences.append(f"Your position {a.position.code} is on the plan from {a.valid_from:%-d %B %Y} {until}, "
                         f"with an annual target incentive of {show_amount(a.target_incentive)} {a.currency_id}.")
    measures = {m.name for m in plan.measures}
    for q in (q for q in quotas if q.measure in measures and q.position_id in {a.position_id for a in assignments}):
        sentences.append(f"Quota on “{q.measure}” for {q.period.name} ({q.period.start_date:%-d %B %Y} to "
                         f"{q.period.end_date:%-d %B %Y}): {show_amount(q.effective_amount)} {q.currency_id}.")
    return Section("Your quota and target", tuple(sentences) or ("No quota or target is set for you yet.",))


def _terms(plan: Plan) -> list[str]:
    terms = []
    if plan.guarantee is not None:
        g = plan.guarantee
        amount = (show_amount(g.monthly.value) if g.monthly.kind == "amount"
                  else f"{show_percent(g.monthly.value)} of your monthly target incentive")
        when = f"for your first {g.first_months} months on the position" if g.first_months else "while it runs"
        terms.append(f"A guarantee: at least {amount} a month {when}.")
    if plan.cap is not None:
        terms.append(f"Your total pay on the plan is capped per {plan.cap.per}.")
    if plan.hold is not None:
        terms.append(f"Commission on a deal is held until it is {'invoiced' if plan.hold.until == 'invoice' else 'paid'}.")
    return terms

