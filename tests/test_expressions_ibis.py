"""Expressions compiled to Ibis give exactly what `evaluate` gives, on DuckDB, with exact decimals."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.engine.expressions import FieldType, parse, parse_condition

D = Decimal
N, T, DT, B = FieldType.NUMBER, FieldType.TEXT, FieldType.DATE, FieldType.BOOL
FIELDS = {"a": N, "b": N, "c": N, "count": N, "deal_type": T, "product.family": T, "booked": DT, "closed": DT,
          "is_renewal": B}
SCHEMA = pa.schema([("a", pa.decimal128(18, 4)), ("b", pa.decimal128(18, 4)), ("c", pa.decimal128(12, 2)),
                    ("count", pa.int64()), ("deal_type", pa.string()), ("product.family", pa.string()),
                    ("booked", pa.date32()), ("closed", pa.date32()), ("is_renewal", pa.bool_())])
ROWS = [
    {"a": D("1.25"), "b": D("2.125"), "c": D("0.05"), "count": 3, "deal_type": "new", "product.family": "Data",
     "booked": datetime.date(2026, 1, 15), "closed": datetime.date(2026, 1, 31), "is_renewal": True},
    {"a": D("-3.5"), "b": D("0"), "c": D("-0.01"), "count": 0, "deal_type": None, "product.family": "Platform",
     "booked": None, "closed": datetime.date(2026, 3, 1), "is_renewal": None},
    {"a": None, "b": D("3"), "c": None, "count": None, "deal_type": "renewal", "product.family": None,
     "booked": datetime.date(2025, 12, 31), "closed": datetime.date(2026, 1, 1), "is_renewal": False},
    {"a": D("10"), "b": D("3"), "c": D("2.5"), "count": -7, "deal_type": "new", "product.family": "Services",
     "booked": datetime.date(2024, 2, 29), "closed": datetime.date(2025, 2, 28), "is_renewal": False},
    {"a": D("-10"), "b": D("6"), "c": D("0.15"), "count": 12, "deal_type": "upsell", "product.family": "Data",
     "booked": datetime.date(2026, 7, 1), "closed": datetime.date(2026, 6, 30), "is_renewal": True},
    {"a": D("99999999.9999"), "b": D("-0.0001"), "c": D("-9999999999.99"), "count": 5, "deal_type": "new",
     "product.family": "Data", "booked": datetime.date(2026, 7, 1), "closed": datetime.date(2026, 7, 1),
     "is_renewal": True},
]
CON = ibis.duckdb.connect()
TABLE = ibis.memtable(pa.Table.from_pylist(ROWS, schema=SCHEMA))


def run(expression, table=TABLE):
    """The expression's value for every row of the table, computed by DuckDB."""
    result = table.select(x=expression.to_ibis(lambda name: table[name])).to_pyarrow()
    return result.column("x").to_pylist(), result.schema.field("x").type


EXPRESSIONS = [
    "a * b", "a * b * c * a", "a + b - c", "-a", "a / b", "b / a", "a / 3", "-a / 6", "1 / 3", "c / a * 3",
    "a * 0.0001 + 1", "count * a", "count / 2", "min(a, b, c)", "max(a, 2.12345)", "abs(c)", "round(a * c, 2)",
    "round(a / 7, 3)", "round(c)", "if(a > b, a, c)", "if(is_renewal, a, 0)", "coalesce(a, c, 0)",
    "coalesce(a / b, 0)", "year(booked)", "month(closed)", "days_between(booked, closed)",
    "a > b", "a <= c", "a == a", "a != 1.25", "not a > b", "a in (1.25, -10, 0)", "a not in (1.25, 10)",
    "c in (0.05)", 'deal_type == "new"', 'deal_type != "new"', 'deal_type in ("new", "upsell")',
    'deal_type not in ("new")', 'product.family == "Data" and a > 0', "is_renewal or a > 0", "not is_renewal",
    "is_renewal", "coalesce(is_renewal, true)", 'booked < date("2026-07-01")', "closed >= booked",
    'min(booked, closed)', 'coalesce(deal_type, "none")', 'if(deal_type == "new", deal_type, "other")',
    "max(a, b) - min(a, b) > 2 or count in (0, 3)", "a * b * c / (c + 1)", "round(2.5)", "round(-2.5)",
    "round(-0.125, 2)", "round(c * 10 + 0.5)", "min(a / b, c) / max(b, 1)", "\"O'Brien\" != 'say \"hi\"'",
]


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_to_ibis_equals_evaluate(text):
    expression = parse(text, FIELDS)
    values, _ = run(expression)
    assert values == [expression.evaluate(row) for row in ROWS]


def test_conditions_are_never_null_in_ibis():
    condition = parse_condition("is_renewal", FIELDS)
    assert run(condition)[0] == [True, False, False, False, True, True]


def test_decimal_results_keep_every_digit():
    values, kind = run(parse("a * b", FIELDS))
    assert kind == pa.decimal128(38, 8)
    assert values[0] == D("2.65625")  # Ibis alone would declare DECIMAL(18, 4) and cut this to 2.6562
    values, kind = run(parse("a * b * c * a", FIELDS))
    assert kind == pa.decimal128(38, 14)
    assert values[0] == D("0.166015625")


def test_division_is_exact_to_ten_places_not_binary_floating_point():
    values, kind = run(parse("a / b", FIELDS))
    assert kind == pa.decimal128(38, 10)
    assert values[0] == D("0.5882352941")
    assert values[1] is None  # division by zero is unknown
    assert values[5] == D("-999999999999")  # 99999999.9999 / -0.0001, beyond float64's exact range
    values, _ = run(parse("(a + 0.0001) / 7", FIELDS))
    assert values[5] == D("14285714.2857142857")  # 18 significant digits: more than a float64 holds
    values, _ = run(parse("-2 / 3 + b / 3", FIELDS))
    assert values[0] == D("0.0416666666")


def test_number_columns_must_be_exact():
    table = ibis.memtable({"a": [1.5]})
    with pytest.raises(TypeError, match="column 'a' is float64; number fields must be decimal"):
        parse("a + 1", {"a": N}).to_ibis(lambda name: table[name])


def test_literals_are_typed_by_their_digits():
    assert parse("0.05", {}).to_ibis(lambda name: None).type() == dt.Decimal(2, 2)
    assert parse("1234.5", {}).to_ibis(lambda name: None).type() == dt.Decimal(5, 1)
    expression = parse("0.05 * 1000", {}).to_ibis(lambda name: None)
    assert expression.type() == dt.Decimal(38, 2)
    assert expression.execute() == D("50")


# -- property: random arithmetic and comparisons on random decimals -------------------------------------
AMOUNTS = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
NUMBER_ROWS = st.fixed_dictionaries({"a": AMOUNTS, "b": AMOUNTS, "c": st.one_of(st.none(), AMOUNTS)})
LEAVES = st.sampled_from(["a", "b", "c", "0", "1", "2.5", "0.0001", "100"])


def _combine(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})")
    functions = st.one_of(
        children.map(lambda x: f"-{x}"), children.map(lambda x: f"abs({x})"),
        st.tuples(children, st.integers(0, 4)).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"max({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    )
    return st.one_of(binary, functions)


NUMBERS = st.recursive(LEAVES, _combine, max_leaves=6)
COMPARISONS = st.tuples(NUMBERS, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), NUMBERS).map(" ".join)
CONDITIONS = st.one_of(
    COMPARISONS,
    st.tuples(COMPARISONS, st.sampled_from(["and", "or"]), COMPARISONS).map(" ".join),
    COMPARISONS.map(lambda x: f"not ({x})"),
    st.tuples(COMPARISONS, NUMBERS, NUMBERS).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
)
NUMBER_FIELDS = {"a": N, "b": N, "c": N}
NUMBER_SCHEMA = pa.schema([("a", pa.decimal128(18, 4)), ("b", pa.decimal128(18, 4)), ("c", pa.decimal128(18, 4))])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(NUMBERS, CONDITIONS, st.tuples(NUMBERS, NUMBERS).map(" / ".join)), st.lists(NUMBER_ROWS, min_size=1, max_size=5))
def test_property_to_ibis_equals_evaluate(text, rows):
    expression = parse(text, NUMBER_FIELDS)
    expected = [expression.evaluate(row) for row in rows]
    if not all(not isinstance(v, Decimal) or abs(v) < D(10) ** 18 for v in expected):
        return
    table = ibis.memtable(pa.Table.from_pylist(rows, schema=NUMBER_SCHEMA))
    try:
        values, _ = run(expression, table)
    except Exception as error:  # an intermediate result beyond 38 digits overflows in DuckDB
        assert "out of range" in str(error) or "Overflow" in str(error) or "overflow" in str(error), text
        return
    assert values == expected, text


WIDE = st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WIDE, WIDE), min_size=1, max_size=20))
def test_property_division_is_exact_and_rounded_half_up(pairs):
    rows = [{"a": a, "b": b, "c": None} for a, b in pairs]
    table = ibis.memtable(pa.Table.from_pylist(rows, schema=NUMBER_SCHEMA))
    expression = parse("a / b", NUMBER_FIELDS)
    values, _ = run(expression, table)
    for (a, b), row, value in zip(pairs, rows, values, strict=True):
        assert value == expression.evaluate(row) == _half_up_quotient(a, b)


def _half_up_quotient(a, b):
    """The quotient rounded half-up to 10 places, computed independently with 100 digits."""
    if b == 0:
        return None
    with localcontext() as context:
        context.prec = 100
        return (a / b).quantize(D("0.0000000001"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(("text", "expected"), [
    ("0.0001 / 2000000", D("0.0000000001")),  # 0.00000000005: a tie rounds away from zero
    ("-0.0001 / 2000000", D("-0.0000000001")),
    ("0.0003 / 2000000", D("0.0000000002")),
    ("0.0001 / -2000001", D("0")),
    ("100 / 8", D("12.5")),
])
def test_division_ties_round_half_up_in_both(text, expected):
    expression = parse(text, {})
    assert expression.evaluate({}) == expected
    assert run(expression)[0] == [expected] * len(ROWS)


def test_nested_divisions_and_extremes_keep_the_sql_small():
    """SQL has no variables; without binding, each nested division would multiply the SQL by ~45."""
    table = ibis.table({"a": "decimal(18, 4)", "b": "decimal(18, 4)"}, name="t")
    for text in ["((((a / b) / b) / b) / b) / b", "min(min(min(min(min(min(a, b), b), b), b), b), b)"]:
        expression = parse(text, NUMBER_FIELDS).to_ibis(lambda name: table[name])
        assert len(ibis.to_sql(table.select(x=expression), dialect="duckdb")) < 100_000
    nested = parse("((a / b) / (b + 1)) / 2", NUMBER_FIELDS)
    rows = [{"a": D("100"), "b": D("3"), "c": None}, {"a": D("1"), "b": D("0"), "c": None}]
    values, _ = run(nested, ibis.memtable(pa.Table.from_pylist(rows, schema=NUMBER_SCHEMA)))
    assert values == [nested.evaluate(row) for row in rows] == [D("4.1666666667"), None]
