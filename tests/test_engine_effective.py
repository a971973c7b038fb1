from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.effective import Span, as_of, find_overlaps, span_errors

D = date


def test_e10_territory_as_of_the_crediting_date():
    west1 = Span("acct-941", D(2026, 1, 1), D(2026, 6, 30), "West-1")
    west2 = Span("acct-941", D(2026, 7, 1), None, "West-2")
    assert [s.ref for s in as_of([west1, west2], D(2026, 6, 28))] == ["West-1"]
    assert [s.ref for s in as_of([west1, west2], D(2026, 7, 2))] == ["West-2"]
    assert [s.ref for s in as_of([west1, west2], D(2026, 6, 30))] == ["West-1"]  # valid_to is inclusive
    assert find_overlaps([west1, west2]) == []


def test_overlaps_are_found_per_key_including_open_ends():
    a = Span("p1", D(2026, 1, 1), None, "a")
    b = Span("p1", D(2026, 3, 1), D(2026, 3, 31), "b")
    c = Span("p2", D(2026, 3, 1), None, "c")
    assert [(x.ref, y.ref) for x, y in find_overlaps([b, c, a])] == [("a", "b")]


def test_a_span_ending_before_it_starts_is_an_error():
    assert span_errors(Span(1, D(2026, 2, 1), D(2026, 1, 31))) == [
        "valid_to 2026-01-31 is before valid_from 2026-02-01; swap them or correct the dates"
    ]


spans = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30))), max_size=12
)


@given(spans)
def test_find_overlaps_agrees_with_the_pairwise_definition(raw):
    base = D(2026, 1, 1)
    items = [Span(k, base + timedelta(s), None if n is None else base + timedelta(s + n), i)
             for i, (k, s, n) in enumerate(raw)]
    brute = any(a.key == b.key and a.overlaps(b) for i, a in enumerate(items) for b in items[i + 1:])
    assert bool(find_overlaps(items)) == brute
