"""arrow_rows gives exactly what pyarrow's to_pylist gives: the same values, decimals with the same digits and
exponent, nulls, strings, dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.arrow_rows import arrow_rows

SCALES = (0, 4, 12)


def exact(rows):
    """Rows with each Decimal as its (sign, digits, exponent): equal Decimals of other exponents differ here."""
    return [{k: v.as_tuple() if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]


@settings(deadline=None)  # the first call loads pyarrow's compute functions
@given(st.lists(st.tuples(st.none() | st.integers(-10**25, 10**25), st.none() | st.text(max_size=5),
                          st.none() | st.dates()), max_size=30), st.sampled_from(SCALES))
def test_the_rows_are_pyarrows_to_the_last_digit(cells, scale):
    table = pa.table({
        "amount": pa.array([None if units is None else Decimal(units).scaleb(-scale) for units, _, _ in cells],
                           pa.decimal128(38, scale)),
        "name": pa.array([name for _, name, _ in cells], pa.string()),
        "day": pa.array([day for _, _, day in cells], pa.date32()),
    })
    assert exact(arrow_rows(table)) == exact(table.to_pylist())


def test_zero_and_a_negative_keep_their_exponent():
    table = pa.table({"v": pa.array([Decimal(0), Decimal("-1.5"), None, Decimal("7")], pa.decimal128(38, 12))})
    assert [str(row["v"]) for row in arrow_rows(table)] == ["0E-12", "-1.500000000000", "None", "7.000000000000"]
    assert arrow_rows(pa.table({"v": pa.array([], pa.decimal128(10, 2)), "d": pa.array([], pa.date32())})) == []
    assert arrow_rows(pa.table({"d": [date(2026, 1, 2)]})) == [{"d": date(2026, 1, 2)}]
