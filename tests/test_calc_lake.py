"""Transactions read from the data lake (Parquet, a folder partitioned by period) earn what the database's earn."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.apps.calc.inputs import TRANSACTION_FIELDS
from attain.apps.calc.lake import Sources
from attain.apps.calc.services import CalculationError, calculate_period
from attain.apps.sales.models import Transaction
from attain.engine.crediting.inputs import SCHEMAS
from attain.engine.lake import RESULTS
from tests import test_calc_service
from tests.test_calc_service import earnings

pytestmark = pytest.mark.django_db
world = test_calc_service.world  # the fixture: E2 from the database, a euro line, a credit note
SOURCE_TYPES = {**SCHEMAS["transactions"], "amount": "decimal(15,4)", "cost": "decimal(15,4)"}


def lake_rows() -> list[dict]:
    """The database's transactions in the lake's columns: amounts in their own currency, ids kept."""
    return [dict(zip(SCHEMAS["transactions"], row, strict=True))
            for row in Transaction.objects.order_by("pk").values_list(*TRANSACTION_FIELDS)]


def lake_schema(columns=None) -> pa.Schema:
    import ibis

    schema = ibis.schema(SOURCE_TYPES).to_pyarrow()
    return pa.schema([field for field in schema if columns is None or field.name in columns])


def write_file(path, rows, columns=None) -> str:
    schema = lake_schema(columns)
    pq.write_table(pa.Table.from_pylist([{k: r[k] for k in schema.names} for r in rows], schema=schema), path)
    return str(path)


def write_by_period(folder, rows) -> str:
    """One folder per booking month, as a lake partitioned by period keeps them."""
    for month in sorted({r["booked_date"].month for r in rows}):
        part = folder / f"period=FY2026-M{month:02d}"
        part.mkdir(parents=True)
        write_file(part / "part-0.parquet", [r for r in rows if r["booked_date"].month == month])
    return str(folder)


def test_the_lake_file_earns_exactly_what_the_database_earns_and_converts_euros_exactly(world, tmp_path):
    source = Sources(write_file(tmp_path / "transactions.parquet", lake_rows()))
    for month, expected in (("FY2026-M02", Decimal("22499.9999990000")), ("FY2026-M03", Decimal("-7499.9999995"))):
        from_db, from_lake = calculate_period(month), calculate_period(month, sources=source)
        assert earnings(from_lake) == earnings(from_db) == [("Commission", expected, expected.quantize(Decimal("0.01")))]
        assert from_lake.inputs_fingerprint != from_db.inputs_fingerprint  # the lake's rows are hashed by the engine
    again = calculate_period("FY2026-M03", sources=source)
    assert again.inputs_fingerprint == from_lake.inputs_fingerprint  # the same lake data, the same fingerprint


def test_a_folder_partitioned_by_period_reads_as_one_source(world, tmp_path):
    folder = write_by_period(tmp_path / "lake", lake_rows())
    run = calculate_period("FY2026-M03", sources=Sources(folder))
    assert earnings(run) == [("Commission", Decimal("-7499.9999995"), Decimal("-7500.00"))]


def test_a_source_without_a_required_column_or_a_rate_is_refused_and_says_which(world, tmp_path):
    thin = write_file(tmp_path / "thin.parquet", lake_rows(), columns={"id", "external_id", "booked_date"})
    with pytest.raises(CalculationError, match="the transactions source lacks the columns amount, currency"):
        calculate_period("FY2026-M02", sources=Sources(thin))
    rows = lake_rows()
    rows[0]["currency"] = "GBP"
    no_rate = write_file(tmp_path / "gbp.parquet", rows)
    with pytest.raises(CalculationError, match=r"no exchange rate into USD for T-1 \(GBP on 2026-01-20\)"):
        calculate_period("FY2026-M02", sources=Sources(no_rate))
    with pytest.raises(CalculationError, match="the transactions source .*nowhere.parquet does not exist"):
        calculate_period("FY2026-M02", sources=Sources(str(tmp_path / "nowhere.parquet")))


def test_results_go_to_parquet_with_precise_amounts_as_text(world, tmp_path):
    from typer.testing import CliRunner

    from attain.cli.main import app

    source = write_file(tmp_path / "transactions.parquet", lake_rows())
    done = CliRunner().invoke(app, ["calc", "FY2026-M02", "--transactions", source, "--results", f"{tmp_path}/out/"],
                              terminal_width=120)
    assert done.exit_code == 0, done.output
    [written] = (tmp_path / "out").glob("earnings-run-*.parquet")
    assert f"Earning lines written to {written}" in done.output.replace("\n", "")  # (a path has no spaces)
    table = pq.read_table(written)
    assert table.schema == RESULTS
    [line] = table.to_pylist()
    assert (line["participant"], line["plan"], line["component"], line["period"], line["amount"],
            Decimal(line["precise_amount"])) == ("E-1", "E2", "Commission", "FY2026-M02", Decimal("22500.0000"),
                                                 Decimal("22499.999999"))
    refused = CliRunner().invoke(app, ["calc", "FY2026-M02", "--results", "results_table"], terminal_width=200)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "the embedded DuckDB has no catalog that outlives this command" in said
    remote = CliRunner().invoke(app, ["calc", "FY2026-M02", "--results", "s3a://lake/earnings/"], terminal_width=200)
    assert remote.exit_code == 1 and "storage URIs are written by Spark" in " ".join(remote.output.split())


@pytest.mark.spark
def test_the_lake_on_spark_earns_what_the_database_earns_on_duckdb(world, tmp_path, spark):
    from attain.engine.backends import using

    folder = write_by_period(tmp_path / "lake", lake_rows())
    from_db = calculate_period("FY2026-M03")
    with using(spark):
        on_spark = calculate_period("FY2026-M03", sources=Sources(folder))
    assert on_spark.engine == "spark (local[2])"
    assert earnings(on_spark) == earnings(from_db) == [("Commission", Decimal("-7499.9999995"), Decimal("-7500.00"))]


@pytest.mark.spark
def test_results_go_to_a_spark_table_or_a_storage_uri_one_run_after_another(world, spark, tmp_path):
    from attain.apps.calc.lake import write_results
    from attain.engine.backends import using

    with using(spark):
        first, second = calculate_period("FY2026-M02"), calculate_period("FY2026-M03")
        assert write_results(first, "attain_earnings") == "table attain_earnings"
        write_results(second, "attain_earnings")  # appended: each line names its run
        rows = spark.table("attain_earnings").order_by("run").to_pyarrow().to_pylist()
        uri = f"file://{tmp_path}/earnings"  # as s3a://… or hdfs://…: written by Spark, appended to
        assert write_results(first, uri) == write_results(second, uri) == uri
    expected = [(first.pk, "FY2026-M02", Decimal("22500.0000")), (second.pk, "FY2026-M03", Decimal("-7500.0000"))]
    assert [(r["run"], r["period"], r["amount"]) for r in rows] == expected
    written = sorted(pq.read_table(tmp_path / "earnings").to_pylist(), key=lambda r: r["run"])
    assert [(r["run"], r["period"], r["amount"]) for r in written] == expected


def test_a_run_started_from_the_web_app_reads_the_lake_the_settings_name(world, tmp_path, settings):
    from attain.apps.calc.jobs import start_calculation

    settings.ATTAIN_LAKE_TRANSACTIONS = write_file(tmp_path / "transactions.parquet", lake_rows())
    Transaction.objects.filter(original__isnull=False).delete()  # the database has none: what is earned comes
    Transaction.objects.all().delete()  # from the lake
    run = start_calculation("FY2026-M02")  # the inline runner, as in every test; the process runner is the same code
    run.refresh_from_db()
    assert earnings(run) == [("Commission", Decimal("22499.9999990000"), Decimal("22500.00"))]
    settings.ATTAIN_LAKE_TRANSACTIONS = ""
    assert earnings(start_calculation("FY2026-M02")) == []


def test_a_credit_note_whose_original_was_booked_last_year_finds_it_in_the_lake(world, tmp_path):
    from datetime import date

    from attain.apps.catalog.models import Account

    december = Transaction.objects.create(external_id="T-0", booked_date=date(2025, 12, 20), amount=Decimal(40000),
                                          currency_id="USD", account=Account.objects.get(),
                                          owner_position=Transaction.objects.get(external_id="T-1").owner_position)
    Transaction.objects.create(external_id="T-5", kind="credit_note", booked_date=date(2026, 2, 3),
                               amount=Decimal(-40000), currency_id="USD", account=december.account,
                               original=december)  # attributed like its original, credited in February
    source = Sources(write_file(tmp_path / "transactions.parquet", lake_rows()))
    from_db, from_lake = calculate_period("FY2026-M02"), calculate_period("FY2026-M02", sources=source)
    # YTD 250,000 + 300,000 + 99,999.99999 − 40,000 (T-5; T-0 is last year's) = 609,999.99999: 5% of 600,000 +
    # 10% of 9,999.99999 = 30,999.999999, less January's 12,500 = 18,499.999999
    assert earnings(from_lake) == earnings(from_db) == [("Commission", Decimal("18499.999999"), Decimal("18500.00"))]


def test_a_table_the_engine_does_not_have_is_named_in_the_refusal(world):
    with pytest.raises(CalculationError, match="there is no table 'sales.transactions' in the duckdb catalog"):
        calculate_period("FY2026-M02", sources=Sources("sales.transactions"))


@pytest.mark.spark
def test_the_transactions_of_a_spark_catalog_table_earn_what_the_database_earns(world, spark):
    from attain.engine.backends import using

    schema = lake_schema()
    spark.create_table("lake_transactions", pa.Table.from_pylist(lake_rows(), schema=schema), overwrite=True)
    from_db = calculate_period("FY2026-M03")
    with using(spark):
        from_table = calculate_period("FY2026-M03", sources=Sources("lake_transactions"))
    assert earnings(from_table) == earnings(from_db) == [("Commission", Decimal("-7499.9999995"), Decimal("-7500.00"))]
