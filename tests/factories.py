"""Small builders for model tests (explicit values, no randomness)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attain.apps.catalog.models import Account, Product, ProductFamily
from attain.apps.core.models import Currency
from attain.apps.org.models import Participant, Position
from attain.apps.plans.models import Plan, PlanAssignment, PlanVersion


def usd() -> Currency:
    return Currency.objects.get_or_create(code="USD", defaults={"name": "US dollar"})[0]


def position(code: str, kind: str = "ae") -> Position:
    """The position `code` (created the first time)."""
    return Position.objects.get_or_create(code=code, defaults={"name": code.title(), "kind": kind,
                                                               "created_on": date(2025, 1, 1)})[0]


def participant(employee_id: str, hire_date: date = date(2025, 1, 1)) -> Participant:
    return Participant.objects.create(
        employee_id=employee_id, first_name="Ada", last_name=employee_id, hire_date=hire_date,
        currency=usd(), country="US",
    )


def account(external_id: str = "ACC-1") -> Account:
    return Account.objects.create(external_id=external_id, name=f"Account {external_id}", country="US",
                                  postal_code="94107")


def product(sku: str = "PLAT-1") -> Product:
    family = ProductFamily.objects.get_or_create(code="PLATFORM", defaults={"name": "Platform"})[0]
    return Product.objects.create(sku=sku, name="Platform", family=family, list_price=Decimal("1000"),
                                  unit_cost=Decimal("100"), currency=usd())


def published_plan(code: str, document: str, position: Position, target_incentive: int) -> Plan:
    """A plan with one published version from 1 January 2026, the position assigned with its target (USD)."""
    plan = Plan.objects.create(code=code, name=code, currency=usd())
    PlanVersion.objects.create(plan=plan, version=1, status="published", document=document,
                               valid_from=date(2026, 1, 1))
    PlanAssignment.objects.create(plan=plan, position=position, target_incentive=Decimal(target_incentive),
                                  currency=usd(), valid_from=date(2026, 1, 1))
    return plan


def user(username: str, role: str):
    """A user in one of the role groups (e.g. roles.COMP_ADMIN, roles.FINANCE)."""
    from django.contrib.auth import get_user_model

    from attain.apps.org.roles import ensure_roles

    found, _ = get_user_model().objects.get_or_create(username=username)
    found.groups.set([ensure_roles()[role]])
    return get_user_model().objects.get(pk=found.pk)  # a fresh object: no cached permissions


def approve(name: str):
    """Submit the month's latest run as the comp admin (unless it waits already) and approve it as the controller."""
    from attain.apps.calc.approvals import approve as approve_results
    from attain.apps.calc.approvals import submit
    from attain.apps.calc.models import Approval
    from attain.apps.org import roles

    if not Approval.objects.filter(period__name=name, state=Approval.State.SUBMITTED).exists():
        submit(name, user("compadmin", roles.COMP_ADMIN))
    return approve_results(name, user("controller", roles.CONTROLLER))


def calculate_and_pay(name: str):
    """The month's whole way to paid: calculate, submit, approve, pay; the payment run."""
    from attain.apps.calc.services import calculate_period
    from attain.apps.payments.services import pay_period

    calculate_period(name)
    approve(name)
    return pay_period(name)


def seated(plan_code: str, document: str, target_incentive: int, employee_id: str = "E-1", seat: str = "AE-1",
           since: date = date(2025, 1, 1)) -> Participant:
    """FY2026's periods, and a USD participant holding `seat` from `since` on a published plan; the participant."""
    from attain.apps.core.services import default_calendar, generate_periods
    from attain.apps.org.models import PositionHolder

    usd()
    generate_periods(default_calendar(), 2026)
    position_, person = position(seat), participant(employee_id, hire_date=min(since, date(2025, 1, 1)))
    PositionHolder.objects.create(participant=person, position=position_, valid_from=since)
    published_plan(plan_code, document, position_, target_incentive)
    return person
