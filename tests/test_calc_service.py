"""Calculating a month from the database: E2 month by month, currency conversion, runs, explanations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.calc.explain import explain_earnings
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import CalculationError, calculate_period
from attain.apps.core.models import Currency, FxRate, Period
from attain.apps.core.services import default_calendar, generate_periods
from attain.apps.org.models import PositionHolder
from attain.apps.plans.models import Goal, PlanVersion
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def world():
    usd = f.usd()
    eur = Currency.objects.create(code="EUR", name="Euro")
    FxRate.objects.create(from_currency=eur, to_currency=usd, rate_date=D(2026, 2, 1), rate=Decimal("1.1"))
    generate_periods(default_calendar(), 2026)
    ae, ada = f.position("AE-1"), f.participant("E-1")
    PositionHolder.objects.create(participant=ada, position=ae, valid_from=D(2025, 1, 1))
    f.published_plan("E2", E2_PLAN, ae, 60000)
    Quota.objects.create(position=ae, period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=Decimal(600000), currency=usd)
    account = f.account()

    def book(external_id, amount, day, currency=usd, owner=ae, **more):
        return Transaction.objects.create(external_id=external_id, booked_date=day, account=account,
                                          amount=Decimal(amount), currency=currency, owner_position=owner, **more)

    book("T-1", "250000", D(2026, 1, 20))
    feb = book("T-2", "300000", D(2026, 2, 15))
    book("T-3", "90909.0909", D(2026, 2, 20), currency=eur)  # × 1.1 = 99,999.99999 USD
    book("T-4", "-100000", D(2026, 3, 5), kind="credit_note", original=feb, owner=None)
    return ada


def earnings(run):
    return [(e.component, e.amount, e.amount_rounded) for e in Earning.objects.filter(run=run)]


def test_e2_february_from_the_database(world):
    calculate_period("FY2026-M01")
    run = calculate_period("fy2026-m02")
    assert run.status == "succeeded" and run.exceptions == []
    # YTD 250,000 + 300,000 + 99,999.99999 = 649,999.99999 → 30,000 + 4,999.999999 = 34,999.999999; − 12,500
    assert earnings(run) == [("Commission", Decimal("22499.9999990000"), Decimal("22500.00"))]


def test_a_credit_note_in_march_gives_a_negative_true_up(world):
    run = calculate_period("FY2026-M03")
    # YTD 549,999.99999 → 27,499.9999995 earned; 34,999.999999 earned before
    assert earnings(run) == [("Commission", Decimal("-7499.9999995"), Decimal("-7500.00"))]


def test_runs_are_deterministic_and_idempotent(world):
    first, second = calculate_period("FY2026-M02"), calculate_period("FY2026-M02")
    assert first.inputs_fingerprint == second.inputs_fingerprint and len(first.inputs_fingerprint) == 64
    assert earnings(first) == earnings(second)
    assert first.plan_versions == [{"plan": "E2", "version": 1}]


def test_explanation_in_plain_language(world):
    run = calculate_period("FY2026-M01")
    assert explain_earnings("E-1", "FY2026-M01").text() == (
        f"Ada E-1, FY2026-M01 (run {run.pk}):\n"
        "- Commission: 12,500.00 USD. Commission, year to date (quota 600,000.00, attainment 41.7%): "
        "250,000.00 at 5% (0–100% of quota) = 12,500.00; earned before 0.00, so this period 12,500.00. "
        "Plan E2 version 1 (valid 2026-01-01 – open); bookings counts 1 credit to date, 1 in FY2026-M01; "
        "the largest in FY2026-M01: T-1 250,000.00 (direct, 2026-01-20).\n"
        "Total 12,500.00 USD.")
    assert explain_earnings("E-1", "FY2026-M05").text() == "Ada E-1 has no calculated earnings for FY2026-M05."


def test_closed_periods_and_bad_plans_are_refused_with_reasons(world):
    Period.objects.filter(name="FY2026-M01").update(state="closed")
    with pytest.raises(CalculationError, match="FY2026-M01 is closed: its results never change"):
        calculate_period("FY2026-M01")
    PlanVersion.objects.update(document=E2_PLAN.replace("measure: bookings", "measure: booking"))
    with pytest.raises(CalculationError, match="Plan E2: component 'Commission', measure: 'booking' is not a measure"):
        calculate_period("FY2026-M02")
    failed = CalculationRun.objects.get()
    assert failed.status == "failed" and "'booking' is not a measure" in failed.error
    with pytest.raises(CalculationError, match="there is no period 'FY2031-M01'"):
        calculate_period("FY2031-M01")


def test_the_explanation_names_the_credits_behind_a_true_up(world):
    calculate_period("FY2026-M03")
    (_component, _amount, why), = explain_earnings("E-1", "FY2026-M03").lines
    assert why.endswith("bookings counts 4 credits to date, 1 in FY2026-M03; the largest in FY2026-M03: "
                        "T-4 -100,000.00 (direct, 2026-03-05).")


def test_what_if_compares_a_draft_with_the_live_plan_and_stores_nothing(world):
    from attain.apps.plans.services import compare_draft

    live, result = compare_draft(E2_PLAN.replace("rate: 0.10", "rate: 0.20"), "E2", "FY2026-M02")
    # to February: 649,999.99999 booked → live 30,000 + 4,999.999999; draft 30,000 + 9,999.999998
    assert (live.version, result.live.total, result.draft.total) == (1, Decimal("34999.999999"),
                                                                     Decimal("39999.999998"))
    assert result.revenue == Decimal("649999.99999")
    assert PlanVersion.objects.count() == 1 and CalculationRun.objects.count() == 0


def test_what_if_from_the_command_line(world, tmp_path):
    from typer.testing import CliRunner

    from attain.cli.main import app

    draft = tmp_path / "draft.yaml"
    draft.write_text(E2_PLAN.replace("rate: 0.10", "rate: 0.20"))
    result = CliRunner().invoke(app, ["plan", "compare", str(draft), "--against", "E2", "--period", "FY2026-M02"],
                                terminal_width=120)
    assert result.exit_code == 0, result.output
    total = next(row for row in result.output.splitlines() if "total earnings" in row)
    assert [cell.strip() for cell in total.split("│")[1:5]] == ["total earnings", "35,000.00", "40,000.00", "5,000.00"]
    missing = CliRunner().invoke(app, ["plan", "compare", str(draft), "--against", "XX", "--period", "FY2026-M02"])
    assert missing.exit_code == 1 and "plan 'XX' has no published version valid on 2026-02-28" in missing.output


def test_a_cap_on_the_target_incentive_uses_the_plan_assignment(world):
    from tests.test_calculate import with_blocks

    PlanVersion.objects.update(document=with_blocks("    cap: {percent_of_target: 0.5}\n"))  # 50% of 60,000
    calculate_period("FY2026-M01")
    run = calculate_period("FY2026-M02")
    assert earnings(run) == [("Commission", Decimal("17500"), Decimal("17500.00"))]
    assert "35,000.00 capped at 30,000.00 (50% of target 60,000.00); 5,000.00 above the cap" in (
        Earning.objects.get(run=run).explanation)


def test_a_run_that_fails_is_recorded_as_failed(world):
    from attain.apps.sales.models import CreditSplit

    line = Transaction.objects.get(external_id="T-1")
    CreditSplit.objects.create(transaction=line, position=line.owner_position, share=Decimal("0.5"))
    with pytest.raises(CalculationError, match="the split shares of transaction T-1 add up to 50%, not 100%"):
        calculate_period("FY2026-M01")
    assert CalculationRun.objects.get().status == "failed"


TERMS_PLAN = E2_PLAN + """  - name: Objectives
    type: mbo
    objectives: {period: quarter, percent_of_target: 0.05}
cap: {amount: 30000, per: year}
guarantee: {amount: 14000, valid_from: 2026-01-01, valid_to: 2026-01-31}
"""


def test_objectives_plan_cap_and_guarantee_from_the_database(world):
    version = PlanVersion.objects.get(plan__code="E2")
    version.document = TERMS_PLAN
    version.save()
    ae, q1 = PositionHolder.objects.get(participant=world).position, Period.objects.get(name="FY2026-Q1")
    Goal.objects.create(name="Pipeline", kind="mbo", position=ae, period=q1, weight=Decimal("0.5"), score=1)
    Goal.objects.create(name="Training", kind="mbo", position=ae, period=q1, weight=Decimal("0.5"),
                        score=Decimal("0.5"))
    jan = calculate_period("FY2026-M01")
    # Commission 250,000 × 5% = 12,500, below the guaranteed 14,000: the guarantee adds 1,500
    assert earnings(jan) == [("Commission", Decimal("12500.0000"), Decimal("12500.00")),
                             ("Guarantee", Decimal("1500.0000"), Decimal("1500.00"))]
    mar = calculate_period("FY2026-M03")
    # Commission −7,499.9999995 (the credit note); objectives 60,000 × 5% = 3,000 × (50% × 100% + 50% × 50%) =
    # 2,250. The cap counts what the components earned (the guarantee comes after it): Jan 12,500, Feb
    # 22,499.999999 → 34,999.999999, capped at 30,000 (the Feb cap line −4,999.999999); Mar −7,499.9999995 + 2,250
    # = −5,249.9999995 → the year has earned 29,749.9999995, below the cap: paid 29,749.9999995 − 30,000 =
    # −250.0000005, so the Mar cap line is −250.0000005 + 5,249.9999995 = 4,999.999999 (what Feb held back)
    assert earnings(mar) == [("Commission", Decimal("-7499.9999995"), Decimal("-7500.00")),
                             ("Objectives", Decimal("2250.0000"), Decimal("2250.00")),
                             ("Plan cap", Decimal("4999.999999"), Decimal("5000.00"))]


def test_plan_term_lines_are_explained_without_credits(world):
    version = PlanVersion.objects.get(plan__code="E2")
    version.document = TERMS_PLAN
    version.save()
    calculate_period("FY2026-M01")
    text = explain_earnings("E-1", "FY2026-M01").text()
    assert ("- Guarantee: 1,500.00 USD. Guarantee: 14,000.00 a month from 2026-01-01 to 2026-01-31; earned "
            "12,500.00, so the guarantee adds 1,500.00. Plan E2 version 1 (valid 2026-01-01 – open).") in text
    assert text.endswith("Total 14,000.00 USD.")
    q1 = Period.objects.get(name="FY2026-Q1")
    position = PositionHolder.objects.get(participant=world).position
    Goal.objects.create(name="Pipeline", kind="mbo", position=position, period=q1, weight=1, score=Decimal("0.5"))
    calculate_period("FY2026-M03")
    assert ("- Objectives: 1,500.00 USD. Objectives, FY2026-Q1 objectives (at full score 5% of the target incentive "
            "60,000.00): (Pipeline 100% × 50%) = 50% of target 3,000.00 = 1,500.00. Plan E2 version 1 (valid "
            "2026-01-01 – open).") in explain_earnings("E-1", "FY2026-M03").text()


def test_two_runs_compared_line_by_line(world):
    from typer.testing import CliRunner

    from attain.apps.calc.diff import diff_runs
    from attain.cli.main import app

    first = calculate_period("FY2026-M02")
    Transaction.objects.create(external_id="T-5", booked_date=D(2026, 2, 25), account=f.account("ACC-2"),
                               amount=Decimal(100000), currency_id="USD",
                               owner_position=PositionHolder.objects.get(participant=world).position)
    second = calculate_period("FY2026-M02")
    found = diff_runs(first.pk, second.pk)
    # year to date 649,999.99999 → 749,999.99999: 30,000 + 14,999.999999 = 44,999.999999 earned to date, − 12,500
    [change] = found.changes
    assert (change.participant, change.component, change.before, change.after, change.difference) == (
        "E-1", "Commission", Decimal("22499.999999"), Decimal("32499.999999"), Decimal(10000))
    assert found.unchanged == 0 and found.total("USD") == 10000
    result = CliRunner().invoke(app, ["run", "diff", str(first.pk), str(second.pk)])
    assert result.exit_code == 0 and "1 line differs" in result.output and "10,000.00" in result.output
    missing = CliRunner().invoke(app, ["run", "diff", str(first.pk), "999"])
    assert missing.exit_code == 1 and "there is no calculation run 999" in missing.output
