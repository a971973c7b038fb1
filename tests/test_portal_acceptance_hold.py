"""A plan that requires acceptance: the payment run holds the commission on it until the rep accepts the version
in force, and the next payment run releases what was held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.payments.models import Payment
from attain.apps.plans.models import Plan
from attain.apps.portal.acceptance import accept
from attain.apps.portal.models import AcceptanceRequirement
from attain.apps.portal.plan_document import plan_documents
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Transaction
from tests import factories as f
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
D = date


def test_commission_is_held_until_the_plan_document_is_accepted_then_released():
    ada = f.seated("E2", E2_PLAN, 60000)
    ada.user = f.user("ada", roles.REP)
    ada.save()
    Quota.objects.create(position=f.position("AE-1"), period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=Decimal(600000), currency=f.usd())
    account = f.account()
    for external_id, amount, day in (("A-1", 250000, D(2026, 1, 20)), ("A-2", 200000, D(2026, 2, 15))):
        Transaction.objects.create(external_id=external_id, booked_date=day, account=account, amount=Decimal(amount),
                                   currency=f.usd(), owner_position=f.position("AE-1"))
    AcceptanceRequirement.objects.create(plan=Plan.objects.get(code="E2"))

    f.calculate_and_pay("FY2026-M01")  # 250,000 × 5% = 12,500.00 earned, all held: paid 0.00
    january = Payment.objects.get(period__name="FY2026-M01")
    assert (january.earned, january.paid) == (Decimal("12500.00"), Decimal("0.00"))
    assert january.adjustment_lines == [{"label": "held until the plan document is accepted: E2 plan document v1 not "
                                                  "accepted (12,500.00 held, 12,500.00 in all)", "amount": "-12500"}]

    [shown] = plan_documents(ada, D(2026, 1, 1), D(2026, 12, 31))
    accept(ada, shown, user=ada.user, address="10.0.0.7", user_agent="Test", sha256=shown.sha256)
    f.calculate_and_pay("FY2026-M02")  # 450,000 × 5% = 22,500 − 12,500 = 10,000.00, and January's 12,500.00 released
    february = Payment.objects.get(period__name="FY2026-M02")
    assert (february.earned, february.paid) == (Decimal("10000.00"), Decimal("22500.00"))
    [released] = february.adjustment_lines
    assert released["amount"] == "12500"
    assert released["label"].startswith("held until the plan document is accepted: E2 plan document v1 accepted on ")
    assert released["label"].endswith(", 12,500.00 released")
    january.refresh_from_db()
    assert january.paid == Decimal("0.00")  # the paid month is as it was


def test_without_the_requirement_nothing_is_held():
    f.seated("E2", E2_PLAN, 60000)
    Quota.objects.create(position=f.position("AE-1"), period=Period.objects.get(name="FY2026"), measure="bookings",
                         amount=Decimal(600000), currency=f.usd())
    Transaction.objects.create(external_id="A-1", booked_date=D(2026, 1, 20), account=f.account(),
                               amount=Decimal(250000), currency=f.usd(), owner_position=f.position("AE-1"))
    f.calculate_and_pay("FY2026-M01")
    assert Payment.objects.get(period__name="FY2026-M01").paid == Decimal("12500.00")


def test_comp_admins_set_the_requirement_and_everyone_else_only_reads_acceptances_in_the_admin():
    from django.contrib.auth.models import Group

    from attain.apps.org.roles import COMP_ADMIN, FINANCE, REP, ensure_roles

    ensure_roles()
    def codes(role):
        return set(Group.objects.get(name=role).permissions.filter(content_type__app_label="portal")
                   .values_list("codename", flat=True))
    assert codes(COMP_ADMIN) == {"view_planacceptance", "view_acceptancerequirement", "add_acceptancerequirement",
                                 "change_acceptancerequirement", "delete_acceptancerequirement"}
    assert codes(FINANCE) == {"view_planacceptance", "view_acceptancerequirement"}
    assert codes(REP) == set()
