"""Properties of rate tables that hold for every valid table (hypothesis)."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from attain.engine.rates import RateTable

D = Decimal
amounts = st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=1, places=4)


@st.composite
def tier_dicts(draw, rate=rates):
    bounds = sorted(draw(st.sets(st.integers(min_value=1, max_value=10**6), max_size=5)))
    starts = [0, *bounds]
    ends = [*bounds, None]
    return [{"from": s, "to": e, "rate": draw(rate)} for s, e in zip(starts, ends, strict=True)]


def load(method, tiers):
    return RateTable.load({"method": method, "basis": "amount", "tiers": tiers})


@given(tier_dicts(), st.decimals(min_value=0, max_value=10**7, places=2), st.decimals(min_value=0, max_value=10**5, places=2))
def test_marginal_is_non_decreasing_with_non_negative_rates(tiers, base, step):
    table = load("marginal", tiers)
    assert table.apply(base + step).amount >= table.apply(base).amount


@given(tier_dicts(), st.data())
def test_marginal_is_continuous_at_every_boundary(tiers, data):
    table = load("marginal", tiers)
    top_rate = max(t["rate"] for t in tiers)
    for tier in tiers[1:]:
        edge = D(tier["from"])
        eps = data.draw(st.decimals(min_value=D("0.0001"), max_value=1, places=4))
        jump = table.apply(edge).amount - table.apply(edge - eps).amount
        assert 0 <= jump <= top_rate * eps  # no step at the edge: the difference shrinks with eps


@given(tier_dicts(), st.decimals(min_value=0, max_value=10**7, places=2))
def test_whole_amount_is_the_reached_tier_rate_times_the_base(tiers, base):
    reached = [t for t in tiers if D(t["from"]) <= base and (t["to"] is None or base < D(t["to"]))]
    assert len(reached) == 1
    assert load("whole_amount", tiers).apply(base).amount == reached[0]["rate"] * base


@given(tier_dicts(rate=st.decimals(min_value=-1, max_value=1, places=4)), amounts)
def test_a_base_plus_its_negation_earns_zero_under_marginal(tiers, base):
    table = load("marginal", tiers)
    assert table.apply(base).amount + table.apply(-base).amount == 0


@given(tier_dicts(), amounts, amounts)
def test_a_transaction_plus_its_reversal_changes_no_earnings(tiers, period, deal):
    table = load("marginal", tiers)
    # per-transaction evaluation: the reversal cancels the original's commission exactly
    assert table.apply(period).amount + table.apply(deal).amount + table.apply(-deal).amount == table.apply(period).amount


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=10**4), st.decimals(min_value=-10**6, max_value=10**6, places=2)),
                min_size=1, max_size=6, unique_by=lambda p: p[0]),
       st.sampled_from(["flat", "extrapolate"]), st.integers(min_value=1, max_value=10**6))
def test_interpolated_passes_through_its_points(points, beyond, quota):
    points = [(0, D(0)), *sorted(points)]
    table = RateTable.load({"method": "interpolated", "basis": "attainment", "beyond": beyond,
                            "points": [{"at": D(x) / 100, "payout": y} for x, y in points]})
    for x, y in points:
        assert table.apply(D(x) / 100 * quota, quota).amount == y


@given(tier_dicts(), st.randoms(use_true_random=False))
def test_unsorted_tiers_are_flagged_never_silently_reordered(tiers, random):
    shuffled = list(tiers)
    random.shuffle(shuffled)
    assume(shuffled != tiers)
    table, errors = RateTable.from_dict({"method": "marginal", "basis": "amount", "tiers": shuffled})
    assert table is None
    assert [e.code for e in errors] == ["unsorted"]  # reported alone: it is the root cause
