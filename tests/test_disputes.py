"""Disputes end to end on the portal company (tests/portal_world.py): Ada questions her February line, the comp
admin resolves it with a 250.00 adjustment that finance approves, and March pays it; every step is audited,
every address checks who is asking, and the pages' query counts do not grow with the rows."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attain.apps.audit.models import AuditEntry
from attain.apps.calc.models import Earning
from attain.apps.disputes import services
from attain.apps.disputes.models import Dispute, DisputeComment
from attain.apps.org import roles
from attain.apps.payments.adjustments import AdjustmentError, approve_adjustment
from attain.apps.payments.models import Adjustment
from tests import factories as f
from tests import portal_world
from tests.test_portal_pages import figures, text

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
RAISE = "/portal/people/E-1/statements/FY2026-M02/dispute/"


@pytest.fixture
def people(world, lineage):
    return {**world.users, "carla": f.user("carla", roles.COMP_ADMIN), "aud": f.user("aud", roles.AUDITOR)}


@pytest.fixture
def february_line(world):
    return Earning.objects.get(participant__employee_id="E-1", period__name="FY2026-M02")


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def raised(world, line, comment="Deal A-9 closed on 27 February and is missing.", **kwargs) -> Dispute:
    from attain.apps.core.models import Period

    return services.raise_dispute(world.users["ada"], world.ada, Period.objects.get(name="FY2026-M02"), comment,
                                  earning_id=line.pk if line else None, **kwargs)


def test_a_disputed_line_resolved_with_an_adjustment_is_paid_the_next_month(people, february_line, client):
    ada = as_user(client, people["ada"])
    statement = ada.get("/portal/people/E-1/statements/FY2026-M02/").content.decode()
    assert f'href="{RAISE}?line={february_line.pk}">Question this line</a>' in statement
    form = ada.get(f"{RAISE}?line={february_line.pk}").content.decode()
    assert "About <strong>E2 Commission</strong>: 10,000.00 USD in FY2026-M02." in form
    assert 'name="csrfmiddlewaretoken"' in form

    response = ada.post(RAISE, {"line": february_line.pk, "comment": "Deal A-9 closed on 27 February and is missing.",
                                "deal": "A-9", "attachment": SimpleUploadedFile("crm.png", PNG, "image/png")})
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/disputes/{dispute.pk}/"
    assert (dispute.status, dispute.earning_id, dispute.line_label, dispute.line_amount, dispute.period.name,
            dispute.transaction_external_id, dispute.raised_by.username, dispute.attachment_filename()) == (
        "open", february_line.pk, "E2 Commission", "10,000.00 USD", "FY2026-M02", "A-9", "ada", "crm.png")
    page = ada.get(f"/portal/disputes/{dispute.pk}/").content.decode()
    assert 'data-status="open"' in page and "Take into review" not in page  # the rep follows, the comp admin acts
    assert ada.get(f"/portal/disputes/{dispute.pk}/attachment").getvalue() == PNG
    mine = ada.get("/portal/people/E-1/disputes/").content.decode()
    assert "My disputes" in mine and f"Dispute {dispute.pk}" in mine and "E2 Commission, deal A-9" in mine

    carla = as_user(client, people["carla"])
    assert carla.post(f"/portal/disputes/{dispute.pk}/review").status_code == 302
    carla.post(f"/portal/disputes/{dispute.pk}/comment", {"text": "A-9 was booked in March by mistake; checking."})
    response = carla.post(f"/portal/disputes/{dispute.pk}/resolve", {
        "resolution": "A-9 belongs to February: 5% of 5,000.00 paid now.", "amount": "250.00", "month": "FY2026-M03"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    adjustment = dispute.adjustment
    assert (dispute.status, dispute.assigned_to.username, dispute.decided_by.username) == ("resolved", "carla", "carla")
    assert (adjustment.amount, adjustment.first_period.name, adjustment.state, adjustment.created_by.username,
            adjustment.reason) == (Decimal("250.00"), "FY2026-M03", "pending", "carla",
                                   f"Dispute {dispute.pk}: A-9 belongs to February: 5% of 5,000.00 paid now.")

    with pytest.raises(AdjustmentError, match="carla created adjustment .* cannot approve it: segregation"):
        approve_adjustment(adjustment.pk, people["carla"])  # segregation of duties stays
    assert approve_adjustment(adjustment.pk, people["fin"]).applies_from.name == "FY2026-M03"

    [payment] = f.calculate_and_pay("FY2026-M03").payments.filter(participant__employee_id="E-1")
    # March earns 2,500.00 (tests/portal_world.py); the adjustment adds 250.00
    assert (payment.earned, payment.adjustments, payment.paid) == (Decimal("2500"), Decimal("250"), Decimal("2750"))
    ada = as_user(client, people["ada"])
    march = ada.get("/portal/people/E-1/statements/FY2026-M03/").content.decode()
    assert figures(march) == {"paid": "2,750.00", "ytd-earned": "25,000.00", "ytd-adjustments": "250.00",
                              "ytd-paid": "25,250.00"}
    assert f"Adjustment {adjustment.pk} (dispute {dispute.pk}: a-9 belongs to february: 5% of 5,000.00 paid " in march
    page = text(ada.get(f"/portal/disputes/{dispute.pk}/").content.decode())
    assert "Resolved on" in page and "A-9 belongs to February: 5% of 5,000.00 paid now." in page
    assert f"Adjustment {adjustment.pk}: 250.00 USD, approved by fin, paid in FY2026-M03." in page
    assert "A-9 was booked in March by mistake; checking." in page

    log = list(AuditEntry.objects.filter(object_type__in=["disputes.Dispute", "disputes.DisputeComment",
                                                          "payments.Adjustment"]).order_by("id")
               .values_list("object_type", "action", "username", "reason"))
    assert log == [
        ("disputes.Dispute", "created", "ada", "Deal A-9 closed on 27 February and is missing."),
        ("disputes.Dispute", "changed", "carla", "taken into review"),
        ("disputes.DisputeComment", "created", "carla", ""),
        ("payments.Adjustment", "created", "carla", f"Dispute {dispute.pk}: A-9 belongs to February: 5% of 5,000.00 "
                                                    "paid now."),
        ("disputes.Dispute", "changed", "carla", "A-9 belongs to February: 5% of 5,000.00 paid now."),
        ("payments.Adjustment", "approved", "fin", ""),
    ]
    resolved = AuditEntry.objects.filter(object_type="disputes.Dispute").order_by("id").last()
    assert (resolved.before["status"], resolved.after["status"], resolved.after["adjustment_id"]) == (
        "in_review", "resolved", adjustment.pk)


def test_resolving_without_a_change_and_rejecting_say_why(world, people, february_line):
    answered, refused = raised(world, february_line), raised(world, None, transaction_external_id="B-1")
    services.resolve_without_change(answered.pk, people["carla"], "A-9 closed on 3 March: it counts in March.")
    services.reject_dispute(refused.pk, people["carla"], "B-1 is Bo's deal, credited to his seat.")
    answered.refresh_from_db(), refused.refresh_from_db()
    assert (answered.status, answered.adjustment, answered.resolution) == (
        "resolved", None, "A-9 closed on 3 March: it counts in March.")
    assert (refused.status, refused.resolution, refused.transaction_external_id) == (
        "rejected", "B-1 is Bo's deal, credited to his seat.", "B-1")
    assert AuditEntry.objects.filter(object_type="disputes.Dispute", object_id=str(refused.pk),
                                     action="rejected").count() == 1
    with pytest.raises(services.DisputeError, match="is rejected already"):
        services.resolve_without_change(refused.pk, people["carla"], "on second thoughts")
    with pytest.raises(services.DisputeError, match="is resolved: raise a new one"):
        services.comment_on(answered.pk, people["ada"], "thanks")
    with pytest.raises(services.DisputeError, match="Say why the dispute is rejected"):
        services.reject_dispute(raised(world, None).pk, people["carla"], "  ")


def test_only_a_comp_admin_reviews_and_an_adjustment_needs_an_open_month(world, people, february_line, client):
    dispute = raised(world, february_line)
    for who in ("ada", "mia", "fin"):
        with pytest.raises(services.DisputeError, match="may not review disputes: a comp admin does"):
            services.take_into_review(dispute.pk, people[who])
    response = as_user(client, people["ada"]).post(f"/portal/disputes/{dispute.pk}/review")
    assert response.status_code == 400 and "may not review disputes" in response.content.decode()
    with pytest.raises(services.DisputeError, match="no adjustment made: .*FY2026-M01 is paid: adjust an open month"):
        services.resolve_with_adjustment(dispute.pk, people["carla"], Decimal(250), "FY2026-M01", "paid in January")
    dispute.refresh_from_db()
    assert (dispute.status, Adjustment.objects.count()) == ("open", 0)  # nothing happened
    carla = as_user(client, people["carla"])
    page = carla.get(f"/portal/disputes/{dispute.pk}/").content.decode()
    assert re.findall(r'<option value="([^"]+)"', page) == ["FY2026-M03", "FY2026-M04", "FY2026-M05", "FY2026-M06",
                                                             "FY2026-M07", "FY2026-M08"]
    response = carla.post(f"/portal/disputes/{dispute.pk}/resolve", {"resolution": "ok", "amount": "0", "month": ""})
    assert response.status_code == 400 and "An adjustment of 0 changes nothing" in response.content.decode()


def test_a_rep_cannot_see_or_raise_on_someone_elses_pay(world, people, february_line, client):
    dispute = raised(world, february_line)
    bo = as_user(client, people["bo"])
    for address in (f"/portal/disputes/{dispute.pk}/", f"/portal/disputes/{dispute.pk}/attachment",
                    "/portal/people/E-1/disputes/", RAISE, f"{RAISE}?line={february_line.pk}", "/portal/disputes/"):
        assert bo.get(address).status_code == 404, address
    for action in ("comment", "review", "resolve", "reject"):
        assert bo.post(f"/portal/disputes/{dispute.pk}/{action}", {"text": "x", "reason": "x"}).status_code == 404
    # Ada's earning line on Bo's own statement, or a line that is not on the month's statement
    bos_raise = "/portal/people/E-2/statements/FY2026-M02/dispute/"
    assert bo.post(bos_raise, {"line": february_line.pk, "comment": "mine?"}).status_code == 404
    assert bo.get(f"{bos_raise}?line=abc").status_code == 404
    assert bo.get(bos_raise).status_code == 200  # his own statement he may question
    assert Dispute.objects.count() == 1 and DisputeComment.objects.count() == 0


def test_a_manager_raises_for_whoever_is_on_the_team_in_that_month(people, client):
    mia = as_user(client, people["mia"])
    # Bo reported to Mia's position in January 2026 only
    assert mia.post("/portal/people/E-2/statements/FY2026-M01/dispute/", {"comment": "B-0 is missing"}).status_code == 302
    assert mia.post("/portal/people/E-2/statements/FY2026-M02/dispute/", {"comment": "B-3?"}).status_code == 404
    dispute = Dispute.objects.get()
    assert (dispute.participant.employee_id, dispute.raised_by.username, dispute.line_label) == ("E-2", "mia", "")
    assert mia.get(f"/portal/disputes/{dispute.pk}/").status_code == 200  # she raised it
    assert mia.get("/portal/people/E-2/disputes/").status_code == 404  # Bo is not on her team today
    assert f"Dispute {dispute.pk}" in mia.get("/portal/disputes/").content.decode()  # her queue: what she may read


def test_attachments_are_limited_in_size_and_kind_with_a_clear_error(people, client):
    ada = as_user(client, people["ada"])
    cases = [(SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream"),
              "run.exe is a .exe file, which cannot be attached: attach a PDF, an image (PNG, JPEG, GIF, WebP), a "
              "text or CSV file, or an Excel workbook (.xlsx)."),
             (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf"),
              "big.pdf is 5.0 MB: attach a file of 5 MB or less (a screenshot, or the pages that matter)."),
             (SimpleUploadedFile("fake.png", b"<script>", "image/png"),
              "fake.png is not a real PNG file (its content says otherwise)")]
    for upload, message in cases:
        response = ada.post(RAISE, {"comment": "see the file", "attachment": upload})
        assert response.status_code == 200 and message in text(response.content.decode()), message
    response = ada.post(RAISE, {"comment": "  "})
    assert "Say what looks wrong: the comp team reads it." in response.content.decode()
    assert Dispute.objects.count() == 0


def test_finance_and_auditors_read_the_queue_but_do_not_act(world, people, february_line, client):
    dispute = raised(world, february_line)
    for who in ("fin", "aud"):
        reader = as_user(client, people[who])
        assert f"Dispute {dispute.pk}" in reader.get("/portal/disputes/").content.decode()
        page = reader.get(f"/portal/disputes/{dispute.pk}/").content.decode()
        assert "Take into review" not in page and "Send</button>" not in page
        response = reader.post(f"/portal/disputes/{dispute.pk}/comment", {"text": "hello"})
        assert response.status_code == 400 and "but not write in it" in response.content.decode()
    assert as_user(client, people["ada"]).get("/portal/disputes/").status_code == 404  # reps: "Disputes" is theirs


def test_the_queue_puts_open_disputes_first_and_filters_by_status(world, people, february_line, client):
    first, second, third = (raised(world, february_line, comment=f"question {n}") for n in (1, 2, 3))
    services.reject_dispute(first.pk, people["carla"], "no")
    services.take_into_review(third.pk, people["carla"])
    carla = as_user(client, people["carla"])
    html = carla.get("/portal/disputes/").content.decode()
    assert re.findall(r">Dispute (\d+)</a>", html) == [str(second.pk), str(third.pk), str(first.pk)]
    assert "Open (1)" in html and "In review (1)" in html and "Rejected (1)" in html and "All (3)" in html
    html = carla.get("/portal/disputes/?status=in_review").content.decode()
    assert re.findall(r">Dispute (\d+)</a>", html) == [str(third.pk)]


def test_the_queue_and_the_dispute_page_take_few_queries_however_many_rows(world, people, february_line, client,
                                                                             django_assert_max_num_queries):
    carla = as_user(client, people["carla"])
    disputes = [raised(world, february_line, comment=f"question {n}", transaction_external_id=f"A-{n}") for n in range(8)]
    for dispute in disputes[:4]:
        services.comment_on(dispute.pk, people["ada"], "any news?")
        services.comment_on(dispute.pk, people["carla"], "looking")
    # session, user, permissions (user, groups), the counts, the page count and the page
    with django_assert_max_num_queries(8):
        html = carla.get("/portal/disputes/").content.decode()
    assert len(re.findall(r">Dispute \d+</a>", html)) == 8
    # session, user, permissions, the dispute, its comments, the deal, the months for an adjustment
    with django_assert_max_num_queries(9):
        html = carla.get(f"/portal/disputes/{disputes[0].pk}/").content.decode()
    assert html.count('class="by"') == 3
    ada = as_user(client, people["ada"])
    with django_assert_max_num_queries(10):
        html = ada.get("/portal/people/E-1/disputes/").content.decode()
    assert len(re.findall(r">Dispute \d+</a>", html)) == 8
