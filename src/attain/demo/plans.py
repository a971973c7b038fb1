"""Compensation plans (one per role), their published versions, assignments and cascading goals.

Plan documents are written in the plan language (docs/plan-language.md). Managers, directors and
the VP share the leadership plan (a roll-up of their teams' new bookings, three levels deep).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.demo.org import Org
from attain.demo.rows import Table, whole

PLANS = {
    "AE": ("Account Executive Plan", "ae", "new_bookings", [("0", "0.012"), ("1.0", "0.024"), ("1.5", "0.03")]),
    "SDR": ("Sales Development Plan", "sdr", "sourced_pipeline", [("0", "0.001"), ("1.0", "0.0015")]),
    "OVERLAY": ("Overlay Specialist Plan", "overlay", "family_bookings", [("0", "0.0006"), ("1.0", "0.001")]),
    "MANAGER": ("Sales Leadership Plan", "leader", "team_new_bookings", [("0", "0.002"), ("1.0", "0.003")]),
    "CHANNEL": ("Channel Manager Plan", "channel", "partner_bookings", [("0", "0.004"), ("1.0", "0.006")]),
}
# How each plan credits and measures (see docs/plan-language.md).
CREDITING = {
    "AE": ("- {name: direct, kind: direct}", "{name: new_bookings, rules: [direct], filter: 'deal_type == \"new\"'}"),
    "SDR": ("- {name: pipeline, kind: pipeline}\n  - {name: meetings, kind: activity, credit_type: count}",
            "{name: sourced_pipeline, rules: [pipeline]}"),
    "OVERLAY": ("- {name: overlay, kind: overlay}",
                "{name: family_bookings, rules: [overlay], filter: 'deal_type != \"renewal\"'}"),
    "MANAGER": ("- {name: direct, kind: direct}\n  - {name: team, kind: rollup, source: [direct], depth: 3}",
                "{name: team_new_bookings, rules: [team], filter: 'deal_type == \"new\"'}"),
    "CHANNEL": ("- {name: partner, kind: sourced}", "{name: partner_bookings, rules: [partner]}"),
}
# Components beside the commission: SDRs also earn a fixed amount per qualified meeting.
EXTRA = {
    "SDR": ("  - {name: qualified_meetings, credit_type: count, rules: [meetings], "
            "filter: 'activity_kind == \"meeting\" and qualified'}\n",
            "  - name: Per qualified meeting\n    type: bonus\n    measure: qualified_meetings\n    scope: period\n"
            "    rate_table: {method: marginal, basis: amount, tiers: [{from: 0, rate: 20}]}\n"),
}
# Plan terms from FY2026: a new AE is guaranteed the monthly target incentive for the first three
# months on the seat; leaders are paid on quarterly objectives (5% of the annual target at full score).
TERMS_2026 = {
    "AE": "guarantee: {percent_of_target: 1, first_months: 3}\n",
    "MANAGER": "  - name: Quarterly leadership objectives\n    type: mbo\n"
               "    objectives: {period: quarter, percent_of_target: 0.05}\n",
}
QUARTERLY_OBJECTIVES = (("Forecast within 5% of the quarter's bookings", "0.5"),
                        ("Every rep below 70% attainment on a coaching plan", "0.5"))
# Rates are set so that a typical payee at 100% attainment earns about the target incentive
# (e.g. an AE's 1.2% of a 5.5 M quota ≈ 66,000). SDRs are paid on the pipeline they source (at its
# created date; 0.1% of a ≈ 15 M pipeline quota) and 20 per qualified meeting (≈ 35 a month); channel
# managers on the bookings of the opportunities they sourced (0.4% of an 8–18 M quota).
DRAFT: set[str] = set()
PLAN_OF_KIND = {"ae": "AE", "sdr": "SDR", "overlay": "OVERLAY", "channel": "CHANNEL", "manager": "MANAGER",
                "director": "MANAGER", "executive": "MANAGER"}
TARGET_INCENTIVE = {"ae:ent": 90_000, "ae:com": 60_000, "ae:all": 70_000, "sdr": 25_000, "overlay": 50_000,
                    "channel": 55_000, "manager": 70_000, "director": 110_000, "executive": 200_000}
LOCAL = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79}
YEARS = {2025: (date(2025, 1, 1), date(2025, 12, 31)), 2026: (date(2026, 1, 1), None)}


def plan_document(code: str, year: int) -> str:
    """A plan document in the plan language: year-to-date marginal attainment tiers, paid monthly.

    The demo's quotas are loaded already ramped month by month (0 while a seat is vacant), so the
    plans do not prorate them again (`prorate_quota: false`).
    """
    name, _role, measure, tiers = PLANS[code]
    rules, measure_spec = CREDITING[code]
    extra_measure, extra_component = EXTRA.get(code, ("", ""))
    tier_lines = "\n".join(
        f"        - {{from: {low}, {'to: ' + tiers[i + 1][0] + ', ' if i + 1 < len(tiers) else ''}rate: {rate}}}"
        for i, (low, rate) in enumerate(tiers))
    return (f"plan: {code}-FY{year}\nname: {name} FY{year}\ncurrency: USD\ntiming: booked\n"
            f"credit_rules:\n  {rules}\nmeasures:\n  - {measure_spec}\n{extra_measure}components:\n"
            f"  - name: Commission on {measure.replace('_', ' ')}\n    measure: {measure}\n"
            f"    scope: year_to_date\n    quota: year\n    prorate_quota: false\n"
            f"    rate_table:\n      method: marginal\n"
            f"      basis: attainment\n      tiers:\n{tier_lines}\n{extra_component}"
            f"{TERMS_2026.get(code, '') if year == 2026 else ''}")


def plan_tables(org: Org) -> list[Table]:
    plans, versions, assignments = Table("plans.Plan"), Table("plans.PlanVersion"), Table("plans.PlanAssignment")
    for code, (name, role, *_rest) in PLANS.items():
        plans.add(code=code, name=name, description=f"Incentive plan for the {role} role.", currency="USD")
        for number, (year, (start, end)) in enumerate(YEARS.items(), start=1):
            status = "draft" if code in DRAFT else "published"
            versions.add(plan=code, version=number, status=status, document=plan_document(code, year),
                         change_note=f"FY{year} plan", valid_from=start, valid_to=end, created_by=None)
    for seat in sorted(org.seats.values(), key=lambda s: s.code):
        currency = _assignment_currency(org, seat.code)
        key = f"ae:{seat.segment}" if seat.kind == "ae" else seat.kind
        for year, (start, end) in YEARS.items():
            if seat.created_on > (end or date(2026, 12, 31)):
                continue
            amount = TARGET_INCENTIVE[key] * (1.0 if year == 2025 else 1.04) * LOCAL[currency]
            assignments.add(plan=PLAN_OF_KIND[seat.kind], position=seat.code, target_incentive=whole(amount, 500),
                            currency=currency, valid_from=max(start, seat.created_on), valid_to=end)
    return [plans, versions, assignments]


def _assignment_currency(org: Org, position: str) -> str:
    holders = [t for t in org.tenures if t.position == position]
    return str(org.people[min(holders, key=lambda t: t.valid_from).employee_id]["currency"]) if holders else "USD"


def goal_tables(org: Org, annual: dict[tuple[str, int], float]) -> Table:
    goals = Table("plans.Goal")
    company = annual[("VP-SALES", 2026)]
    goals.add(_key="G-COMPANY", name="FY2026 company new bookings", kind="quantitative", parent=None,
              position=None, period="FY2026", measure="new_bookings", target=whole(company), weight=Decimal(1),
              score=None)
    for director in org.kind("director"):
        target = annual[(director.code, 2026)]
        goals.add(_key=f"G-{director.code}", name=f"FY2026 new bookings {director.region}", kind="quantitative",
                  parent="G-COMPANY", position=director.code, period="FY2026", measure="new_bookings",
                  target=whole(target), weight=Decimal(str(round(target / company, 4))), score=None)
    for seat in sorted(org.kind("ae"), key=lambda s: s.code):
        director = f"DIR-{seat.region}"
        goals.add(_key=f"G-{seat.code}", name=f"FY2026 new bookings {seat.code}", kind="quantitative",
                  parent=f"G-{director}", position=seat.code, period="FY2026", measure="new_bookings",
                  target=whole(annual[(seat.code, 2026)]), weight=Decimal("0.8"), score=None)
    for n, manager in enumerate(sorted(org.kind("manager"), key=lambda s: s.code)):
        goals.add(_key=f"M-2025-{manager.code}", name="Run a monthly pipeline review with every rep", kind="mbo",
                  parent=None, position=manager.code, period="FY2025", measure="", target=None,
                  weight=Decimal("0.2"), score=Decimal(str(0.6 + 0.05 * (n % 8))))
        goals.add(_key=f"M-2026-{manager.code}", name="Coaching plan for every rep below 70% attainment",
                  kind="mbo", parent=None, position=manager.code, period="FY2026", measure="", target=None,
                  weight=Decimal("0.2"), score=None)
        _quarterly_objectives(goals, manager.code, n)
    return goals


def _quarterly_objectives(goals: Table, position: str, n: int) -> None:
    """Two objectives a quarter for the MBO component; Q1–Q3 scored, Q4 not yet (scored after the quarter)."""
    for quarter in range(1, 5):
        for i, (name, weight) in enumerate(QUARTERLY_OBJECTIVES):
            score = Decimal(str(min(1.0, 0.6 + 0.1 * ((n + quarter + i) % 5)))) if quarter < 4 else None
            goals.add(_key=f"Q{quarter}-{i}-{position}", name=name, kind="mbo", parent=None, position=position,
                      period=f"FY2026-Q{quarter}", measure="", target=None, weight=Decimal(weight), score=score)



def policy_tables() -> list[Table]:
    """The demo company's controls: a month's payout above 25,000 USD, or more than three times the month before,
    needs the controller's approval; commissions on contracts longer than a year are capitalised (ASC 340-40)."""
    approvals, accounting = Table("calc.ApprovalPolicy"), Table("payments.AccountingPolicy")
    approvals.add(name="Default", payout_threshold=Decimal(25000), currency="USD", change_percent=Decimal(200))
    accounting.add(name="Default", practical_expedient=True, expense_up_to_months=12, expected_renewal_months=0,
                   chart={})
    authority = Table("payments.ApprovalAuthority")  # a sales manager approves their team's adjustments to 2,500 USD
    authority.add(user=None, role="Sales manager", max_amount=Decimal(2500), currency="USD", note="Demo policy")
    return [approvals, accounting, authority]
