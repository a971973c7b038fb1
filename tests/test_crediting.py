"""Crediting (DOMAIN.md E3, E10): transactions → credits, on DuckDB through Ibis."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.crediting import CreditingError, CreditingInputs, CreditRule, credit_transactions

D = date
MARCH_10 = D(2026, 3, 10)
DIRECT = CreditRule("direct", "direct")
OVERLAY = CreditRule("overlay", "overlay")
ROLLUP = CreditRule("managers", "rollup", source=("direct",), depth=2)


def deal(id, amount, owner="A", account="ACC-1", family="Data", booked=MARCH_10, **more):
    return {"id": id, "external_id": f"T-{id}", "kind": "booking", "booked_date": booked, "account": account,
            "product_family": family, "quantity": Decimal(1), "amount": Decimal(amount), "currency": "USD",
            "deal_type": "new", "owner_position": owner, **more}


def e3_world(**more):
    return dict(
        transactions=[deal(1, "120000")],
        splits=[{"transaction_id": 1, "position": "A", "share": Decimal("0.7")},
                {"transaction_id": 1, "position": "B", "share": Decimal("0.3")}],
        reporting_lines=[{"position": p, "manager": m, "valid_from": D(2026, 1, 1)} for p, m in
                         (("A", "M"), ("B", "M"), ("M", "D"), ("S", "D"))],
        account_territories=[{"account": "ACC-1", "territory": "WEST-1", "valid_from": D(2026, 1, 1)}],
        territory_ancestors=[{"territory": "WEST-1", "ancestor": a} for a in ("WEST-1", "WEST")],
        territory_positions=[{"territory": "WEST", "position": "S", "role": "overlay", "valid_from": D(2026, 1, 1)}],
        positions=[{"position": "S", "kind": "overlay", "product_family": "Data"}],
        **more,
    )


def totals(credits) -> dict[tuple[str, str], Decimal]:
    result = defaultdict(Decimal)
    for row in credits.to_pyarrow().to_pylist():
        result[(row["rule"], row["position"])] += row["value"]
    return dict(result)


def test_e3_split_overlay_and_two_levels_of_rollup():
    credits = credit_transactions(CreditingInputs.from_rows(**e3_world()), [DIRECT, OVERLAY, ROLLUP])
    assert totals(credits) == {
        ("direct", "A"): Decimal("84000"), ("direct", "B"): Decimal("36000"), ("overlay", "S"): Decimal("120000"),
        ("managers", "M"): Decimal("120000"), ("managers", "D"): Decimal("120000"),
    }
    assert sum(totals(credits).values()) == Decimal("480000")  # 4× the deal: correct, not a bug


def test_overlay_only_for_its_product_family():
    world = e3_world()
    world["transactions"] = [deal(1, "120000", family="Platform")]
    credits = credit_transactions(CreditingInputs.from_rows(**world), [DIRECT, OVERLAY])
    assert ("overlay", "S") not in totals(credits)


def test_e10_territory_credit_as_of_the_crediting_date():
    world = dict(
        transactions=[deal(1, "1000", booked=D(2026, 6, 28), invoiced_date=D(2026, 7, 2)),
                      deal(2, "2000", booked=D(2026, 7, 2))],
        account_territories=[{"account": "ACC-1", "territory": "WEST-1", "valid_from": D(2026, 1, 1),
                              "valid_to": D(2026, 6, 30)},
                             {"account": "ACC-1", "territory": "WEST-2", "valid_from": D(2026, 7, 1)}],
        territory_positions=[{"territory": "WEST-1", "position": "AE-W1", "role": "primary", "valid_from": D(2026, 1, 1)},
                             {"territory": "WEST-2", "position": "AE-W2", "role": "primary", "valid_from": D(2026, 1, 1)}],
    )
    rule = [CreditRule("territory", "territory")]
    booked = totals(credit_transactions(CreditingInputs.from_rows(**world), rule))
    assert booked == {("territory", "AE-W1"): Decimal("1000"), ("territory", "AE-W2"): Decimal("2000")}
    invoiced = totals(credit_transactions(CreditingInputs.from_rows(**world), rule, timing="invoiced"))
    assert invoiced == {("territory", "AE-W2"): Decimal("1000")}  # deal 2 is not invoiced yet: no credit


def test_a_credit_note_negates_the_original_credit_even_after_a_territory_move():
    world = e3_world()
    world["transactions"] = [deal(1, "120000"), deal(2, "-120000", owner=None, booked=D(2026, 8, 1), original_id=1,
                                                     kind="credit_note")]
    credits = credit_transactions(CreditingInputs.from_rows(**world), [DIRECT, OVERLAY, ROLLUP])
    assert set(totals(credits).values()) == {Decimal(0)}
    rows = [r for r in credits.to_pyarrow().to_pylist() if r["external_id"] == "T-2"]
    assert {(r["credit_date"], r["attribution_date"], r["is_reversal"]) for r in rows} == {
        (D(2026, 8, 1), D(2026, 3, 10), True)}


def test_credit_types():
    world = dict(transactions=[deal(1, "1000", cost=Decimal("250"), quantity=Decimal(4)),
                               deal(2, "-1000", original_id=1, cost=Decimal("-250"), quantity=Decimal(4))])
    rules = [CreditRule(t, "direct", credit_type=t) for t in ("revenue", "margin", "units", "count")]
    rows = credit_transactions(CreditingInputs.from_rows(**world), rules).to_pyarrow().to_pylist()
    got = {(r["rule"], r["external_id"]): r["value"] for r in rows}
    assert got == {("revenue", "T-1"): 1000, ("revenue", "T-2"): -1000, ("margin", "T-1"): 750,
                   ("margin", "T-2"): -750, ("units", "T-1"): 4, ("units", "T-2"): -4, ("count", "T-1"): 1,
                   ("count", "T-2"): -1}


def test_split_shares_must_add_up_to_100_percent():
    world = e3_world()
    world["splits"][1]["share"] = Decimal("0.2")
    with pytest.raises(CreditingError, match="the split shares of transaction T-1 add up to 90%, not 100%"):
        credit_transactions(CreditingInputs.from_rows(**world), [DIRECT])


def test_a_loop_in_the_hierarchy_is_refused():
    world = e3_world()
    world["reporting_lines"].append({"position": "D", "manager": "A", "valid_from": D(2026, 2, 1)})
    with pytest.raises(CreditingError, match=r"the reporting lines valid on 2026-02-01 form a loop \(A → M → D → A\)"):
        credit_transactions(CreditingInputs.from_rows(**world), [DIRECT, ROLLUP])


def test_rules_are_checked():
    with pytest.raises(ValueError, match="unknown kind 'squad'"):
        CreditRule("x", "squad")
    with pytest.raises(CreditingError, match="rolls up direct, which no earlier rule defines"):
        credit_transactions(CreditingInputs.from_rows(**e3_world()), [ROLLUP, DIRECT])


deals = st.lists(st.tuples(st.integers(-10**9, 10**9), st.lists(st.integers(1, 50), min_size=1, max_size=3),
                           st.booleans()), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None)
@given(deals, st.randoms(use_true_random=False))
def test_splits_conserve_credit_reversals_cancel_and_row_order_does_not_matter(raw, random):
    world = {**e3_world(), "transactions": [], "splits": []}
    for i, (cents, parts, reversed_) in enumerate(raw, start=1):
        world["transactions"].append(deal(i, Decimal(cents) / 100))
        others = [(Decimal(part) / sum(parts)).quantize(Decimal("1e-8")) for part in parts[1:]]
        for position, share in zip("ABS", [Decimal(1) - sum(others), *others], strict=False):
            world["splits"].append({"transaction_id": i, "position": position, "share": share})
        if reversed_:
            world["transactions"].append(deal(100 + i, -Decimal(cents) / 100, original_id=i, owner=None))
    credits = totals(credit_transactions(CreditingInputs.from_rows(**world), [DIRECT, ROLLUP]))
    kept = sum(Decimal(c) / 100 for c, _, r in raw if not r)
    assert sum(v for (rule, _), v in credits.items() if rule == "direct") == kept
    assert credits.get(("managers", "D"), Decimal(0)) == kept
    random.shuffle(world["transactions"])
    random.shuffle(world["splits"])
    assert totals(credit_transactions(CreditingInputs.from_rows(**world), [DIRECT, ROLLUP])) == credits


def test_a_credit_note_takes_its_originals_deal_type():
    world = dict(transactions=[deal(1, "500", deal_type="new"), deal(2, "-500", original_id=1, deal_type="renewal")])
    rows = credit_transactions(CreditingInputs.from_rows(**world), [DIRECT]).to_pyarrow().to_pylist()
    assert sorted((r["external_id"], r["deal_type"]) for r in rows) == [("T-1", "new"), ("T-2", "new")]


def test_a_position_credited_twice_by_one_rule_is_refused():
    world = e3_world()
    world["splits"] = [{"transaction_id": 1, "position": "A", "share": Decimal("0.5")},
                       {"transaction_id": 1, "position": "A", "share": Decimal("0.5")}]
    with pytest.raises(CreditingError, match="the splits of transaction T-1 name A twice, so one rule would credit "
                                             "it twice"):
        credit_transactions(CreditingInputs.from_rows(**world), [DIRECT])
