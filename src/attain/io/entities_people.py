"""Column specs for currencies, people, positions, leaves, plans, quotas and goals."""

from __future__ import annotations

from decimal import Decimal

from attain.engine.money import ROUNDING_MODES
from attain.io.kinds import Boolean, Choice, Code, Date, Integer, Number, Text
from attain.io.schema import Column, Entity, currency_ref, not_before, ref, valid_dates

MONEY = Number(15, 4)
POSITIVE_MONEY = Number(15, 4, minimum=Decimal(0))
RATIO = Number(15, 8)
POSITION_KINDS = ("ae", "sdr", "overlay", "channel", "manager", "director", "executive")
LEAVE_KINDS = ("paid", "unpaid", "parental", "sabbatical", "other")
PERIOD = "periods.name (e.g. FY2026-M03)"


def _fx_rules(columns):
    return {i: ("to_currency", "converts a currency into itself: an FX rate needs two different currencies")
            for i, (a, b) in enumerate(zip(columns["from_currency"], columns["to_currency"], strict=True)) if a == b}


def _manager_rules(columns):
    return {i: ("manager_position", "a position cannot report to itself: name its manager's position")
            for i, (a, b) in enumerate(zip(columns["position"], columns["manager_position"], strict=True)) if a == b}


CURRENCIES = Entity("currencies", "Currencies (ISO 4217).", (
    Column("code", Code(3, upper=True), True, "USD", "Three-letter ISO 4217 code."),
    Column("name", Text(60), True, "US dollar", "Name shown to users."),
    Column("minor_units", Integer(0, 4), False, "2", "Digits after the decimal point (JPY 0, USD 2). Default 2.",
           default=2),
    Column("rounding", Choice(tuple(ROUNDING_MODES)), False, "half_up", "Rounding mode. Default half_up.",
           default="half_up"),
), key=("code",))

FX_RATES = Entity("fx_rates", "Exchange rates: 1 from_currency = rate to_currency on rate_date.", (
    Column("from_currency", Code(3, upper=True), True, "EUR", "Currency converted from.", "currencies.code"),
    Column("to_currency", Code(3, upper=True), True, "USD", "Currency converted to.", "currencies.code"),
    Column("rate_date", Date(), True, "2026-03-31", "Day the rate applies."),
    Column("rate", Number(15, 8, minimum=Decimal("0.00000001")), True, "1.08350000", "Units of to_currency per unit."),
), key=("from_currency", "to_currency", "rate_date"), rules=(_fx_rules,))

PARTICIPANTS = Entity("participants", "People who can be paid (payees).", (
    Column("employee_id", Code(40), True, "E-1001", "The HR system's id; the import key."),
    Column("first_name", Text(80), True, "Ada", "First name."),
    Column("last_name", Text(80), True, "Lovelace", "Last name."),
    Column("email", Text(254), False, "ada@example.com", "Work e-mail."),
    Column("hire_date", Date(), True, "2024-02-01", "First day of employment."),
    Column("termination_date", Date(), False, "", "Last day of employment, if any."),
    currency_ref(description="Currency the participant is paid in."),
    Column("country", Code(2, upper=True), True, "US", "ISO 3166 alpha-2 country code."),
    Column("pay_group", Text(40), False, "US-MONTHLY", "Payroll group."),
), key=("employee_id",), rules=(not_before("termination_date", "hire_date", "is before the hire date: correct "
                                           "either date"),))

POSITIONS = Entity("positions", "Seats in the sales organisation.", (
    Column("code", Code(40), True, "AE-WEST-03", "Stable code; the import key."),
    Column("name", Text(120), True, "Account Executive West 3", "Name of the position."),
    Column("kind", Choice(POSITION_KINDS), True, "ae", "Role of the position."),
    Column("quota_carrying", Boolean(), False, "true", "Whether the position carries a quota. Default true.",
           default=True),
    ref("product_family", "product_families.code", False, "ANALYTICS", "For overlays: the family they cover."),
    Column("created_on", Date(), True, "2025-01-01", "First day the position exists."),
    Column("retired_on", Date(), False, "", "Last day, if retired."),
), key=("code",), rules=(not_before("retired_on", "created_on", "is before created_on: correct either date"),))

REPORTING_LINES = Entity("reporting_lines", "Who reports to whom (positions), effective-dated.", (
    ref("position", "positions.code", True, "AE-WEST-03", "The reporting position."),
    ref("manager_position", "positions.code", True, "MGR-WEST", "The position it reports to."),
    *valid_dates(),
), key=("position", "valid_from"), rules=(_manager_rules,), effective_dated=True,
    notes="A position has one manager at a time: periods for the same position must not overlap.")

POSITION_HOLDERS = Entity("position_holders", "Who holds which position, effective-dated.", (
    ref("participant", "participants.employee_id", True, "E-1001", "The person."),
    ref("position", "positions.code", True, "AE-WEST-03", "The position held."),
    *valid_dates(),
), key=("participant", "position", "valid_from"), effective_dated=True,
    notes="A person holds one position at a time, and a position has one holder at a time.")

LEAVES = Entity("leaves", "Leaves of absence: days that do not count when amounts are prorated.", (
    ref("participant", "participants.employee_id", True, "E-1001", "The person away."),
    Column("start_date", Date(), True, "2026-08-01", "First day away."),
    Column("end_date", Date(), True, "2026-08-31", "Last day away (inclusive)."),
    Column("kind", Choice(LEAVE_KINDS), False, "parental", "Kind of leave. Default unpaid.", default="unpaid"),
    Column("prorate", Boolean(), False, "true", "Take the days out of the days quotas, target incentives, "
           "guarantees, objectives and draws are prorated by. Default true.", default=True),
    Column("note", Text(200), False, "", "A short reason; no health details."),
), key=("participant", "start_date"), rules=(not_before("end_date", "start_date", "is before start_date: correct "
                                                                                 "either date"),),
    notes="A person's leaves may not overlap, and lie within their employment. The person still holds their "
          "position during a leave: credits go to them as usual.")

PLANS = Entity("plans", "Compensation plans (their versioned documents are edited in the app).", (
    Column("code", Code(40), True, "AE-2026", "Plan code; the import key."),
    Column("name", Text(120), True, "Account Executive 2026", "Plan name."),
    Column("description", Text(2000), False, "", "What the plan is for."),
    currency_ref(),
), key=("code",))

PLAN_ASSIGNMENTS = Entity("plan_assignments", "Positions on plans, with target incentive, effective-dated.", (
    ref("position", "positions.code", True, "AE-WEST-03", "The position."),
    ref("plan", "plans.code", True, "AE-2026", "The plan."),
    Column("target_incentive", POSITIVE_MONEY, True, "60000.00", "Variable pay at 100% attainment, per year."),
    currency_ref(),
    *valid_dates(),
), key=("position", "plan", "valid_from"), effective_dated=True,
    notes="A position is on a given plan once at a time.")

QUOTAS = Entity("quotas", "Quota of a measure for a position in a period.", (
    ref("position", "positions.code", True, "AE-WEST-03", "The position."),
    ref("period", PERIOD, True, "FY2026-Q1", "Period name in the default fiscal calendar."),
    Column("measure", Code(60), True, "new_bookings", "Code of the measure."),
    Column("amount", POSITIVE_MONEY, True, "250000.00", "Full quota."),
    currency_ref(),
    Column("ramp", Number(15, 8, Decimal(0), Decimal(1)), False, "1", "Share that applies while ramping. Default 1.",
           default=Decimal(1)),
    Column("relief", POSITIVE_MONEY, False, "0", "Amount taken off the quota. Default 0.", default=Decimal(0)),
    Column("relief_reason", Text(200), False, "", "Why relief was given."),
), key=("position", "period", "measure"))

GOALS = Entity("goals", "Cascading goals: quantitative or scored MBOs.", (
    Column("name", Text(200), True, "Grow EMEA pipeline", "Goal name; with period and position, the key."),
    ref("period", PERIOD, True, "FY2026", "Period name."),
    ref("position", "positions.code", False, "MGR-EMEA", "Empty for a company-level goal."),
    Column("kind", Choice(("quantitative", "mbo")), False, "quantitative", "Default quantitative.",
           default="quantitative"),
    Column("parent", Text(200), False, "", "Name of the parent goal in the same period."),
    ref("parent_position", "positions.code", False, "", "Position of the parent goal (empty = company level)."),
    Column("measure", Code(60), False, "pipeline", "For quantitative goals: the measure tracked."),
    Column("target", MONEY, False, "5000000", "Target value."),
    Column("weight", RATIO, False, "0.3", "Weight among siblings (0.3 = 30%). Default 1.", default=Decimal(1)),
    Column("score", Number(15, 8, Decimal(0), Decimal(1)), False, "", "For MBOs: the manager's score, 0–1."),
), key=("period", "position", "name"))

PERIODS = Entity("periods", "Fiscal periods (normally generated from the fiscal calendar).", (
    Column("name", Code(20), True, "FY2026-M03", "Period name; the import key within the calendar."),
    Column("kind", Choice(("month", "quarter", "year")), True, "month", "Kind of period."),
    Column("fiscal_year", Integer(1900, 2999), True, "2026", "Fiscal year (named after the year it ends in)."),
    Column("number", Integer(1, 12), True, "3", "1 for a year, 1–4 for quarters, 1–12 for months."),
    Column("start_date", Date(), True, "2026-03-01", "First day."),
    Column("end_date", Date(), True, "2026-03-31", "Last day."),
), key=("name",), rules=(not_before("end_date", "start_date", "is before start_date: correct either date"),),
    notes="Rows go to the default fiscal calendar.")
