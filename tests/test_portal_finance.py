"""The finance workspace (portal/views_finance.py) on the portal world (tests/portal_world.py): January and February
paid (Ada 12,500.00 and 10,000.00; Bo 1,500.00 and 3,000.00), March calculated (Ada 2,500.00, Bo nothing)."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import pytest

from attain.apps.audit.models import AuditEntry
from attain.apps.calc.approvals import submit
from attain.apps.calc.models import Approval, ApprovalPolicy
from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.payments.adjustments import create_adjustment
from attain.apps.payments.models import Adjustment, PaymentRun
from tests import factories as f
from tests import portal_world
from tests.test_portal_pages import figures, rows, text

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage
MONTH_STEPS = ("approve", "reject", "pay", "close")


def state(name: str) -> str:
    return Period.objects.get(name=name).state


def signed_in(client, username: str, role: str):
    client.force_login(f.user(username, role))
    return client


@pytest.fixture
def controller(world, lineage, client):
    return signed_in(client, "controller", roles.CONTROLLER)


@pytest.fixture
def submitted(world):
    """March submitted by the comp admin, with Ada's 2,500.00 escalated (above 2,000.00 USD)."""
    ApprovalPolicy.objects.create(payout_threshold=Decimal(2000), currency=f.usd())
    return submit("FY2026-M03", f.user("compadmin", roles.COMP_ADMIN), "March as calculated")


def messages_of(response) -> list[str]:
    return [html.unescape(text(m).strip()) for m in re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)]


def test_the_queue_lists_the_submitted_month_its_totals_and_its_escalation(controller, submitted,
                                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = controller.get("/portal/finance/").content.decode()
    assert figures(html) == {"total-FY2026-M03-USD": "2,500.00"}
    shown = text(html)
    assert "FY2026-M03 run" in shown and "submitted by compadmin" in shown
    assert ["E-1", "2,500.00", "USD", "", "above 2,000.00 USD"] in rows(html)
    assert "Who may approve: a finance controller or an administrator (escalated payouts need" in shown
    assert re.findall(r'data-state="([^"]+)">(\w+)<', html)[:4] == [
        ("FY2026-M01", "paid"), ("FY2026-M02", "paid"), ("FY2026-M03", "calculated"), ("FY2026-M04", "open")]
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_finance_approver_may_not_approve_an_escalation_and_the_controller_may(world, lineage, client, submitted):
    signed_in(client, "fin", roles.FINANCE)
    refused = client.post("/portal/finance/months/FY2026-M03/approve/", follow=True)
    assert messages_of(refused) == [
        "Not approved: FY2026-M03 has 1 escalated payouts (e.g. E-1 2500 USD: above 2,000.00 USD): an approver with "
        "'Can approve escalated results' must approve it"]
    assert state("FY2026-M03") == "calculated"
    signed_in(client, "controller", roles.CONTROLLER)
    done = client.post("/portal/finance/months/FY2026-M03/approve/", {"note": "checked"}, follow=True)
    assert messages_of(done) == ["FY2026-M03 approved: ready to pay."]
    assert state("FY2026-M03") == "approved"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.APPROVED).latest("pk")
    assert (entry.user.username, entry.reason) == ("controller", "checked")


def test_the_submitter_cannot_approve_their_own_submission(world, lineage, client):
    submit("FY2026-M03", f.user("controller", roles.CONTROLLER))
    signed_in(client, "controller", roles.CONTROLLER)
    refused = client.post("/portal/finance/months/FY2026-M03/approve/", follow=True)
    assert messages_of(refused) == ["Not approved: controller submitted these results and so cannot approve them: "
                                    "segregation of duties needs another approver"]
    assert state("FY2026-M03") == "calculated"


def test_reject_needs_a_reason_and_keeps_the_month_calculated(controller, submitted):
    refused = controller.post("/portal/finance/months/FY2026-M03/reject/", {"note": " "}, follow=True)
    assert messages_of(refused) == ["Not rejected: say why the results are rejected, so the comp admin knows what "
                                    "to fix"]
    done = controller.post("/portal/finance/months/FY2026-M03/reject/", {"note": "A-3 is a duplicate"}, follow=True)
    assert messages_of(done) == ["FY2026-M03 rejected: back to the comp admin."]
    assert Approval.objects.get(pk=submitted.pk).state == "rejected" and state("FY2026-M03") == "calculated"


def test_pay_then_close_in_order(controller, submitted):
    controller.post("/portal/finance/months/FY2026-M03/approve/", follow=True)
    paid = controller.post("/portal/finance/months/FY2026-M03/pay/", follow=True)
    assert messages_of(paid) == ["FY2026-M03 paid: the payroll and journal files are ready."]
    assert state("FY2026-M03") == "paid" and PaymentRun.objects.filter(period__name="FY2026-M03").count() == 1
    early = controller.post("/portal/finance/months/FY2026-M03/close/", follow=True)
    assert messages_of(early) == ["Not closed: close the earlier months of FY2026 first: FY2026-M01, FY2026-M02"]
    for name in ("FY2026-M01", "FY2026-M02", "FY2026-M03"):
        closed = controller.post(f"/portal/finance/months/{name}/close/", follow=True)
        assert messages_of(closed) == [f"{name} closed: nothing in it changes again."]
    assert [state(n) for n in ("FY2026-M01", "FY2026-M02", "FY2026-M03")] == ["closed"] * 3
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CLOSED).count() == 3
    again = controller.post("/portal/finance/months/FY2026-M03/pay/", follow=True)
    assert messages_of(again) == ["Not paid: FY2026-M03 is closed: it was paid already"]


def test_the_payroll_file_of_a_paid_month(controller):
    response = controller.get("/portal/finance/months/FY2026-M02/payroll.csv?layout=attain")
    assert response["Content-Disposition"] == 'attachment; filename="FY2026-M02-attain-payroll-default-2026-02-28.csv"'
    assert response.content.decode() == (
        "employee_id,payee_name,pay_group,pay_date,earning_code,amount,currency,period,reference\r\n"
        f"E-1,Ada E-1,DEFAULT,2026-02-28,COMM,10000.00,USD,FY2026-M02,attain payment {payment('E-1')}\r\n"
        f"E-2,Ada E-2,DEFAULT,2026-02-28,COMM,3000.00,USD,FY2026-M02,attain payment {payment('E-2')}\r\n")
    exported = AuditEntry.objects.get(action=AuditEntry.Action.EXPORTED)
    assert exported.after["layout"] == "attain" and exported.user is None  # export_payroll names no user
    workday = controller.get("/portal/finance/months/FY2026-M02/payroll.csv?layout=workday&pay_date=2026-03-05"
                             "&earning_code=BONUS")
    assert workday.content.decode().splitlines() == [
        "Employee ID,One-Time Payment Plan,Amount,Currency,Effective Date",
        "E-1,BONUS,10000.00,USD,2026-03-05", "E-2,BONUS,3000.00,USD,2026-03-05"]
    adp = controller.get("/portal/finance/months/FY2026-M02/payroll.csv?layout=adp&setting_company_code=ABC"
                         "&setting_batch_id=B1", follow=True)
    assert messages_of(adp)[0].startswith("No payroll file:") and "1 to 6 digits" in messages_of(adp)[0]
    unknown = controller.get("/portal/finance/months/FY2026-M02/payroll.csv?layout=sage", follow=True)
    assert messages_of(unknown)[0].startswith("No payroll file: there is no payroll layout 'sage'")


def payment(employee_id: str) -> int:
    from attain.apps.payments.models import Payment

    return Payment.objects.get(period__name="FY2026-M02", participant__employee_id=employee_id).pk


def test_the_journal_file_balances_and_the_page_shows_the_trial_balance(controller, django_assert_max_num_queries):
    response = controller.get("/portal/finance/months/FY2026-M02/journal.csv")
    assert response["Content-Disposition"] == 'attachment; filename="journal-FY2026-M02.csv"'
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    debits = sum(Decimal(line["debit"] or 0) for line in lines)
    credits = sum(Decimal(line["credit"] or 0) for line in lines)
    assert debits == credits == Decimal("26000.00")
    with django_assert_max_num_queries(37):  # 6 of them: the books' key (finance_cache.books_key)
        html = controller.get("/portal/finance/months/FY2026-M02/").content.decode()
    assert rows(html) == [["USD", "2110 Accrued commissions", "13,000.00", "13,000.00", "0.00"],
                          ["USD", "2120 Commissions payable", "0.00", "13,000.00", "-13,000.00"],
                          ["USD", "6100 Commission expense", "13,000.00", "0.00", "13,000.00"]]
    assert figures(html) == {"debits-USD": "26,000.00", "credits-USD": "26,000.00"}


def test_exports_wait_for_the_month_to_be_paid(controller):
    refused = controller.get("/portal/finance/months/FY2026-M03/journal.csv", follow=True)
    assert messages_of(refused) == ["No journal file: FY2026-M03 is calculated: payroll and journal entries are "
                                    "exported once it is paid (attain pay FY2026-M03)"]
    assert controller.get("/portal/finance/months/FY2099-M01/").status_code == 404


def test_adjustments_wait_for_finance_with_segregation_of_duties(world, lineage, client):
    made = create_adjustment("E-2", Decimal("250.00"), "FY2026-M03", "missed deal B-9", f.user("fin", roles.FINANCE))
    signed_in(client, "fin", roles.FINANCE)
    assert rows(client.get("/portal/finance/").content.decode())[-1][:5] == [
        str(made.pk), "E-2 Ada E-2", "250.00 USD", "FY2026-M03", "missed deal B-9"]
    refused = client.post(f"/portal/finance/adjustments/{made.pk}/approve/", follow=True)
    assert messages_of(refused) == [f"Not approved: fin created adjustment {made.pk} and so cannot approve it: "
                                    "segregation of duties needs another approver"]
    signed_in(client, "controller", roles.CONTROLLER)
    done = client.post(f"/portal/finance/adjustments/{made.pk}/approve/", follow=True)
    assert messages_of(done) == [f"Adjustment {made.pk} (E-2, 250.00 USD) approved."]
    assert Adjustment.objects.get(pk=made.pk).state == "approved"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.APPROVED, object_id=str(made.pk)).exists()


@pytest.mark.parametrize("username, role", [("ada", None), ("mia", None), ("exec", roles.EXECUTIVE)])
def test_reps_managers_and_executives_get_403_on_every_finance_address(world, lineage, client, username, role):
    user = world.users[username] if role is None else f.user(username, role)
    client.force_login(user)
    for url in ("/portal/finance/", "/portal/finance/reports/", "/portal/finance/months/FY2026-M02/",
                "/portal/finance/months/FY2026-M02/payroll.csv", "/portal/finance/months/FY2026-M02/journal.csv"):
        assert client.get(url).status_code == 403, url
    for step in MONTH_STEPS:
        assert client.post(f"/portal/finance/months/FY2026-M03/{step}/", {"note": "x"}).status_code == 403
    assert client.post("/portal/finance/adjustments/1/approve/").status_code == 403
    assert 'href="/portal/finance/"' not in client.get("/portal/").content.decode()


def test_a_comp_admin_may_look_but_not_act(world, lineage, client, submitted):
    signed_in(client, "compadmin", roles.COMP_ADMIN)
    html = client.get("/portal/finance/").content.decode()
    assert "You may look at the finance workspace" in html and "Approve FY2026-M03" not in html
    assert client.post("/portal/finance/months/FY2026-M03/approve/").status_code == 403
    assert client.get("/login/", follow=True).status_code == 200


def test_the_anonymous_are_sent_to_log_in(client, world):
    assert client.get("/portal/finance/")["Location"].startswith("/login/")


def test_the_accrual_is_the_unpaid_months_earnings(controller, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        html = controller.get("/portal/finance/reports/").content.decode()
    assert figures(html) == {"earned-FY2026-M03-USD": "2,500.00", "accrual-USD": "2,500.00"}
    assert "nothing is deferred" in html

