from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from typer.testing import CliRunner

from attain.apps.plans.models import PlanVersion
from attain.apps.plans.services import PlanFileError, export_plan_version, import_plan_version
from attain.cli.main import app
from tests import factories as f

pytestmark = pytest.mark.django_db
AE_PLAN = (Path(__file__).parents[1] / "examples" / "plans" / "ae.yaml").read_text()


def test_import_creates_the_next_version_and_export_returns_it_unchanged():
    f.usd()
    first = import_plan_version(AE_PLAN, valid_from=date(2026, 1, 1), publish=True)
    second = import_plan_version(AE_PLAN.replace("rate: 0.09", "rate: 0.10"), valid_from=date(2027, 1, 1))
    assert [(v.version, v.status) for v in PlanVersion.objects.order_by("version")] == [(1, "published"), (2, "draft")]
    assert export_plan_version("AE-2026").document == AE_PLAN == first.document
    assert export_plan_version("AE-2026", 2).document == second.document


def test_a_bad_plan_is_refused_with_every_problem_and_nothing_stored():
    f.usd()
    with pytest.raises(PlanFileError, match="Plan AE-2026: component 'New business commission', measure: "):
        import_plan_version(AE_PLAN.replace("measure: new_bookings", "measure: new_booking"),
                            valid_from=date(2026, 1, 1))
    assert PlanVersion.objects.count() == 0
    with pytest.raises(PlanFileError, match="there is no plan 'XX'"):
        export_plan_version("XX")


def test_overlapping_published_versions_are_refused():
    f.usd()
    import_plan_version(AE_PLAN, valid_from=date(2026, 1, 1), publish=True)
    with pytest.raises(ValidationError, match="overlaps AE-2026 v1 \\(published\\)"):
        import_plan_version(AE_PLAN, valid_from=date(2026, 6, 1), publish=True)


def test_cli_round_trip(tmp_path):
    f.usd()
    path = tmp_path / "ae.yaml"
    path.write_text(AE_PLAN)
    runner = CliRunner()
    stored = runner.invoke(app, ["plan", "import", str(path), "--from", "2026-01-01", "--publish"])
    assert stored.exit_code == 0, stored.output
    assert "Stored AE-2026 version 1 (published), valid 2026-01-01 – open." in stored.output
    exported = runner.invoke(app, ["plan", "export", "AE-2026"])
    assert exported.output == AE_PLAN
