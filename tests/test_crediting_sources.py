"""Crediting beyond a transaction's owner: activities, pipeline, sourced deals, pools, teams and ACV."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.crediting import CreditingInputs, CreditRule, credit_transactions
from attain.engine.crediting.activities import uncredited_activities

D = date
JAN_1 = D(2026, 1, 1)
MARCH_10 = D(2026, 3, 10)


def deal(id, amount, owner="AE-1", booked=MARCH_10, **more):
    return {"id": id, "external_id": f"T-{id}", "kind": "booking", "booked_date": booked, "account": "ACC-1",
            "product_family": "Data", "quantity": Decimal(1), "amount": Decimal(amount), "currency": "USD",
            "deal_type": "new", "owner_position": owner, **more}


def credits_of(world: dict, *rules: CreditRule) -> dict[tuple[str, str, str], Decimal]:
    """(rule, external_id, position) → value."""
    rows = credit_transactions(CreditingInputs.from_rows(**world), list(rules)).to_pyarrow().to_pylist()
    result: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        result[(row["rule"], row["external_id"], row["position"])] += row["value"]
    return dict(result)


# --- activities --------------------------------------------------------------------------------------------

MEETINGS = CreditRule("meetings", "activity", credit_type="count")


def activity(id, participant, day, kind="meeting", qualified=True):
    return {"id": id, "external_id": f"A-{id}", "participant": participant, "kind": kind, "occurred_on": day,
            "qualified": qualified, "account": "ACC-1", "opportunity": None}


def activity_world():
    # Sid holds SDR-1 until 15 March, then SDR-2; Zoe holds nothing
    return dict(
        holders=[{"participant": "Sid", "position": "SDR-1", "valid_from": JAN_1, "valid_to": D(2026, 3, 15)},
                 {"participant": "Sid", "position": "SDR-2", "valid_from": D(2026, 3, 16)}],
        activities=[activity(1, "Sid", D(2026, 2, 3)), activity(2, "Sid", D(2026, 3, 20), kind="call", qualified=False),
                    activity(3, "Zoe", D(2026, 2, 4))],
    )


def test_an_activity_counts_one_for_the_position_held_that_day():
    assert credits_of(activity_world(), MEETINGS) == {
        ("meetings", "A-1", "SDR-1"): Decimal(1),  # 3 February: Sid holds SDR-1
        ("meetings", "A-2", "SDR-2"): Decimal(1),  # 20 March: Sid moved to SDR-2 on 16 March
    }  # Zoe holds no position on 4 February: not credited


def test_activity_credits_carry_kind_and_qualified_and_no_deal_fields():
    rows = credit_transactions(CreditingInputs.from_rows(**activity_world()), [MEETINGS]).to_pyarrow().to_pylist()
    got = {(r["external_id"], r["activity_kind"], r["qualified"], r["source"], r["deal_type"], r["credit_date"])
           for r in rows}
    assert got == {("A-1", "meeting", True, "activity", None, D(2026, 2, 3)),
                   ("A-2", "call", False, "activity", None, D(2026, 3, 20))}


def test_an_activity_without_a_position_is_reported():
    inputs = CreditingInputs.from_rows(**activity_world())
    assert uncredited_activities(inputs, [MEETINGS], JAN_1, D(2026, 12, 31)) == [
        "1 activity of Zoe (A-3 on 2026-02-04) not credited: Zoe held no position on that day; record the position "
        "they held (position holders) or correct the activity's participant"]
    assert uncredited_activities(inputs, [MEETINGS], D(2026, 3, 1), D(2026, 3, 31)) == []  # not in the months run
    assert uncredited_activities(inputs, [CreditRule("direct", "direct")], JAN_1, D(2026, 12, 31)) == []


# --- pipeline ----------------------------------------------------------------------------------------------

def opportunity(id, amount, created, sourced_by="SDR-1", owner="AE-1"):
    return {"id": id, "external_id": f"O-{id}", "account": "ACC-1", "product_family": "Data", "deal_type": "new",
            "amount": Decimal(amount), "owner_position": owner, "sourced_by_position": sourced_by,
            "created_date": created}


def pipeline_world():
    return dict(
        opportunities=[opportunity(1, "50000", D(2026, 1, 5)), opportunity(2, "40000", D(2026, 1, 10)),
                       opportunity(3, "30000", D(2026, 1, 12)), opportunity(4, "20000", D(2026, 1, 20), sourced_by=None)],
        stage_events=[
            {"opportunity_id": 1, "stage": "qualified", "entered_on": D(2026, 2, 2), "amount": Decimal("60000")},
            {"opportunity_id": 1, "stage": "proposal", "entered_on": D(2026, 2, 20), "amount": Decimal("65000")},
            {"opportunity_id": 1, "stage": "qualified", "entered_on": D(2026, 3, 1), "amount": Decimal("70000")},
            {"opportunity_id": 2, "stage": "qualified", "entered_on": D(2026, 2, 20), "amount": None},
            {"opportunity_id": 4, "stage": "qualified", "entered_on": D(2026, 2, 25), "amount": None},
        ],
    )


def test_pipeline_credits_the_first_entry_into_the_stage_with_the_stage_amount():
    rule = CreditRule("sourced_pipeline", "pipeline", stage="qualified")
    rows = credit_transactions(CreditingInputs.from_rows(**pipeline_world()), [rule]).to_pyarrow().to_pylist()
    assert {(r["external_id"], r["position"], r["credit_date"], r["value"]) for r in rows} == {
        ("O-1", "SDR-1", D(2026, 2, 2), Decimal("60000")),  # first entered on 2 Feb (60,000), not on 1 March again
        ("O-2", "SDR-1", D(2026, 2, 20), Decimal("40000")),  # the event has no amount: the opportunity's 40,000
    }  # O-3 never qualified; O-4 has no sourcing position


def test_pipeline_without_a_stage_credits_the_created_date_and_can_credit_the_owner_or_count():
    world = pipeline_world()
    created = CreditRule("created", "pipeline")
    owner = CreditRule("owned", "pipeline", to="owner", credit_type="count", stage="qualified")
    assert credits_of(world, created, owner) == {
        ("created", "O-1", "SDR-1"): Decimal("50000"), ("created", "O-2", "SDR-1"): Decimal("40000"),
        ("created", "O-3", "SDR-1"): Decimal("30000"),
        ("owned", "O-1", "AE-1"): Decimal(1), ("owned", "O-2", "AE-1"): Decimal(1), ("owned", "O-4", "AE-1"): Decimal(1),
    }


# --- sourced -----------------------------------------------------------------------------------------------

SOURCED = CreditRule("sourced", "sourced")


def test_sourced_credits_the_position_that_sourced_the_deal_and_its_credit_note_takes_it_back():
    world = dict(transactions=[
        deal(1, "120000", opportunity="O-1", sourced_by_position="SDR-1"),
        deal(2, "80000"),  # not sourced: no credit
        deal(3, "-120000", owner=None, booked=D(2026, 5, 2), original_id=1, kind="credit_note"),  # no link itself
    ])
    rows = credit_transactions(CreditingInputs.from_rows(**world), [SOURCED]).to_pyarrow().to_pylist()
    assert {(r["external_id"], r["position"], r["value"], r["opportunity"], r["credit_date"]) for r in rows} == {
        ("T-1", "SDR-1", Decimal("120000"), "O-1", D(2026, 3, 10)),
        ("T-3", "SDR-1", Decimal("-120000"), "O-1", D(2026, 5, 2)),  # attributed like its original
    }


amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False)
contracts = st.one_of(st.none(), st.tuples(st.dates(D(2025, 1, 1), D(2027, 1, 1)), st.integers(0, 2000)))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(amounts, contracts, st.sampled_from(["SDR-1", "SDR-2", None])), min_size=1, max_size=5))
def test_a_sourced_transaction_and_its_reversal_net_to_zero(raw):
    transactions = []
    for i, (amount, contract, sourcer) in enumerate(raw, start=1):
        start, end = (contract[0], contract[0].fromordinal(contract[0].toordinal() + contract[1])) if contract \
            else (None, None)
        transactions.append(deal(i, amount, sourced_by_position=sourcer, contract_start=start, contract_end=end))
        transactions.append(deal(100 + i, -amount, owner=None, original_id=i, booked=D(2026, 9, 1)))
    rules = [SOURCED, CreditRule("sourced_acv", "sourced", credit_type="acv")]
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (rule, _, position), value in credits_of({"transactions": transactions}, *rules).items():
        totals[(rule, position)] += value
    assert set(totals.values()) <= {Decimal(0)}


# --- ACV ---------------------------------------------------------------------------------------------------

def test_acv_is_the_amount_per_contract_year():
    world = dict(transactions=[
        deal(1, "360000", contract_start=D(2026, 1, 1), contract_end=D(2028, 12, 31)),  # 36 months
        deal(2, "100000", contract_start=D(2026, 1, 15), contract_end=D(2027, 7, 14)),  # 18 months
        deal(3, "50000", contract_start=D(2026, 1, 1), contract_end=D(2026, 12, 31)),  # 12 months: the amount
        deal(4, "40000", contract_start=D(2026, 1, 1), contract_end=D(2027, 1, 20)),  # 12 whole months (+20 days)
        deal(5, "30000"),  # no contract dates: the amount
        deal(6, "-100000", owner=None, original_id=2, kind="credit_note"),  # its original's contract
    ])
    assert credits_of(world, CreditRule("acv", "direct", credit_type="acv")) == {
        ("acv", "T-1", "AE-1"): Decimal("120000"),  # 360,000 × 12 / 36
        ("acv", "T-2", "AE-1"): Decimal("66666.6666666667"),  # 100,000 × 12 / 18 = 66,666.666…, half-up at 10 places
        ("acv", "T-3", "AE-1"): Decimal("50000"),
        ("acv", "T-4", "AE-1"): Decimal("40000"),
        ("acv", "T-5", "AE-1"): Decimal("30000"),
        ("acv", "T-6", "AE-1"): Decimal("-66666.6666666667"),  # the mirror: T-2 and T-6 net to 0
    }


# --- pools and teams ---------------------------------------------------------------------------------------

def pool_world(amount="100", seats=("AE-C", "AE-A", "AE-B")):
    return dict(
        transactions=[deal(1, amount, owner="AE-A")],
        account_territories=[{"account": "ACC-1", "territory": "WEST", "valid_from": JAN_1}],
        territory_positions=[{"territory": "WEST", "position": p, "role": "primary", "valid_from": JAN_1}
                             for p in seats],
    )


def test_an_equal_territory_share_splits_the_credit_and_the_first_position_takes_the_remainder():
    pool = CreditRule("pod", "territory", share="equal")
    assert credits_of(pool_world(), pool) == {
        # 100 / 3 = 33.3333333333 (10 places); AE-A, first in code order, also takes 100 − 3 × 33.3333333333
        ("pod", "T-1", "AE-A"): Decimal("33.3333333334"),
        ("pod", "T-1", "AE-B"): Decimal("33.3333333333"),
        ("pod", "T-1", "AE-C"): Decimal("33.3333333333"),
    }
    full = CreditRule("pod", "territory")
    assert set(credits_of(pool_world(), full).values()) == {Decimal(100)}


@settings(max_examples=30, deadline=None)
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False),
       st.integers(1, 9))
def test_pool_shares_add_up_to_the_line_exactly(amount, seats):
    pool = CreditRule("pod", "territory", share="equal")
    got = credits_of(pool_world(str(amount), tuple(f"P-{i}" for i in range(seats))), pool)
    assert len(got) == seats
    assert sum(got.values()) == amount
    assert max(got.values()) - min(got.values()) <= Decimal(seats) * Decimal("1e-10")


def team_world():
    lines = (("A", "M"), ("B", "M"), ("C", "M"), ("D", "N"))
    return dict(
        transactions=[deal(1, "90000", owner="A"), deal(2, "10000", owner=None), deal(3, "5000", owner="E")],
        splits=[{"transaction_id": 2, "position": "A", "share": Decimal("0.7")},
                {"transaction_id": 2, "position": "D", "share": Decimal("0.3")}],
        reporting_lines=[{"position": p, "manager": m, "valid_from": JAN_1} for p, m in lines],
    )


def test_team_credit_goes_to_every_position_under_the_same_manager():
    direct = CreditRule("direct", "direct")
    team = CreditRule("team", "team", source=("direct",))
    got = {k: v for k, v in credits_of(team_world(), direct, team).items() if k[0] == "team"}
    assert got == {
        ("team", "T-1", "A"): Decimal(90000), ("team", "T-1", "B"): Decimal(90000),
        ("team", "T-1", "C"): Decimal(90000),
        # T-2: A's 7,000 to M's team (A, B, C); D's 3,000 to N's team (D alone)
        ("team", "T-2", "A"): Decimal(7000), ("team", "T-2", "B"): Decimal(7000), ("team", "T-2", "C"): Decimal(7000),
        ("team", "T-2", "D"): Decimal(3000),
    }  # T-3: E has no manager, so no team


def test_an_equal_team_share_is_a_pool():
    direct = CreditRule("direct", "direct")
    pool = CreditRule("pool", "team", source=("direct",), share="equal")
    got = {k: v for k, v in credits_of(team_world(), direct, pool).items() if k[0] == "pool"}
    assert got == {
        ("pool", "T-1", "A"): Decimal(30000), ("pool", "T-1", "B"): Decimal(30000),
        ("pool", "T-1", "C"): Decimal(30000),  # 90,000 / 3
        # 7,000 / 3 = 2,333.3333333333; A first takes the remainder 0.0000000001
        ("pool", "T-2", "A"): Decimal("2333.3333333334"), ("pool", "T-2", "B"): Decimal("2333.3333333333"),
        ("pool", "T-2", "C"): Decimal("2333.3333333333"), ("pool", "T-2", "D"): Decimal(3000),
    }
    assert sum(got.values()) == Decimal(100000)  # every source credit with a manager, exactly once


def test_a_rollup_keeps_activities_and_transactions_with_the_same_id_apart():
    world = {**activity_world(), "transactions": [deal(1, "500", owner="SDR-1", booked=D(2026, 2, 3))],
             "reporting_lines": [{"position": "SDR-1", "manager": "M", "valid_from": JAN_1}]}
    rules = [CreditRule("deals", "direct", credit_type="count"), MEETINGS,
             CreditRule("managers", "rollup", credit_type="count", source=("deals", "meetings"))]
    got = {k: v for k, v in credits_of(world, *rules).items() if k[0] == "managers"}
    assert got == {("managers", "T-1", "M"): Decimal(1), ("managers", "A-1", "M"): Decimal(1)}  # both id 1


@pytest.mark.parametrize(("rule", "message"), [
    (dict(kind="direct", share="equal"), "share: equal splits a territory's or a team's credit"),
    (dict(kind="activity", credit_type="revenue"), "an activity rule credits count, not revenue"),
    (dict(kind="pipeline", credit_type="margin"), "a pipeline rule credits revenue or count, not margin"),
    (dict(kind="sourced", to="owner"), "to: sourced_by or owner, for pipeline rules only"),
    (dict(kind="territory", stage="qualified"), "stage is for pipeline rules only"),
    (dict(kind="team"), "a team names the rules whose credits it takes"),
])
def test_rule_options_are_checked(rule, message):
    with pytest.raises(ValueError, match=message):
        CreditRule("x", **rule)


def test_a_distinct_count_of_lines_tells_an_activity_from_a_transaction_with_the_same_id():
    from attain.engine.calculate import fiscal_months, months_table
    from attain.engine.measures import Measure, holders_on_credit_date, measure_values

    world = {**activity_world(), "transactions": [deal(1, "500", owner="SDR-1", booked=D(2026, 2, 3))]}
    inputs = CreditingInputs.from_rows(**world)
    credits = credit_transactions(inputs, [CreditRule("deals", "direct", credit_type="count"), MEETINGS])
    credits = holders_on_credit_date(credits, inputs.holders)
    lines = Measure("lines", credit_type="count", aggregate="distinct_count")
    rows = measure_values(credits, months_table(fiscal_months(2026)), [lines]).to_pyarrow().to_pylist()
    # February: T-1 (transaction 1) and A-1 (activity 1) are two lines, not one
    assert {(r["position"], r["period"]): r["total"] for r in rows} == {
        ("SDR-1", "FY2026-M02"): 2, ("SDR-2", "FY2026-M03"): 1}
