"""Territories: company → region → team area → one territory per AE, with assignment rules.

Accounts are assigned by evaluating the rules (the same semantics as TerritoryRule's docstring),
at each date on which the rules change, so AccountTerritory always agrees with the rules.
Special territories: NAE-01 and NAW-01 hold named strategic accounts; EMEA-01 covers UK financial
services enterprises by an industry rule. Mid-year moves: one postal area moves between NAW
commercial territories on 1 July 2025 and one between EMEA commercial territories on 1 April 2026;
two new APAC enterprise territories are carved out on 1 January 2026 (segment + country rules); while AE-EMEA-20 is vacant, AE-EMEA-19
covers its territory (from 1 October 2026).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from attain.demo.accounts import AccountFacts
from attain.demo.geo import REGIONS
from attain.demo.org import NEW_AE_SEATS, Org
from attain.demo.rows import Table
from attain.engine.territories import AccountFacts as Facts
from attain.engine.territories import Rule, assign_territories

START = date(2024, 1, 1)
MOVES = [("NAW", "com", date(2025, 7, 1)), ("EMEA", "com", date(2026, 4, 1))]
CARVE_OUT = date(2026, 1, 1)
CARVE_OUTS = {"APAC-13": ["AU", "NZ"], "APAC-14": ["JP", "KR", "SG"]}
INTERIM = ("EMEA-20", "AE-EMEA-20", "AE-EMEA-19", date(2026, 10, 1))
SEGMENTS = {"ent": ["enterprise"], "com": ["mid_market", "smb"], "all": []}
NAMED_PER_TERRITORY = 12


@dataclass
class Relief:
    position: str
    from_day: date
    share: float  # share of the territory's accounts that moved away
    reason: str


@dataclass
class Territories:
    rules: list[dict] = field(default_factory=list)
    units: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # territory → (country, prefix)
    coverage: list[dict] = field(default_factory=list)  # TerritoryPosition rows
    spans: dict[str, list[tuple[date, date | None, str]]] = field(default_factory=dict)  # account → spans
    reliefs: list[Relief] = field(default_factory=list)
    segment: dict[str, str] = field(default_factory=dict)  # territory → ent / com / all

    def territory_of_position(self, position: str, day: date) -> list[str]:
        return [c["territory"] for c in self.coverage if c["position"] == position and c["role"] == "primary"
                and c["valid_from"] <= day and (c["valid_to"] is None or day <= c["valid_to"])]


def rule(territory: str, kind: str, value: str = "", account: str | None = None, priority: int = 100,
         valid_from: date = START, valid_to: date | None = None) -> dict:
    return dict(territory=territory, kind=kind, value=value, account=account, priority=priority,
                valid_from=valid_from, valid_to=valid_to)


def design(org: Org, accounts: list[AccountFacts]) -> Territories:
    result = Territories()
    for manager in [s for s in org.kind("manager")]:
        team = [code for code in org.team(manager.code) if code not in NEW_AE_SEATS]
        codes = [code.removeprefix("AE-") for code in team]
        for code in codes:
            result.segment[code] = manager.segment
        special = _special_territories(result, manager.region, manager.segment, codes, accounts)
        _balance_units(result, manager.region, manager.segment, [c for c in codes if c not in special], accounts)
    for code in NEW_AE_SEATS:
        result.segment[code.removeprefix("AE-")] = "all"
    _carve_out_apac(result, accounts)
    for region, segment, day in MOVES:
        _move_unit(result, region, segment, day, accounts)
    _cover(result, org)
    result.spans = assign_accounts(result.rules, accounts)
    return result


def _special_territories(result: Territories, region: str, segment: str, codes: list[str],
                         accounts: list[AccountFacts]) -> list[str]:
    if segment != "ent" or region == "APAC":
        return []
    first = codes[0]
    if region == "EMEA":
        result.rules += [rule(first, "country", "GB", priority=50), rule(first, "segment", "enterprise", priority=50),
                         rule(first, "industry", "Financial services", priority=50)]
        return [first]
    largest = sorted((a for a in accounts if a.city.region_code == region and a.segment == "enterprise"),
                     key=lambda a: -a.employees)[:NAMED_PER_TERRITORY]
    result.rules += [rule(first, "named_account", account=a.external_id, priority=10) for a in largest]
    return [first]


def _unit_weights(region: str, segment: str, accounts: list[AccountFacts]) -> dict[tuple[str, str], int]:
    weights: dict[tuple[str, str], int] = defaultdict(int)
    wanted = SEGMENTS[segment]
    for a in accounts:
        if a.city.region_code == region and (not wanted or a.segment in wanted):
            weights[(a.city.country, a.city.postal_prefix)] += 1
    return weights


def _balance_units(result: Territories, region: str, segment: str, codes: list[str],
                   accounts: list[AccountFacts]) -> None:
    """Greedy balancing: the heaviest postal area goes to the lightest territory."""
    load = {code: 0 for code in codes}
    for unit, weight in sorted(_unit_weights(region, segment, accounts).items(), key=lambda kv: (-kv[1], kv[0])):
        lightest = min(codes, key=lambda c: (load[c], c))
        load[lightest] += weight
        result.units.setdefault(lightest, []).append(unit)
    for code in codes:
        units = result.units.get(code, [])
        for country in sorted({c for c, _ in units}):
            result.rules.append(rule(code, "country", country))
        result.rules += [rule(code, "postal_prefix", prefix) for prefix in sorted({p for _, p in units})]
        result.rules += [rule(code, "segment", s) for s in SEGMENTS[segment]]


def _hand_over(result: Territories, giver: str, taker: str, day: date) -> float:
    """Move the giver's second-largest postal area to the taker from `day`; return its share of the giver."""
    units = result.units[giver]
    unique = [u for u in units[1:] if sum(p == u[1] for _, p in units) == 1]
    unit = unique[0] if unique else units[0]
    for r in result.rules:
        if r["territory"] == giver and r["kind"] == "postal_prefix" and r["value"] == unit[1] and r["valid_to"] is None:
            r["valid_to"] = day - timedelta(days=1)
    if not any(r["territory"] == taker and r["kind"] == "country" and r["value"] == unit[0] for r in result.rules):
        result.rules.append(rule(taker, "country", unit[0], valid_from=day))
    result.rules.append(rule(taker, "postal_prefix", unit[1], valid_from=day))
    units.remove(unit)
    result.units.setdefault(taker, []).append(unit)
    return 1 / (len(units) + 1)


def _move_unit(result: Territories, region: str, segment: str, day: date, accounts: list[AccountFacts]) -> None:
    codes = sorted(c for c in result.units if c.startswith(region + "-") and result.segment.get(c) == segment
                   and len(result.units[c]) > 1)
    giver, taker = codes[0], codes[-1]
    share = _hand_over(result, giver, taker, day)
    result.reliefs.append(Relief(f"AE-{giver}", day, share, f"Postal area moved to {taker} on {day.isoformat()}"))


def _carve_out_apac(result: Territories, accounts: list[AccountFacts]) -> None:
    """Two enterprise territories carved out of the APAC geography (a lower priority number wins)."""
    for code, countries in CARVE_OUTS.items():
        result.rules += [rule(code, "country", c, priority=50, valid_from=CARVE_OUT) for c in countries]
        result.rules.append(rule(code, "segment", "enterprise", priority=50, valid_from=CARVE_OUT))
        for donor, units in sorted(result.units.items()):
            if not donor.startswith("APAC-") or not any(country in countries for country, _ in units):
                continue
            mine = [a for a in accounts if (a.city.country, a.city.postal_prefix) in units]
            share = sum(a.segment == "enterprise" for a in mine) / max(1, len(mine))
            result.reliefs.append(Relief(f"AE-{donor}", CARVE_OUT, share, f"Enterprise accounts moved to {code}"))


def _cover(result: Territories, org: Org) -> None:
    def add(territory: str, position: str, role: str, valid_from: date, valid_to: date | None = None) -> None:
        result.coverage.append(dict(territory=territory, position=position, role=role, valid_from=valid_from,
                                    valid_to=valid_to))

    interim_territory, vacated, interim_cover, interim_day = INTERIM
    for seat in org.kind("ae"):
        code = seat.code.removeprefix("AE-")
        start = max(START, seat.created_on)
        if code == interim_territory:
            add(code, seat.code, "primary", start, interim_day - timedelta(days=1))
            add(code, interim_cover, "primary", interim_day)
        else:
            add(code, seat.code, "primary", start)
    for seat in org.kind("manager"):
        add(f"{seat.region}-{seat.segment.upper()}", seat.code, "primary", START)
    for seat in org.kind("director"):
        add(seat.region, seat.code, "primary", START)
    for seat in org.kind("overlay") + org.kind("channel"):
        for region in _regions_of(seat.region):
            add(region, seat.code, "overlay", START)


def _regions_of(area: str) -> list[str]:
    return {"NA": ["NAE", "NAW"], "INTL": ["EMEA", "APAC"]}.get(area, [area])


def assign_accounts(rules: list[dict], accounts: list[AccountFacts]) -> dict[str, list[tuple[date, date | None, str]]]:
    """Each account's territory history: the engine's rule assignment on every day a rule changes."""
    changes = sorted({START} | {r["valid_from"] for r in rules} | {r["valid_to"] + timedelta(days=1)
                                                                   for r in rules if r["valid_to"]})
    engine_rules = [Rule(r["territory"], r["kind"], r["value"], r["account"] or "", r["priority"], r["valid_from"],
                         r["valid_to"]) for r in rules]
    facts = [Facts(a.external_id, a.city.country, a.city.state, a.postal_code, a.industry, a.segment) for a in accounts]
    by_day = [(day, assign_territories(facts, engine_rules, day).assignments) for day in changes]
    return {a.external_id: _spans([(day, got[a.external_id].territory if a.external_id in got else None)
                                   for day, got in by_day]) for a in accounts}


def _spans(points: list[tuple[date, str | None]]) -> list[tuple[date, date | None, str]]:
    result: list[tuple[date, date | None, str]] = []
    for day, territory in points:
        if result and result[-1][2] == territory:
            continue
        if result:
            result[-1] = (result[-1][0], day - timedelta(days=1), result[-1][2])
        if territory is not None:
            result.append((day, None, territory))
    return result


def territory_tables(result: Territories) -> list[Table]:
    territories = Table("territories.Territory")
    territories.add(code="WORLD", name="Worldwide", level="company", parent=None)
    for region, title in REGIONS.items():
        territories.add(code=region, name=title, level="region", parent="WORLD")
        for segment in ("ENT", "COM", "ALL"):
            if any(s.upper() == segment and c.startswith(region + "-") for c, s in result.segment.items()):
                territories.add(code=f"{region}-{segment}", name=f"{title} {segment.title()}", level="area",
                                parent=region)
    for code, segment in sorted(result.segment.items()):
        region = code.split("-")[0]
        territories.add(code=code, name=f"Territory {code}", level="territory", parent=f"{region}-{segment.upper()}")
    rules = Table("territories.TerritoryRule", [dict(r) for r in result.rules])
    positions = Table("territories.TerritoryPosition", [dict(c) for c in result.coverage])
    accounts = Table("territories.AccountTerritory")
    for account, spans in result.spans.items():
        for valid_from, valid_to, territory in spans:
            accounts.add(account=account, territory=territory, source="rule", valid_from=valid_from, valid_to=valid_to)
    return [territories, rules, positions, accounts]
