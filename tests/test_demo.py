"""The demo company: deterministic, in the stated ranges, realistic, loadable, with working logins."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from attain.apps.org import roles
from attain.demo import load
from attain.demo.accounts import generate_accounts
from attain.demo.company import generate
from attain.demo.pipeline import FEW_ACTIVITIES, STAGES, WEAK_DISCOVERY, WEAK_NEGOTIATION, WEAK_SDR
from attain.demo.rows import AS_OF, stream
from attain.demo.users import (
    DEMO_LOGINS,
    DEMO_MANAGER_POSITION,
    DEMO_PASSWORD,
    DEMO_REP_POSITION,
    create_demo_users,
)
from attain.engine.effective import Span, find_overlaps
from tests.audit_log import empty_audit_log

SEED = 2026


def fast_hasher() -> override_settings:
    return override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="module")
def company():
    return generate(SEED)


@pytest.fixture(scope="module")
def loaded(company, django_db_setup, django_db_blocker):
    """The demo loaded once for this module, and removed afterwards so other tests see an empty database."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock(), fast_hasher():
        load.reset()
        load.load(company.tables)
        create_demo_users()
        yield company
        load.reset()  # first: approvals and adjustments protect the users who made them
        get_user_model().objects.filter(username__in=[login.username for login in DEMO_LOGINS]).delete()
        empty_audit_log()  # the demo months' workflow was logged; the log is append-only


# --- generation (no database) ---------------------------------------------------------------------

@pytest.mark.slow
def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not(company):
    assert generate(SEED).fingerprint() == company.fingerprint()
    other, _ = generate_accounts(stream(SEED + 1, "accounts"))
    assert other.rows != company.table("catalog.Account").rows


def test_counts_are_in_the_stated_ranges(company):
    counts = company.counts()
    assert 5_500 <= counts["catalog.Account"] <= 6_500
    assert 18 <= counts["catalog.Product"] <= 22
    assert 125_000 <= counts["sales.Transaction"] <= 175_000
    assert counts["sales.Opportunity"] > 30_000 and counts["sales.Activity"] > 50_000
    kinds = Counter(row["kind"] for row in company.table("org.Position").rows)
    assert 10 <= kinds["manager"] + kinds["director"] + kinds["executive"] <= 14
    assert 110 <= kinds["ae"] + kinds["sdr"] + kinds["overlay"] + kinds["channel"] <= 130
    assert kinds["overlay"] >= 3 and kinds["channel"] >= 1 and kinds["sdr"] >= 10
    periods = company.table("core.Period").rows
    assert len(periods) == 3 * 17 and {p["state"] for p in periods if p["fiscal_year"] == 2025} == {"closed"}
    assert {r["currency"] for r in company.table("sales.Transaction").rows} == {"USD", "EUR", "GBP"}


def _fy2025_bookings(company) -> list[dict]:
    return [r for r in company.table("sales.Transaction").rows if r["kind"] == "booking" and r["booked_date"].year == 2025]


def test_bookings_peak_at_quarter_ends_and_in_q4(company):
    rows = _fy2025_bookings(company)
    total = sum(r["amount"] for r in rows)
    q4 = sum(r["amount"] for r in rows if r["booked_date"].month >= 10)
    push = sum(r["amount"] for r in rows if r["booked_date"].month % 3 == 0 and r["booked_date"].day >= 15)
    assert q4 / total > Decimal("0.30")  # an even share would be 0.25
    assert push / total > Decimal("0.30")  # those 64 days are 17.5% of the year


def test_deal_sizes_are_heavy_tailed(company):
    orders: dict[str, Decimal] = defaultdict(Decimal)
    for row in _fy2025_bookings(company):
        orders[row["order_number"]] += row["amount"]
    values = sorted(orders.values(), reverse=True)
    assert sum(values[: len(values) // 10]) / sum(values) > Decimal("0.40")


def _funnel(company) -> dict[str, tuple[float, float]]:
    """Per AE: share of closed new/expansion opportunities that reached proposal; win rate after negotiation."""
    per: dict[str, list] = defaultdict(list)
    for opp in company.opportunities:
        if opp.deal_type != "renewal" and opp.outcome != "open":
            per[opp.position].append(opp)
    result = {}
    for position, opps in per.items():
        reached_negotiation = [o for o in opps if len(o.stage_days) == len(STAGES)]
        won = sum(o.outcome == "won" for o in reached_negotiation)
        result[position] = (sum(len(o.stage_days) >= 3 for o in opps) / len(opps), won / len(reached_negotiation))
    return result


def test_the_planted_underperformers_are_measurably_worse(company):
    funnel = _funnel(company)
    to_proposal = statistics.median(v[0] for v in funnel.values())
    negotiation = statistics.median(v[1] for v in funnel.values())
    assert funnel[WEAK_DISCOVERY][0] < 0.5 * to_proposal
    assert funnel[WEAK_NEGOTIATION][1] < 0.6 * negotiation
    owner = {o.external_id: o.position for o in company.opportunities}
    opps = Counter(o.position for o in company.opportunities)
    acts = Counter(owner[a["opportunity"]] for a in company.table("sales.Activity").rows
                   if a["opportunity"] and a["subject"].split()[-1] in STAGES)
    per_opp = {p: acts[p] / opps[p] for p in opps}
    assert per_opp[FEW_ACTIVITIES] < 0.5 * statistics.median(per_opp.values())
    sourced = Counter(o.sourced_by for o in company.opportunities if (o.sourced_by or "").startswith("SDR-NAW"))
    assert sourced[WEAK_SDR] < 0.5 * statistics.median(sourced.values())


def test_quotas_ramp_new_hires_and_relieve_moved_territories(company):
    quotas = company.table("quotas.Quota").rows
    assert {q["ramp"] for q in quotas if q["period"].count("-M")} >= {Decimal("0.25"), Decimal("0.5"),
                                                                      Decimal("0.75"), Decimal(1), Decimal(0)}
    assert any(q["relief"] > 0 and q["relief_reason"] for q in quotas)
    q = {(r["position"], r["period"]): r["amount"] for r in quotas}
    assert q[("AE-NAW-15", "FY2025")] == sum(q[("AE-NAW-15", f"FY2025-M{m:02d}")] for m in range(1, 13))
    assert q[("AE-NAW-15", "FY2025-M12")] > q[("AE-NAW-15", "FY2025-M01")]  # seasonality


# --- loaded into the database --------------------------------------------------------------------

EFFECTIVE_DATED = ["org.ReportingLine", "org.PositionHolder", "territories.TerritoryRule",
                   "territories.TerritoryPosition", "territories.AccountTerritory", "plans.PlanAssignment"]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_database_holds_what_was_generated(loaded):
    counts = load.counts()
    for table in loaded.tables:
        if table.model in counts:
            assert counts[table.model] == len(table.rows), table.model


OWN_KEYS = {"territories.TerritoryRule": (("territory", "kind", "value", "account"),),
            "plans.PlanVersion": (("plan", "status"),)}


@pytest.mark.django_db
@pytest.mark.parametrize("label", EFFECTIVE_DATED + ["plans.PlanVersion"])
def test_no_effective_dated_rows_overlap(loaded, label):
    from django.apps import apps

    model = apps.get_model(label)
    keys = OWN_KEYS.get(label, model.overlap_keys)
    rows = list(model.objects.all())
    assert rows
    for key in keys:
        attnames = [model._meta.get_field(name).attname for name in key]
        spans = [Span(tuple(getattr(r, a) for a in attnames), r.valid_from, r.valid_to, r.pk) for r in rows]
        assert find_overlaps(spans) == [], f"{label} overlaps on {key}"
    for row in rows[:: max(1, len(rows) // 40)]:
        row.full_clean()  # the model's own validation, including its overlap query


@pytest.mark.django_db
def test_holders_start_after_hiring_and_managers_exist_when_reporting(loaded):
    from attain.apps.org.models import PositionHolder

    for holder in PositionHolder.objects.select_related("participant"):
        assert holder.valid_from >= holder.participant.hire_date
        end = holder.participant.termination_date
        assert end is None or (holder.valid_to is not None and holder.valid_to <= end)


@pytest.mark.django_db
def test_leaves_of_absence_are_valid_and_taken_by_the_positions_holder(loaded):
    from attain.apps.org.models import LeaveOfAbsence, PositionHolder

    leaves = list(LeaveOfAbsence.objects.select_related("participant").order_by("start_date"))
    assert [(x.kind, x.days) for x in leaves] == [("parental", 89), ("sabbatical", 26), ("unpaid", 19)]
    for leave in leaves:
        leave.full_clean()  # within employment, no overlap
        held = PositionHolder.objects.filter(PositionHolder.valid_on(leave.start_date), participant=leave.participant)
        assert held.filter(PositionHolder.valid_on(leave.end_date)).exists()  # the holder keeps the seat


@pytest.mark.django_db
def test_credit_notes_reference_and_negate_their_original(loaded):
    from attain.apps.sales.models import Transaction

    notes = list(Transaction.objects.filter(kind="credit_note").select_related("original"))
    assert len(notes) > 500
    for note in notes:
        assert note.original is not None and note.original.kind == "booking"
        assert note.amount == -note.original.amount and note.cost == -note.original.cost
        assert note.original.status in ("cancelled", "refunded") and note.booked_date >= note.original.booked_date
        assert note.booked_date <= AS_OF
    sample = Transaction.objects.order_by("external_id")[::5000]
    for line in sample:
        line.full_clean()


@pytest.mark.django_db
def test_demo_users_can_sign_in_in_their_roles(loaded):
    from django.contrib.auth import authenticate

    from attain.apps.org.models import PositionHolder, ReportingLine

    with fast_hasher():
        _check_logins()
        rep = authenticate(username="rep", password=DEMO_PASSWORD)
    assert not rep.is_staff and not rep.has_perm("sales.view_transaction")  # the rep portal, not the admin
    held = PositionHolder.objects.get(PositionHolder.valid_on(AS_OF), participant__user=rep)
    assert held.position.code == DEMO_REP_POSITION
    line = ReportingLine.objects.get(ReportingLine.valid_on(AS_OF), position__code=DEMO_REP_POSITION)
    assert line.manager_position.code == DEMO_MANAGER_POSITION
    manager = PositionHolder.objects.get(PositionHolder.valid_on(AS_OF), position__code=DEMO_MANAGER_POSITION)
    assert manager.participant.user.username == "manager"
    # the manager portal, not the admin (whose lists show everyone's rows)
    boss = manager.participant.user
    assert not boss.is_staff and not boss.has_perm("sales.view_transaction") and not boss.has_perm("org.view_participant")


def _check_logins() -> None:
    from django.contrib.auth import authenticate

    for login in DEMO_LOGINS:
        user = authenticate(username=login.username, password=DEMO_PASSWORD)
        assert user is not None and user.is_staff == (login.role not in (roles.REP, roles.MANAGER))
        assert list(user.groups.values_list("name", flat=True)) == [login.role]
        assert user.is_superuser == (login.username == "admin")


@pytest.mark.django_db
def test_a_sample_of_every_loaded_model_passes_its_validation(loaded):
    from django.apps import apps

    for table in loaded.tables:
        model = apps.get_model(table.model)
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for row in model.objects.filter(pk__in=pks[:: max(1, len(pks) // 15)]):
            row.full_clean()


@pytest.mark.django_db
def test_fiscal_periods_nest(loaded):
    from attain.apps.core.models import Period

    march = Period.objects.get(name="FY2026-M03")
    assert march.parent.name == "FY2026-Q1" and march.parent.parent.name == "FY2026"
    assert Period.objects.get(name="FY2025-Q4").is_closed and not march.is_closed
    assert march.start_date == date(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.slow
def test_the_demo_calculates_its_last_month_with_its_published_plans(loaded):
    from attain.apps.calc.explain import explain_earnings
    from attain.apps.calc.models import Earning
    from attain.apps.calc.services import calculate_period
    from attain.engine.money import round_money

    run = calculate_period("FY2026-M11")
    assert run.status == "succeeded"
    assert [v["plan"] for v in run.plan_versions] == ["AE", "CHANNEL", "MANAGER", "OVERLAY", "SDR"]
    assert all(x.startswith("AE-FY2026: credits to AE-") and "vacant" in x for x in run.exceptions)
    earnings = list(Earning.objects.filter(run=run))
    assert len({e.participant_id for e in earnings}) == run.counts["participants"] > 80
    assert all(e.amount_rounded == round_money(e.amount) for e in earnings)
    assert {e.component for e in earnings} >= {"Per qualified meeting", "Commission on sourced pipeline",
                                               "Commission on partner bookings"}  # activity, pipeline, sourced
    (line,) = explain_earnings("rep", "FY2026-M11").lines
    assert line[0] == "Commission on new bookings" and "new_bookings counts" in line[2]


@pytest.mark.slow
def test_demo_months_go_through_approval_payment_and_close_and_an_unchanged_month_restates_nothing(loaded):
    from attain.apps.calc.services import calculate_period
    from attain.apps.core.models import Period
    from attain.apps.payments.models import PaymentRun
    from attain.cli.demo import run_months_through

    run_months_through("FY2026-M02")
    states = dict(Period.objects.filter(name__in=["FY2026-M01", "FY2026-M02", "FY2026-M03"]).values_list(
        "name", "state"))
    assert states == {"FY2026-M01": "closed", "FY2026-M02": "closed", "FY2026-M03": "open"}
    assert PaymentRun.objects.filter(period__name__in=["FY2026-M01", "FY2026-M02"]).count() == 2
    # March is the first open month: January and February are recalculated and compared, and nothing changed
    assert calculate_period("FY2026-M03").counts["adjustments"] == 0


# Deliberately not reset: the audit log is append-only (its database triggers refuse DELETE, and it must not be
# truncated), references no domain table (so the TRUNCATE of the others never needs it), and records the
# demo reload itself.
# failed logins are security records, and API tokens credentials of users (who are kept), not demo data
KEPT_BY_RESET = {"audit.AuditEntry", "portal.FailedLogin", "api.ApiToken"}


def test_a_reset_removes_every_model_of_attain():
    """`attain demo --reset` empties every Attain table but the audit log (a model left out would block it on
    PostgreSQL)."""
    from django.apps import apps

    models = {f"{m._meta.app_label}.{m.__name__}" for m in apps.get_models() if m.__module__.startswith("attain.")}
    assert models - KEPT_BY_RESET == set(load.DOMAIN_MODELS)
    assert KEPT_BY_RESET <= models
    for label in KEPT_BY_RESET:  # a kept table referencing an emptied one would make TRUNCATE refuse
        kept = apps.get_model(label)
        assert not [f for f in kept._meta.concrete_fields if f.is_relation and f.related_model._meta.label in models]


@pytest.mark.spark
@pytest.mark.slow
def test_the_demo_month_on_spark_earns_to_the_cent_what_it_earns_on_duckdb(loaded, spark):
    from attain.apps.calc.diff import diff_runs
    from attain.apps.calc.models import Earning
    from attain.apps.calc.services import calculate_period
    from attain.engine.backends import using

    on_duckdb = calculate_period("FY2026-M11")
    with using(spark):
        on_spark = calculate_period("FY2026-M11")
    assert (on_duckdb.engine, on_spark.engine) == ("duckdb", "spark (local[2])")
    assert on_spark.status == "succeeded" and on_spark.exceptions == on_duckdb.exceptions
    compared = diff_runs(on_duckdb.pk, on_spark.pk)
    assert compared.changes == () and compared.unchanged > 100

    def lines(run):
        return sorted(Earning.objects.filter(run=run).values_list(
            "participant__employee_id", "position__code", "component", "base", "quota", "earned_to_date", "amount",
            "amount_rounded", "explanation"))

    assert lines(on_spark) == lines(on_duckdb)  # to the last decimal, and the same words
