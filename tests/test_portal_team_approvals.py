"""A manager approves or rejects their team's adjustments within their authority; everything else waits for finance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from attain.apps.audit.models import AuditEntry
from attain.apps.core.models import Currency
from attain.apps.payments.adjustments import AdjustmentError, create_adjustment
from attain.apps.payments.models import Adjustment, ApprovalAuthority
from attain.apps.portal.team_approvals import (
    approve_within_authority,
    authority_of,
    reject_within_authority,
    waiting_for,
)
from tests import team_world
from tests.test_portal_pages import text

pytestmark = pytest.mark.django_db
team = team_world.team


@pytest.fixture
def limit(team):
    """Every sales manager may decide adjustments up to 1,000 USD."""
    return ApprovalAuthority.objects.create(role="Sales manager", max_amount=Decimal(1000), currency=Currency.objects.get(
        code="USD"))


def adjust(team, employee_id: str, amount: str, period: str = "FY2026-M04", by: str = "maker", **more) -> Adjustment:
    return create_adjustment(employee_id, Decimal(amount), period, "Agreed SPIFF", team.users[by], **more)


def test_within_the_authority_the_manager_approves_and_the_decision_is_logged(team, limit):
    made = adjust(team, "E-1", "800")
    approved = approve_within_authority(made.pk, team.users["mia"], "Fine by me")
    assert (approved.state, approved.decided_by, approved.applies_from.name) == ("approved", team.users["mia"],
                                                                                  "FY2026-M04")
    assert approved.decision_note == ("Fine by me\nDecided by the team's manager under their approval authority "
                                      "(up to 1,000.00 USD).")
    entry = AuditEntry.objects.filter(object_type="payments.Adjustment", object_id=str(made.pk)).order_by("pk").last()
    assert (entry.action, entry.username, entry.before["state"], entry.after["state"]) == (
        "approved", "mia", "pending", "approved")


def test_the_limit_holds_for_a_deduction_too_and_the_edge_is_within(team, limit):
    assert approve_within_authority(adjust(team, "E-3", "-1000").pk, team.users["mia"]).state == "approved"


def test_above_the_authority_the_adjustment_waits_for_finance_with_a_clear_message(team, limit):
    made = adjust(team, "E-1", "2500")
    with pytest.raises(AdjustmentError) as refused:
        approve_within_authority(made.pk, team.users["mia"])
    assert str(refused.value) == (f"Adjustment {made.pk} is 2,500.00 USD in all, above your authority of 1,000.00 USD: "
                                  "it waits for finance.")
    with pytest.raises(AdjustmentError):
        reject_within_authority(made.pk, team.users["mia"], "Too much")
    made.refresh_from_db()
    assert made.state == "pending" and made.decided_by is None


def test_a_recurring_adjustment_counts_all_its_months_and_an_open_ended_one_is_never_within(team, limit):
    three = adjust(team, "E-1", "400", until="FY2026-M06")
    with pytest.raises(AdjustmentError, match=r"is 1,200.00 USD in all, above your authority of 1,000.00 USD"):
        approve_within_authority(three.pk, team.users["mia"])
    two = adjust(team, "E-1", "400", until="FY2026-M05")
    assert approve_within_authority(two.pk, team.users["mia"]).state == "approved"
    open_ended = adjust(team, "E-1", "10", recurring=True)
    with pytest.raises(AdjustmentError, match="recurs without a last month"):
        approve_within_authority(open_ended.pk, team.users["mia"])


def test_the_maker_never_decides_their_own_adjustment(team, limit):
    made = adjust(team, "E-1", "100", by="mia")
    with pytest.raises(AdjustmentError, match="mia created adjustment .* segregation of duties needs another approver"):
        approve_within_authority(made.pk, team.users["mia"])
    assert "You made adjustment" in {w.adjustment.pk: w.verdict.reason for w in waiting_for(team.users["mia"])}[made.pk]


def test_a_manager_never_decides_their_own_pay_nor_another_teams(team, limit):
    own, other = adjust(team, "M-1", "100"), adjust(team, "E-6", "100")
    with pytest.raises(AdjustmentError, match="is for your own pay: it waits for finance"):
        approve_within_authority(own.pk, team.users["mia"])
    with pytest.raises(AdjustmentError, match="outside your team in FY2026-M04"):
        approve_within_authority(other.pk, team.users["mia"])
    assert other.pk not in {w.adjustment.pk for w in waiting_for(team.users["mia"])}
    assert approve_within_authority(other.pk, team.users["noa"]).state == "approved"  # Flo's manager may


def test_without_an_authority_everything_waits_for_finance(team):
    made = adjust(team, "E-1", "1")
    assert authority_of(team.users["mia"]) is None
    with pytest.raises(AdjustmentError, match="You have no authority to approve adjustments"):
        approve_within_authority(made.pk, team.users["mia"])


def test_a_users_own_authority_wins_over_their_roles(team, limit):
    ApprovalAuthority.objects.create(user=team.users["mia"], max_amount=Decimal(50), currency=limit.currency)
    with pytest.raises(AdjustmentError, match="above your authority of 50.00 USD"):
        approve_within_authority(adjust(team, "E-1", "60").pk, team.users["mia"])


def test_rejecting_needs_a_reason_and_is_logged(team, limit):
    made = adjust(team, "E-1", "300")
    with pytest.raises(AdjustmentError, match="say why"):
        reject_within_authority(made.pk, team.users["mia"], "  ")
    rejected = reject_within_authority(made.pk, team.users["mia"], "Not agreed with the rep")
    assert rejected.state == "rejected" and rejected.decision_note.startswith("Not agreed with the rep\n")


def test_the_page_lists_the_teams_pending_adjustments_and_decides_them(team, limit, client,
                                                                      django_assert_max_num_queries):
    small, large, other = adjust(team, "E-1", "800"), adjust(team, "E-4", "5000"), adjust(team, "E-6", "10")
    client.force_login(team.users["mia"])
    with django_assert_max_num_queries(12):
        html = client.get("/portal/team/adjustments/").content.decode()
    assert f'action="/portal/team/adjustments/{small.pk}/"' in html
    assert f'action="/portal/team/adjustments/{large.pk}/"' not in html
    assert (f"Adjustment {large.pk} is 5,000.00 USD in all, above your authority of 1,000.00 USD: it waits for "
            "finance.") in text(html)
    assert f"Adjustment {other.pk}:" not in html
    response = client.post(f"/portal/team/adjustments/{small.pk}/", {"action": "approve", "note": ""}, follow=True)
    assert f"Adjustment {small.pk} approved." in text(response.content.decode())
    response = client.post(f"/portal/team/adjustments/{large.pk}/", {"action": "approve"}, follow=True)
    assert "above your authority of 1,000.00 USD: it waits for finance." in text(response.content.decode())
    large.refresh_from_db()
    assert large.state == "pending"
    assert client.get(f"/portal/team/adjustments/{small.pk}/").status_code == 405  # decisions are posted


def test_the_team_page_counts_the_adjustments_waiting(team, limit, client):
    adjust(team, "E-1", "800")
    client.force_login(team.users["mia"])
    assert 'Adjustments <span class="badge">1</span>' in client.get("/portal/team/").content.decode()


def test_the_comp_admin_sets_authorities_in_the_admin(team, client):
    client.force_login(team.users["maker"])
    team.users["maker"].is_staff = True
    team.users["maker"].save()
    assert client.get("/admin/payments/approvalauthority/add/").status_code == 200
