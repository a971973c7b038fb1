from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from attain.apps.core.models import FxRate, Period
from attain.apps.org.models import PositionHolder, ReportingLine
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from attain.apps.territories.models import AccountTerritory, Territory
from tests import factories as f

pytestmark = pytest.mark.django_db
D = date


def test_a_position_has_one_manager_at_a_time():
    ae, m1, m2 = f.position("AE-1"), f.position("MGR-1", "manager"), f.position("MGR-2", "manager")
    ReportingLine.objects.create(position=ae, manager_position=m1, valid_from=D(2026, 1, 1), valid_to=D(2026, 6, 30))
    transfer = ReportingLine(position=ae, manager_position=m2, valid_from=D(2026, 7, 1))
    transfer.full_clean()  # the day after the first line ends: fine
    clash = ReportingLine(position=ae, manager_position=m2, valid_from=D(2026, 6, 30))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    message = str(error.value)
    assert "overlaps AE-1 → MGR-1 (2026-01-01 – 2026-06-30)" in message
    assert "end the earlier record the day before 2026-06-30" in message


def test_a_position_cannot_report_to_itself():
    ae = f.position("AE-1")
    with pytest.raises(ValidationError, match="cannot report to itself"):
        ReportingLine(position=ae, manager_position=ae, valid_from=D(2026, 1, 1)).full_clean()


def test_mid_year_transfer_between_positions():
    ada, ae1, ae2 = f.participant("E1"), f.position("AE-1"), f.position("AE-2")
    PositionHolder.objects.create(participant=ada, position=ae1, valid_from=D(2026, 1, 1), valid_to=D(2026, 5, 31))
    PositionHolder(participant=ada, position=ae2, valid_from=D(2026, 6, 1)).full_clean()
    with pytest.raises(ValidationError, match="for the same participant"):
        PositionHolder(participant=ada, position=ae2, valid_from=D(2026, 5, 1)).full_clean()
    other = f.participant("E2")
    with pytest.raises(ValidationError, match="for the same position"):
        PositionHolder(participant=other, position=ae1, valid_from=D(2026, 3, 1)).full_clean()


def test_holding_a_position_before_the_hire_date_is_refused():
    ada = f.participant("E1", hire_date=D(2026, 4, 16))
    with pytest.raises(ValidationError, match="was hired on 2026-04-16"):
        PositionHolder(participant=ada, position=f.position("AE-1"), valid_from=D(2026, 4, 1)).full_clean()


def test_valid_to_before_valid_from_is_refused():
    ae, mgr = f.position("AE-1"), f.position("MGR-1", "manager")
    with pytest.raises(ValidationError, match="valid_to 2026-01-31 is before valid_from 2026-02-01"):
        ReportingLine(position=ae, manager_position=mgr, valid_from=D(2026, 2, 1), valid_to=D(2026, 1, 31)).full_clean()


def test_account_territory_as_of_a_day():
    acct = f.account()
    west1 = Territory.objects.create(code="WEST-1", name="West 1")
    west2 = Territory.objects.create(code="WEST-2", name="West 2")
    AccountTerritory.objects.create(account=acct, territory=west1, valid_from=D(2026, 1, 1), valid_to=D(2026, 6, 30))
    AccountTerritory.objects.create(account=acct, territory=west2, valid_from=D(2026, 7, 1))
    on = lambda day: AccountTerritory.objects.get(AccountTerritory.valid_on(day), account=acct).territory.code  # noqa: E731
    assert (on(D(2026, 6, 28)), on(D(2026, 7, 2))) == ("WEST-1", "WEST-2")


def test_credit_note_must_name_its_original():
    line = Transaction(external_id="CN-1", kind="credit_note", booked_date=D(2026, 3, 1), account=f.account(),
                       amount=Decimal("-100"), currency=f.usd())
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert error.value.message_dict["original"] == ["A credit note must name the line it reverses."]


def test_quota_effective_amount_applies_ramp_then_relief():
    year = Period.objects.create(calendar=_calendar(), kind="year", fiscal_year=2026, number=1, name="FY2026",
                                 start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    quota = Quota(position=f.position("AE-1"), period=year, measure="new_bookings", amount=Decimal("720000"),
                  currency=f.usd(), ramp=Decimal("0.5"), relief=Decimal("10000"))
    assert quota.effective_amount == Decimal("350000")
    quota.relief = Decimal("500000")
    assert quota.effective_amount == 0


def test_fx_rate_between_one_currency_is_refused():
    with pytest.raises(ValidationError, match="two different currencies"):
        FxRate(from_currency=f.usd(), to_currency=f.usd(), rate_date=D(2026, 1, 1), rate=Decimal(1)).full_clean()


def _calendar():
    from attain.apps.core.models import FiscalCalendar

    return FiscalCalendar.objects.create(name="Default", start_month=1, is_default=True)


def test_a_plan_version_must_hold_a_valid_plan_document():
    from attain.apps.plans.models import Plan, PlanVersion
    from tests.test_calculate import E2_PLAN

    plan = Plan.objects.create(code="E2", name="E2", currency=f.usd())
    PlanVersion(plan=plan, version=1, document=E2_PLAN, valid_from=D(2026, 1, 1)).full_clean()
    broken = PlanVersion(plan=plan, version=2, document=E2_PLAN.replace("method: marginal", "method: stepped"),
                         valid_from=D(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        broken.full_clean()
    assert error.value.message_dict["document"] == [
        "Plan E2: component 'Commission', rate_table: unknown method 'stepped'; use one of marginal, whole_amount, "
        "interpolated"]
