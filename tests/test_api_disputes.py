"""Disputes and lineage through the API, on the portal company (tests/portal_world.py): Ada questions her February
line, the comp admin takes it into review and resolves it with a 250.00 adjustment; the same row-level security as
the portal (someone else's dispute is 404), the same services (the audit log, the states, the refusals)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attain.apps.audit.models import AuditEntry
from attain.apps.calc.models import Earning
from attain.apps.core.models import Period
from attain.apps.disputes import services
from attain.apps.disputes.models import Dispute
from attain.apps.org import roles
from attain.apps.payments.models import Adjustment
from tests import factories as f
from tests import portal_world
from tests.api_world import bearer

pytestmark = pytest.mark.django_db
world, lineage = portal_world.world, portal_world.lineage
JSON = "application/json"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def carla(world):
    return f.user("carla", roles.COMP_ADMIN)


@pytest.fixture
def february_line(world):
    return Earning.objects.get(participant__employee_id="E-1", period__name="FY2026-M02")


def raise_as_ada(client, line, **extra):
    body = {"employee_id": "E-1", "period": "FY2026-M02", "comment": "Deal A-9 closed on 27 February: missing.",
            "earning": line.pk, "deal": "A-9", **extra}
    return client.post("/api/disputes", body, content_type=JSON, headers=bearer("ada", str(extra)))


def test_a_rep_raises_a_dispute_and_a_comp_admin_resolves_it_with_an_adjustment(world, lineage, client, carla,
                                                                                  february_line):
    made = raise_as_ada(client, february_line)
    assert made.status_code == 201, made.json()
    raised = made.json()
    # the statement line as it read: E2 Commission, February's 22,500 − 12,500 = 10,000.00 USD
    assert (raised["employee_id"], raised["period"], raised["status"]) == ("E-1", "FY2026-M02", "open")
    assert (raised["line_label"], raised["line_amount"], raised["deal"]) == ("E2 Commission", "10,000.00 USD", "A-9")
    assert raised["earning"] == february_line.pk and raised["raised_by"] == "ada" and raised["comments"] == []
    pk = raised["id"]
    ada, compadmin = bearer("ada", "reads"), bearer("carla")
    said = client.post(f"/api/disputes/{pk}/comments", {"text": "The order form is in the CRM."}, content_type=JSON,
                       headers=ada)
    assert said.status_code == 201 and said.json()["author"] == "ada"
    # a rep may not review (403: the role lacks the permission), however visible the dispute
    assert client.post(f"/api/disputes/{pk}/review", headers=ada).status_code == 403
    reviewed = client.post(f"/api/disputes/{pk}/review", headers=compadmin).json()
    assert (reviewed["status"], reviewed["assigned_to"]) == ("in_review", "carla")
    again = client.post(f"/api/disputes/{pk}/review", headers=compadmin)
    assert again.status_code == 400 and again.json()["detail"] == f"Dispute {pk} is in review already"
    # the next month not paid after February is March: the adjustment goes there (pending)
    wrong = client.post(f"/api/disputes/{pk}/resolve", {"resolution": "Added.", "amount": "250", "month": "FY2026-M01"},
                        content_type=JSON, headers=compadmin)
    assert wrong.status_code == 400 and "FY2026-M03" in wrong.json()["detail"]
    done = client.post(f"/api/disputes/{pk}/resolve", {"resolution": "A-9 was missed: added.", "amount": "250",
                                                       "month": "FY2026-M03"}, content_type=JSON, headers=compadmin)
    assert done.status_code == 200, done.json()
    resolved = done.json()
    assert (resolved["status"], resolved["decided_by"], resolved["resolution"]) == ("resolved", "carla",
                                                                                   "A-9 was missed: added.")
    made_adjustment = Adjustment.objects.get(pk=resolved["adjustment"])
    assert (str(made_adjustment.amount), made_adjustment.state, made_adjustment.first_period.name) == (
        "250.0000", "pending", "FY2026-M03")
    assert made_adjustment.reason == f"Dispute {pk}: A-9 was missed: added."
    assert [c["text"] for c in client.get(f"/api/disputes/{pk}", headers=ada).json()["comments"]] == [
        "The order form is in the CRM."]
    closed = client.post(f"/api/disputes/{pk}/comments", {"text": "Thanks"}, content_type=JSON, headers=ada)
    assert closed.status_code == 400 and "is resolved" in closed.json()["detail"]
    actions = list(AuditEntry.objects.filter(object_type="disputes.Dispute", object_id=str(pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["created", "changed", "changed"]  # raised, taken into review, resolved


def test_resolving_without_a_change_and_rejecting(world, lineage, client, carla, february_line):
    first, second = (raise_as_ada(client, february_line, deal=deal).json()["id"] for deal in ("A-1", "A-2"))
    compadmin = bearer("carla")
    answered = client.post(f"/api/disputes/{first}/resolve", {"resolution": "A-1 is on January's statement."},
                           content_type=JSON, headers=compadmin).json()
    assert (answered["status"], answered["adjustment"]) == ("resolved", None)
    zero = client.post(f"/api/disputes/{second}/resolve", {"resolution": "x", "amount": "0", "month": "FY2026-M03"},
                       content_type=JSON, headers=compadmin)
    assert zero.status_code == 400 and zero.json()["detail"].startswith("An adjustment of 0 changes nothing")
    rejected = client.post(f"/api/disputes/{second}/reject", {"reason": "Booked in March: see March."},
                           content_type=JSON, headers=compadmin).json()
    assert (rejected["status"], rejected["resolution"]) == ("rejected", "Booked in March: see March.")
    listed = client.get("/api/disputes?status=rejected", headers=compadmin).json()
    assert [d["id"] for d in listed["items"]] == [second] and listed["count"] == 1


def test_other_peoples_disputes_are_not_found(world, lineage, client, carla, february_line):
    pk = raise_as_ada(client, february_line).json()["id"]
    bo, mia, fin = bearer("bo"), bearer("mia"), bearer("fin")
    assert client.get(f"/api/disputes/{pk}", headers=bo).status_code == 404
    assert client.get("/api/disputes", headers=bo).json() == {"items": [], "count": 0}
    assert client.post(f"/api/disputes/{pk}/comments", {"text": "me too"}, content_type=JSON,
                       headers=bo).status_code == 404
    # Mia manages AE-1 (Ada) today; finance reads every dispute but may not comment or review
    assert [d["id"] for d in client.get("/api/disputes?employee_id=E-1&period=FY2026-M02",
                                        headers=mia).json()["items"]] == [pk]
    assert client.get(f"/api/disputes/{pk}", headers=fin).json()["line_label"] == "E2 Commission"
    assert client.post(f"/api/disputes/{pk}/reject", {"reason": "no"}, content_type=JSON, headers=fin).status_code == 403
    # Bo may not raise one on Ada's statement (404: not someone he may see), nor on his own unpaid March (400)
    assert raise_as_ada(client, february_line, comment="hers").status_code == 201
    body = {"employee_id": "E-1", "period": "FY2026-M02", "comment": "not mine"}
    assert client.post("/api/disputes", body, content_type=JSON, headers=bo).status_code == 404
    march = {"employee_id": "E-2", "period": "FY2026-M03", "comment": "where is March?"}
    refused = client.post("/api/disputes", march, content_type=JSON, headers=bearer("bo", "2"))
    assert refused.status_code == 400 and refused.json()["detail"] == (
        "FY2026-M03 is calculated: question a paid month's statement")


def test_an_attachment_is_named_and_downloaded_by_those_who_may_read_the_dispute(world, lineage, client,
                                                                                   february_line):
    dispute = services.raise_dispute(world.users["ada"], world.ada, Period.objects.get(name="FY2026-M02"),
                                     "See the screenshot.", attachment=SimpleUploadedFile("crm.png", PNG))
    shown = client.get(f"/api/disputes/{dispute.pk}", headers=bearer("ada")).json()
    assert shown["attachment"] == "crm.png"
    got = client.get(f"/api/disputes/{dispute.pk}/attachment", headers=bearer("ada", "2"))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    assert 'filename="crm.png"' in got["Content-Disposition"]
    assert client.get(f"/api/disputes/{dispute.pk}/attachment", headers=bearer("bo")).status_code == 404
    plain = raise_as_ada(client, february_line).json()["id"]
    assert client.get(f"/api/disputes/{plain}/attachment", headers=bearer("ada", "3")).status_code == 404


def test_the_dispute_list_makes_a_fixed_number_of_queries(world, lineage, client, february_line,
                                                          django_assert_max_num_queries):
    for deal in ("A-1", "A-2", "A-3"):
        raise_as_ada(client, february_line, deal=deal)
    headers = bearer("mia")
    with django_assert_max_num_queries(10):
        assert client.get("/api/disputes", headers=headers).json()["count"] == 3
    assert Dispute.objects.count() == 3


def test_the_lineage_of_a_line_is_its_credits_and_deals(world, lineage, client, django_assert_max_num_queries):
    march = Earning.objects.get(participant__employee_id="E-1", period__name="FY2026-M03")
    ada = bearer("ada")
    with django_assert_max_num_queries(7):  # the token, the line, who may see it, the deals
        found = client.get(f"/api/results/{march.pk}/lineage", headers=ada)
    assert found.status_code == 200, found.json()
    shown = found.json()
    # March's line counts one credit: A-3, 50,000 booked on 10 March by AE-1 (Ada's own deal)
    assert (shown["measure"], shown["for_period"], shown["count"], shown["kept"]) == ("bookings", "FY2026-M03", 1, True)
    (credit,) = shown["items"]
    assert (credit["external_id"], credit["credit_date"], credit["value"].rstrip("0")) == ("A-3", "2026-03-10",
                                                                                          "50000.")
    assert credit["deal"]["amount"] == "50000.0000" and credit["deal"]["booked_date"] == "2026-03-10"
    assert client.get(f"/api/results/{march.pk}/lineage", headers=bearer("bo")).status_code == 404
    assert client.get(f"/api/results/{march.pk}/lineage", headers=bearer("mia")).json()["count"] == 1


def test_the_lineage_is_paginated(world, lineage, client):
    # Bo's flat plan counted B-1 in January and B-2 in February: a page of one, then nothing past the end
    february = Earning.objects.get(participant__employee_id="E-2", period__name="FY2026-M02")
    fin = bearer("fin")
    page = client.get(f"/api/results/{february.pk}/lineage?limit=1", headers=fin).json()
    assert page["count"] == 1 and [c["external_id"] for c in page["items"]] == ["B-2"]
    past = client.get(f"/api/results/{february.pk}/lineage?limit=1&offset=1", headers=fin).json()
    assert past["count"] == 1 and past["items"] == []
    assert client.get(f"/api/results/{february.pk}/lineage?limit=501", headers=fin).status_code == 422
