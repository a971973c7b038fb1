import pytest
from typer.testing import CliRunner

from attain.cli.main import app
from attain.site.env import env_bool, env_list

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["demo"], ["import"], ["serve"], ["check"], ["migrate"], ["territories", "assign"]])
def test_every_command_explains_itself(command):
    result = runner.invoke(app, [*command, "--help"], prog_name="attain", terminal_width=120)
    assert result.exit_code == 0, result.output
    assert "Usage: attain" in result.output


def test_demo_help_names_its_options():
    output = runner.invoke(app, ["demo", "--help"], terminal_width=200).output
    for option in ("--no-serve", "--scale", "--payees", "--seed"):
        assert option in output


def test_yes_no_settings(monkeypatch):
    monkeypatch.setenv("ATTAIN_DEBUG", "Yes")
    assert env_bool("ATTAIN_DEBUG", False) is True
    monkeypatch.setenv("ATTAIN_DEBUG", "maybe")
    with pytest.raises(ValueError, match="ATTAIN_DEBUG='maybe' is not a yes/no value; use 1 or 0"):
        env_bool("ATTAIN_DEBUG", False)
    monkeypatch.setenv("ATTAIN_ALLOWED_HOSTS", "attain.example.com, 10.0.0.5,")
    assert env_list("ATTAIN_ALLOWED_HOSTS", []) == ["attain.example.com", "10.0.0.5"]


@pytest.mark.django_db
def test_deploy_check_warns_about_unsafe_defaults(monkeypatch):
    from django.core.checks import run_checks
    from django.db import connection

    monkeypatch.delenv("ATTAIN_SECRET_KEY", raising=False)
    ids = {w.id for w in run_checks(include_deployment_checks=True)}
    assert {"attain.W001", "attain.W004"} <= ids
    # the tests' PostgreSQL role owns every table, the audit log's too: TRUNCATE would bypass its triggers
    assert ("attain.W005" in ids) == (connection.vendor == "postgresql")


def test_production_safe_defaults():
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY and settings.X_FRAME_OPTIONS == "DENY"


def test_a_bad_date_is_explained():
    result = runner.invoke(app, ["territories", "assign", "--as-of", "1 July"], prog_name="attain")
    assert result.exit_code == 2
    assert "'1 July' is not a date; write it as YYYY-MM-DD" in result.output


def test_the_engine_check_names_what_spark_lacks(settings, monkeypatch):
    from django.core.checks import run_checks

    def found():
        return [(e.id, e.msg) for e in run_checks() if e.id.startswith("attain.E")]

    assert found() == []  # duckdb, the default
    settings.ATTAIN_ENGINE = "polars"
    assert found() == [("attain.E001", "ATTAIN_ENGINE is 'polars'.")]
    settings.ATTAIN_ENGINE = "spark"
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert found() == [("attain.E002", "ATTAIN_ENGINE is spark but Java 17 or newer (JAVA_HOME, or java on the PATH) "
                                       "cannot be found: calculations would fail.")]
