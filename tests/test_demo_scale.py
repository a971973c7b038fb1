"""`attain demo --scale`: Parquet files with exact row counts and decimal (never float) money."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.demo.scale import ScaleSpec, decimals, write_scale


def _same_files(a, b) -> bool:
    names = sorted(f.name for f in a.glob("*.parquet"))
    return names == sorted(f.name for f in b.glob("*.parquet")) and all(
        pq.read_table(a / name).equals(pq.read_table(b / name)) for name in names)


def test_small_scale_files_have_exact_counts_and_decimal_money(tmp_path):
    written = write_scale(ScaleSpec(n_transactions=12_345, payees=250, seed=7), tmp_path)
    assert written["transactions.parquet"] == 12_345 and written["participants.parquet"] == 250
    for name, rows in written.items():
        assert pq.ParquetFile(tmp_path / name).metadata.num_rows == rows, name
    transactions = pq.read_table(tmp_path / "transactions.parquet")
    schema = transactions.schema
    for column in ("amount", "cost", "quantity"):
        assert schema.field(column).type == pa.decimal128(15, 4)
    assert not any(pa.types.is_floating(f.type) for name in written for f in pq.read_schema(tmp_path / name))
    for column in ("external_id", "account", "product", "owner_position", "currency", "original", "booked_date"):
        assert column in schema.names
    assert len(transactions["external_id"].combine_chunks().unique()) == 12_345
    notes = transactions.filter(pc.equal(transactions["kind"], "credit_note"))
    originals = dict(zip(transactions["external_id"].to_pylist(), transactions["amount"].to_pylist(), strict=True))
    assert notes.num_rows > 0
    for note_id, original, amount in zip(notes["external_id"].to_pylist(), notes["original"].to_pylist(),
                                         notes["amount"].to_pylist(), strict=True):
        assert originals[original] == -amount, note_id


def test_the_same_seed_writes_the_same_files(tmp_path):
    write_scale(ScaleSpec(3_000, 50, seed=1), tmp_path / "a")
    write_scale(ScaleSpec(3_000, 50, seed=1), tmp_path / "b")
    assert _same_files(tmp_path / "a", tmp_path / "b")


def test_decimals_are_built_exactly_from_integer_units():
    import numpy as np

    values = decimals(np.array([1, -1, 12_345_678_901_234, -50_000], dtype=np.int64)).to_pylist()
    assert [str(v) for v in values] == ["0.0001", "-0.0001", "1234567890.1234", "-5.0000"]
