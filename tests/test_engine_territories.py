from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.territories import AccountFacts, Rule, assign_territories

D = date
SF = AccountFacts("A-941", country="US", region="CA", postal_code="94107", industry="Software", segment="enterprise")
NYC = AccountFacts("A-100", country="US", region="NY", postal_code="10001", industry="Banking", segment="smb")
BERLIN = AccountFacts("A-DE", country="DE", postal_code="10115", industry="Retail", segment="mid_market")


def test_e10_postal_rules_change_on_1_july():
    rules = [
        Rule("WEST-1", "postal_prefix", "941", valid_to=D(2026, 6, 30)),
        Rule("WEST-2", "postal_prefix", "941", valid_from=D(2026, 7, 1)),
    ]
    assert assign_territories([SF], rules, D(2026, 6, 28)).assignments["A-941"].territory == "WEST-1"
    assert assign_territories([SF], rules, D(2026, 7, 2)).assignments["A-941"].territory == "WEST-2"


def test_same_kind_is_or_and_different_kinds_are_and():
    rules = [
        Rule("US-ENT", "country", "US"), Rule("US-ENT", "segment", "enterprise"), Rule("US-ENT", "segment", "mid_market"),
        Rule("US-SMB", "country", "US", priority=200),
    ]
    result = assign_territories([SF, NYC, BERLIN], rules, D(2026, 1, 1))
    assert result.assignments["A-941"].territory == "US-ENT"
    assert result.assignments["A-941"].reason == "country US and segment enterprise"
    assert result.assignments["A-100"].territory == "US-SMB"  # not enterprise: the broader rule applies
    assert result.unassigned == ["A-DE"]


def test_named_account_beats_every_criteria_rule():
    rules = [Rule("WEST-1", "postal_prefix", "941", priority=1), Rule("STRATEGIC", "named_account", account="A-941")]
    assignment = assign_territories([SF], rules, D(2026, 1, 1)).assignments["A-941"]
    assert (assignment.territory, assignment.reason) == ("STRATEGIC", "named account")


def test_ties_are_reported_and_resolved_by_code():
    rules = [Rule("B-TERR", "country", "US"), Rule("A-TERR", "industry", "software")]
    result = assign_territories([SF], rules, D(2026, 1, 1))
    assert result.assignments["A-941"].territory == "A-TERR"
    assert result.ambiguous == {"A-941": ["A-TERR", "B-TERR"]}


def test_unknown_rule_kind_is_refused():
    with pytest.raises(ValueError, match="unknown territory rule kind 'zip'"):
        Rule("X", "zip", "941")


values = st.sampled_from(["US", "DE", "941", "940", "software", "retail", "enterprise", "smb", "CA"])
kinds = st.sampled_from(["country", "region", "postal_prefix", "industry", "segment"])
rules_strategy = st.lists(st.tuples(st.sampled_from("ABCD"), kinds, values, st.sampled_from([10, 100])), max_size=10)
accounts_strategy = st.lists(st.builds(
    AccountFacts, key=st.uuids().map(str), country=st.sampled_from(["US", "DE"]), region=st.sampled_from(["CA", "NY"]),
    postal_code=st.sampled_from(["94107", "94016", "10115"]), industry=st.sampled_from(["Software", "Retail"]),
    segment=st.sampled_from(["enterprise", "smb"])), max_size=6)


def naive_match(territory_rules, account):
    by_kind = {}
    for r in territory_rules:
        by_kind.setdefault(r.kind, []).append(r.value)
    def hit(kind, value):
        if kind == "postal_prefix":
            return account.postal_code.startswith(value)
        return getattr(account, kind).casefold() == value.casefold()
    return all(any(hit(k, v) for v in vs) for k, vs in by_kind.items())


@given(rules_strategy, accounts_strategy)
def test_assignment_is_the_best_priority_territory_whose_rules_all_hold(raw_rules, accounts):
    rules = [Rule(t, k, v, priority=p) for t, k, v, p in raw_rules]
    result = assign_territories(accounts, rules, D(2026, 1, 1))
    for account in accounts:
        candidates = sorted(
            (min(r.priority for r in rules if r.territory == t), t) for t in {r.territory for r in rules}
            if naive_match([r for r in rules if r.territory == t], account)
        )
        got = result.assignments.get(account.key)
        assert (got.territory if got else None) == (candidates[0][1] if candidates else None)
