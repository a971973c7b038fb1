"""Manual adjustments: a reason, an attachment, someone else's approval, paid in the month (or every month)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from typer.testing import CliRunner

from attain.apps.core.models import Period
from attain.apps.org import roles
from attain.apps.payments.adjustments import (
    AdjustmentError,
    approve_adjustment,
    create_adjustment,
    reject_adjustment,
)
from attain.apps.payments.models import Adjustment
from attain.apps.payments.statements import statement
from attain.cli.main import app
from tests import factories as f
from tests.test_payments_service import rep  # noqa: F401  (the fixture: E4's 1,500 / 3,000 / 9,000 / 2,000)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {"maker": f.user("compadmin", roles.COMP_ADMIN), "finance": f.user("finance", roles.FINANCE),
            "rep": f.user("rep", roles.REP)}


def test_a_one_off_adjustment_is_paid_once_approved_by_someone_else(rep, people):  # noqa: F811
    made = create_adjustment("E-1", Decimal(250), "FY2026-M01", "SPIFF: Q1 launch", people["maker"],
                             attachment=ContentFile(b"%PDF-1.4 approval memo", name="memo.pdf"))
    assert (made.state, made.currency_id, made.attachment.read()) == ("pending", "USD", b"%PDF-1.4 approval memo")
    with pytest.raises(AdjustmentError, match="compadmin created adjustment .* cannot approve it: segregation"):
        approve_adjustment(made.pk, people["maker"])
    with pytest.raises(AdjustmentError, match="rep may not approve adjustments"):
        approve_adjustment(made.pk, people["rep"])
    assert approve_adjustment(made.pk, people["finance"]).applies_from.name == "FY2026-M01"
    [payment] = f.calculate_and_pay("FY2026-M01").payments.all()
    # earned 1,500 + 250
    assert (payment.earned, payment.adjustments, payment.paid) == (Decimal(1500), Decimal(250), Decimal(1750))
    assert payment.explanation == f"earned 1,500.00; adjustment {made.pk} (SPIFF: Q1 launch) 250.00; pay 1,750.00"
    shown = statement("E-1", "FY2026-M01")
    assert [(line.label, line.amount) for line in shown.manual] == [
        (f"Adjustment {made.pk} (spiff: q1 launch)".capitalize(), Decimal("250.00"))]
    [payment] = f.calculate_and_pay("FY2026-M02").payments.all()
    assert payment.paid == Decimal(3000)  # paid once


def test_a_recurring_adjustment_pays_every_month_of_its_span(rep, people):  # noqa: F811
    made = create_adjustment("E-1", Decimal("-100.50"), "FY2026-M02", "Phone allowance recovered", people["maker"],
                             until="FY2026-M03")
    approve_adjustment(made.pk, people["finance"])
    paid = [f.calculate_and_pay(f"FY2026-M0{m}").payments.get().paid for m in (1, 2, 3, 4)]
    # 1,500; 3,000 − 100.50; 9,000 − 100.50; 2,000
    assert paid == [Decimal(1500), Decimal("2899.50"), Decimal("8899.50"), Decimal(2000)]


def test_an_adjustment_approved_after_its_month_was_paid_starts_in_the_first_open_month(rep, people):  # noqa: F811
    made = create_adjustment("E-1", Decimal(300), "FY2026-M01", "Missed SPIFF", people["maker"])
    f.calculate_and_pay("FY2026-M01")
    approve_adjustment(made.pk, people["finance"])
    made.refresh_from_db()
    assert made.applies_from.name == "FY2026-M02"
    assert f.calculate_and_pay("FY2026-M02").payments.get().paid == Decimal(3300)


def test_bad_adjustments_are_refused_with_reasons(rep, people):  # noqa: F811
    with pytest.raises(AdjustmentError, match="Give the reason"):
        create_adjustment("E-1", Decimal(10), "FY2026-M01", "  ", people["maker"])
    with pytest.raises(AdjustmentError, match="An adjustment of 0 changes nothing"):
        create_adjustment("E-1", Decimal(0), "FY2026-M01", "x", people["maker"])
    with pytest.raises(AdjustmentError, match="there is no participant 'E-9'"):
        create_adjustment("E-9", Decimal(10), "FY2026-M01", "x", people["maker"])
    Period.objects.filter(name="FY2026-M01").update(state="closed")
    with pytest.raises(AdjustmentError, match="FY2026-M01 is closed: adjust an open month"):
        create_adjustment("E-1", Decimal(10), "FY2026-M01", "x", people["maker"])
    made = create_adjustment("E-1", Decimal(10), "FY2026-M02", "x", people["maker"])
    with pytest.raises(AdjustmentError, match="say why"):
        reject_adjustment(made.pk, people["finance"], "")
    assert reject_adjustment(made.pk, people["finance"], "duplicate of 12").state == "rejected"
    assert not Adjustment.objects.filter(state="approved").exists()


def test_the_command_line_adds_approves_and_lists(rep, people, tmp_path):  # noqa: F811
    memo = tmp_path / "memo.txt"
    memo.write_text("approved by the VP")
    runner = CliRunner()
    added = runner.invoke(app, ["adjust", "add", "E-1", "125.25", "--period", "FY2026-M01", "--reason",
                                "Split correction", "--user", "compadmin", "--attach", str(memo)])
    assert added.exit_code == 0, added.output
    made = Adjustment.objects.get()
    assert made.attachment.read() == b"approved by the VP"
    refused = runner.invoke(app, ["adjust", "approve", str(made.pk), "--user", "compadmin"])
    assert refused.exit_code == 1 and "cannot approve it: segregation" in refused.output
    approved = runner.invoke(app, ["adjust", "approve", str(made.pk), "--user", "finance"])
    assert approved.exit_code == 0 and "paid from FY2026-M01" in approved.output
    listed = runner.invoke(app, ["adjust", "list", "--state", "approved"], env={"COLUMNS": "200"})
    assert "Split correction" in listed.output and "125.2500 USD" in listed.output
