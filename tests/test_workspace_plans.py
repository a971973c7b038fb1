"""The workspace's plan pages: the list, who may look and who may change, validation as you type with the line and
the fix, a draft made from a published version, saved (YAML view and form) and published with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from attain.apps.audit.models import AuditEntry
from attain.apps.plans.models import PlanVersion
from tests import plans_ws_world
from tests.test_calculate import E2_PLAN

pytestmark = pytest.mark.django_db
V1 = "/workspace/plans/E2/v1/"
V2 = "/workspace/plans/E2/v2/"


@pytest.fixture
def world():
    return plans_ws_world.build()


@pytest.fixture
def admin(client, world):
    client.force_login(world["users"]["carla"])
    return client


def draft(admin, valid_from="2027-01-01"):
    response = admin.post(V1 + "new-draft/", {"valid_from": valid_from, "valid_to": ""})
    assert response.status_code == 302 and response["Location"] == V2
    return PlanVersion.objects.get(plan__code="E2", version=2)


@pytest.mark.parametrize("who, status", [("carla", 200), ("fin", 200), ("rep", 403), ("mgr", 403)])
def test_comp_admins_and_finance_open_the_plans_reps_and_managers_do_not(client, world, who, status):
    client.force_login(world["users"][who])
    for url in ("/workspace/plans/", V1, V1 + "tests/", "/workspace/plans/what-if/"):
        assert client.get(url).status_code == status, url


def test_finance_may_look_but_not_change_a_plan(client, world):
    client.force_login(world["users"]["fin"])
    html = client.get(V1).content.decode()
    assert "New draft from this version" not in html and "You may look at the workspace" in html
    for url in (V1 + "new-draft/", V1 + "validate/", V1 + "save/", V1 + "publish/", V1 + "tests/",
                "/workspace/plans/import/"):
        assert client.post(url, {"valid_from": "2027-01-01", "document": E2_PLAN}).status_code == 403, url
    assert PlanVersion.objects.count() == 1


def test_the_list_shows_each_version_and_the_live_one(admin, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = admin.get("/workspace/plans/").content.decode()
    assert 'href="/workspace/plans/" aria-current="page"' in html
    # v1 is published from 2026-01-01 with no end, so it is live on any day of 2026 or later
    assert 'Live today' in html and '<a href="/workspace/plans/E2/v1/">v1</a> <span class="badge">live</span>' in html
    assert '<span class="status status-published">published</span>' in html
    assert "not recorded" in html  # the factory published it without the service: no audit entry says who
    overview = admin.get("/workspace/").content.decode()
    assert '<a href="/workspace/plans/">Plans</a></h2>' in overview and '<a href="/workspace/plans/what-if/">' in overview


def test_validation_names_the_line_and_the_fix_without_saving(admin):
    version = draft(admin)
    broken = E2_PLAN.replace("  - {name: bookings}", "  - name bookings: [")
    html = admin.post(V2 + "validate/", {"document": broken, "source": "yaml"}).content.decode()
    assert '<span class="line">Line 11</span>' in html  # where the parser gave up: the list never closed
    assert "the document is not valid YAML or JSON" in html and "fix the syntax" in html

    unknown = E2_PLAN.replace("measure: bookings", "measure: booking")
    html = admin.post(V2 + "validate/", {"document": unknown, "source": "yaml"}).content.decode()
    assert ('<span class="line">Line 12</span> <span class="where">component &#x27;Commission&#x27;, measure</span>: '
            "&#x27;booking&#x27; is not a measure of this plan; choose from [&#x27;bookings&#x27;]") in html

    overlap = E2_PLAN.replace("{from: 1, rate: 0.10}", "{from: 0.8, rate: 0.10}")
    html = admin.post(V2 + "validate/", {"document": overlap, "source": "yaml"}).content.decode()
    assert ('<span class="line">Line 20</span> <span class="where">component &#x27;Commission&#x27;, rate_table '
            "(tier or point 2)</span>: tier 2 starts at 0.8 but tier 1 ends at 1: they overlap on [0.8, 1); make "
            "tier 2 start at 1") in html

    html = admin.post(V2 + "validate/", {"document": E2_PLAN, "source": "yaml"}).content.decode()
    assert "The document is a valid plan" in html and 'id="plan-form-fields" hx-swap-oob="true"' in html
    version.refresh_from_db()
    assert version.document == E2_PLAN  # validating saves nothing


def test_a_draft_is_made_from_the_published_version_and_saved_from_the_yaml_view(admin, world):
    version = draft(admin)
    assert (version.status, version.valid_from, version.document) == ("draft", date(2027, 1, 1), E2_PLAN)
    changed = E2_PLAN.replace("rate: 0.10", "rate: 0.15")
    response = admin.post(V2 + "save/", {"source": "yaml", "document": changed, "valid_from": "2027-01-01",
                                         "valid_to": "", "change_note": "accelerator 15%"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.document, version.change_note) == (changed, "accelerator 15%")
    entry = AuditEntry.objects.filter(object_type="plans.PlanVersion", object_id=str(version.pk)).first()
    assert (entry.action, entry.username, entry.reason) == ("changed", "carla", "accelerator 15%")
    assert PlanVersion.objects.get(version=1).document == E2_PLAN  # the published version is untouched


def test_a_broken_document_is_not_saved_and_the_page_says_why(admin):
    version = draft(admin)
    response = admin.post(V2 + "save/", {"source": "yaml", "document": E2_PLAN.replace("scope: year_to_date",
                                                                                         "scope: yearly"),
                                         "valid_from": "2027-01-01"})
    assert response.status_code == 422
    assert ("component &#x27;Commission&#x27;, scope</span>: Input should be &#x27;per_transaction&#x27;, "
            "&#x27;period&#x27;, &#x27;quarter_to_date&#x27; or &#x27;year_to_date&#x27;") in response.content.decode()
    version.refresh_from_db()
    assert version.document == E2_PLAN


def test_the_form_writes_rates_and_caps_into_the_document(admin):
    draft(admin)
    fields = {"source": "form", "document": E2_PLAN, "name": "Year-to-date true-up", "currency": "USD",
              "c0-name": "Commission", "c0-measure": "bookings", "c0-scope": "year_to_date", "c0-quota": "year",
              "c0-method": "marginal", "c0-basis": "attainment", "c0-rate": "",
              "c0-tier-from": ["0", "1", "1.5", ""], "c0-tier-to": ["1", "1.5", "", ""],
              "c0-tier-rate": ["0.05", "0.10", "0.15", ""], "c0-tier-amount": ["", "", "", ""],
              "c0-cap-amount": "50000", "c0-cap-percent": ""}
    assert admin.post(V2 + "save/", fields).status_code == 302
    document = PlanVersion.objects.get(version=2).document
    assert "    - {from: 1, to: 1.5, rate: 0.10}\n    - {from: 1.5, rate: 0.15}\n  cap: {amount: 50000}\n" in document

    fields["c0-tier-from"] = ["0", "1", "0.8", ""]  # a third tier starting inside the second
    html = admin.post(V2 + "validate/", fields).content.decode()
    assert "tier 3 starts at 0.8, below tier 2 (from 1); list tiers from lowest to highest" in html
    assert 'id="document" name="document"' in html and 'hx-swap-oob="true"' in html  # the YAML view follows


def test_a_published_version_is_never_edited_in_place(admin):
    response = admin.post(V1 + "save/", {"source": "yaml", "document": E2_PLAN.replace("0.10", "0.20"),
                                         "valid_from": "2026-01-01"}, follow=True)
    assert "is published: it is never edited in place; make a new draft from it." in response.content.decode()
    assert PlanVersion.objects.get(version=1).document == E2_PLAN


def test_publishing_needs_a_reason_and_ends_the_version_it_follows(admin):
    draft(admin)
    response = admin.post(V2 + "publish/", {"reason": ""})
    assert response.status_code == 422
    assert "Reason: say why this version is published (it goes into the audit log)" in response.content.decode()

    response = admin.post(V2 + "publish/", {"reason": "FY2027 rates"})  # v1 still open-ended: they overlap
    assert response.status_code == 422
    assert ('<p class="error">Plan version overlaps E2 v1 (published) (2026-01-01 – open) for the same plan, status: '
            "end the earlier record the day before 2027-01-01 or change the dates.</p>") in response.content.decode()
    assert PlanVersion.objects.get(version=2).status == "draft"

    response = admin.post(V2 + "publish/", {"reason": "FY2027 rates", "end_predecessor": "1"})
    assert response.status_code == 302
    v1, v2 = PlanVersion.objects.order_by("version")
    assert (v1.valid_to, v2.status) == (date(2026, 12, 31), "published")
    entries = list(AuditEntry.objects.filter(object_type="plans.PlanVersion").order_by("id")
                   .values_list("action", "object_id", "reason"))
    assert entries[-2:] == [("changed", str(v1.pk), "followed by v2: FY2027 rates"),
                            ("published", str(v2.pk), "FY2027 rates")]
    html = admin.get("/workspace/plans/").content.decode()
    assert "carla" in html  # who published v2, from the audit log


def test_the_version_page_in_few_queries(admin, django_assert_max_num_queries):
    draft(admin)
    with django_assert_max_num_queries(8):
        html = admin.get(V2).content.decode()
    assert 'name="c0-tier-rate" value="0.10"' in html and "End v1 (published, valid from 2026-01-01)" in html


def test_a_version_is_not_ended_before_a_month_it_paid(admin):
    from attain.apps.core.models import Period

    Period.objects.filter(name="FY2026-M02").update(state="paid")
    draft(admin, valid_from="2026-02-01")
    response = admin.post(V2 + "publish/", {"reason": "new rates from February", "end_predecessor": "1"})
    assert response.status_code == 422
    assert ('<p class="error">FY2026-M02 is paid on E2 v1: end the version on 2026-02-28 or later, and start its '
            "successor after it</p>") in response.content.decode()
    v1, v2 = PlanVersion.objects.order_by("version")
    assert (v1.valid_to, v2.status) == (None, "draft")  # neither changed


def test_a_new_draft_needs_a_date_it_can_read(admin):
    response = admin.post(V1 + "new-draft/", {"valid_from": "1 January"})
    assert response.status_code == 422
    assert "Valid from: &#x27;1 January&#x27; is not a date; write it as YYYY-MM-DD, e.g. 2027-01-01" in (
        response.content.decode())
    assert PlanVersion.objects.count() == 1


def test_the_form_switches_a_component_to_a_flat_share_of_target_and_keeps_the_rest():
    from django.http import QueryDict

    from attain.apps.workspace.plans_form import apply_form, dump, parse
    from attain.engine.plans import load_plan

    document = E2_PLAN.replace("  - {name: bookings}", '  - {name: bookings, filter: \'deal_type == "new"\'}')
    data = QueryDict(mutable=True)
    data.update({"name": "Flat", "currency": "USD", "c0-name": "Commission", "c0-measure": "bookings",
                 "c0-scope": "period", "c0-quota": "", "c0-payout": "percent_of_target", "c0-method": "flat",
                 "c0-basis": "amount", "c0-rate": "0.000001"})
    text = dump(apply_form(parse(document), data))
    assert text == ("plan: E2\nname: Flat\ncurrency: USD\ntiming: booked\ncredit_rules:\n"
                    "- {name: direct, kind: direct}\nmeasures:\n- {name: bookings, filter: deal_type == \"new\"}\n"
                    "components:\n- name: Commission\n  measure: bookings\n  scope: period\n"
                    "  rate_table: {method: flat, rate: 0.000001}\n  payout: percent_of_target\n")
    plan, problems = load_plan(text)
    assert problems == [] and plan.components[0].payout == "percent_of_target"


def test_a_pasted_document_becomes_a_draft_of_its_plan_or_says_what_is_wrong(admin):
    response = admin.post("/workspace/plans/import/", {"document": E2_PLAN.replace("currency: USD", "currency: usd"),
                                                       "valid_from": "2027-01-01"})
    assert response.status_code == 422
    assert ('<span class="line">Line 4</span> <span class="where">currency</span>: String should match pattern '
            "&#x27;^[A-Z]{3}$&#x27;: write the currency&#x27;s three-letter code in capitals, e.g. USD"
            ) in response.content.decode()
    response = admin.post("/workspace/plans/import/", {"document": E2_PLAN, "valid_from": "2027-01-01"})
    assert (response.status_code, response["Location"]) == (302, V2)
    version = PlanVersion.objects.get(version=2)
    assert (version.status, version.valid_from, version.created_by.username) == ("draft", date(2027, 1, 1), "carla")
