"""The sales funnel: opportunities per AE, their stage path, outcome and sourcing.

Each AE's opportunities close on days drawn with the seasonality of `seasons`; the sales cycle by
account segment sets the created date. An opportunity advances through STAGES with the AE's
conversion rates (peer rates × a personal skill factor; the planted underperformers have one weak
stage) and is won, lost at a stage, or still open on AS_OF.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from attain.demo.accounts import AccountFacts
from attain.demo.org import Org
from attain.demo.rows import AS_OF, pick, stream
from attain.demo.seasons import close_day_weights
from attain.demo.territories import Territories

STAGES = ["discovery", "solution", "proposal", "negotiation"]
STAGE_SHARE = [0.0, 0.2, 0.45, 0.7]  # when in the cycle each stage is entered
PEER_CONVERSION = {
    "new": [0.58, 0.70, 0.66, 0.64],
    "expansion": [0.70, 0.78, 0.75, 0.72],
    "renewal": [1.0, 1.0, 0.96, 0.92],
}
FIRST_STAGE = {"new": 0, "expansion": 0, "renewal": 2}
DEAL_TYPE_P = {"new": 0.5, "expansion": 0.3, "renewal": 0.2}
OPPS_PER_MONTH = {"ent": 16.0, "com": 45.0, "all": 30.0}
CYCLE_DAYS = {"enterprise": (115, 0.35), "mid_market": (60, 0.4), "smb": (30, 0.4)}  # median, sigma
ACV_USD = {"enterprise": (80_000, 1.1), "mid_market": (24_000, 0.9), "smb": (6_500, 0.8)}  # median, sigma
TYPE_SIZE = {"new": 1.0, "expansion": 0.45, "renewal": 0.9}
FAMILY_P = {"PLATFORM": 0.38, "DATA": 0.2, "ANALYTICS": 0.2, "SECURITY": 0.16, "SERVICES": 0.06}
CONTRACT_YEARS = {"enterprise": {"1": 0.45, "2": 0.2, "3": 0.35}, "mid_market": {"1": 0.7, "2": 0.3}, "smb": {"1": 1.0}}
LOSS_REASONS = ["Price", "Chose competitor", "No decision", "Budget cut", "Timing", "Missing feature"]
CLOSE_WINDOW = (date(2025, 1, 1), date(2027, 3, 31))
SDR_SOURCED = 0.35
CHANNEL_SOURCED = 0.08

# The planted coaching cases (see attain.demo docstring); factors multiply peer stage conversion.
WEAK_DISCOVERY = "AE-NAW-16"
WEAK_NEGOTIATION = "AE-NAW-19"
FEW_ACTIVITIES = "AE-NAE-21"
WEAK_SDR = "SDR-NAW-05"
PLANTED_CONVERSION = {WEAK_DISCOVERY: [0.4, 0.5, 1.0, 1.0], WEAK_NEGOTIATION: [1.0, 1.0, 1.0, 0.38]}


@dataclass
class RepProfile:
    position: str
    skill: float
    size: float
    activity: float
    conversion: list[float]


@dataclass
class OppFacts:
    external_id: str
    account: AccountFacts
    position: str
    deal_type: str
    family: str
    acv_usd: float
    years: int
    created: date
    close: date  # closed date for won/lost, expected close for open
    stage_days: list[date]  # the days each reached stage was entered
    stage_index: int  # the first stage of its path
    outcome: str
    sourced_by: str | None = None
    amount: object = None  # set from the booked lines (won) or the estimate
    currency: str = "USD"
    lines: list = field(default_factory=list)


def rep_profiles(org: Org, seed: int) -> dict[str, RepProfile]:
    rng = stream(seed, "rep-profiles")
    profiles = {}
    for seat in sorted(org.kind("ae"), key=lambda s: s.code):
        skill, size, activity = rng.lognormal(0, 0.12), rng.lognormal(0, 0.2), rng.lognormal(0, 0.12)
        if seat.code == FEW_ACTIVITIES:
            activity = 0.3
        conversion = PLANTED_CONVERSION.get(seat.code, [1.0] * 4)
        profiles[seat.code] = RepProfile(seat.code, float(skill), float(size), float(activity), conversion)
    return profiles


def account_index(territories: Territories, accounts: list[AccountFacts]) -> dict[str, list]:
    """territory → [(valid_from, valid_to, account)] for choosing an AE's accounts on a day."""
    facts = {a.external_id: a for a in accounts}
    index: dict[str, list] = defaultdict(list)
    for external_id, spans in territories.spans.items():
        for valid_from, valid_to, territory in spans:
            index[territory].append((valid_from, valid_to, facts[external_id]))
    return index


def simulate(org: Org, territories: Territories, accounts: list[AccountFacts], seed: int) -> list[OppFacts]:
    profiles = rep_profiles(org, seed)
    index = account_index(territories, accounts)
    days, p = close_day_weights(*CLOSE_WINDOW)
    sourcers = _sourcers(org)
    opportunities: list[OppFacts] = []
    for code, profile in profiles.items():
        rng = stream(seed, f"pipeline:{code}")
        seat = org.seats[code]
        months = (CLOSE_WINDOW[1] - CLOSE_WINDOW[0]).days / 30.4
        count = rng.poisson(OPPS_PER_MONTH[seat.segment] * months * profile.activity)
        for close in sorted(days[i] for i in rng.choice(len(days), size=count, p=p)):
            opp = _one_opportunity(org, territories, index, profile, close, rng, len(opportunities))
            if opp is not None:
                _source(opp, org, sourcers, rng)
                opportunities.append(opp)
    return opportunities


def _one_opportunity(org: Org, territories: Territories, index: dict, profile: RepProfile, close: date,
                     rng: np.random.Generator, number: int) -> OppFacts | None:
    deal_type = pick(rng, DEAL_TYPE_P)
    first_guess = close - timedelta(days=60)
    account = _pick_account(territories, index, profile.position, first_guess, rng)
    if account is None:
        return None
    median, sigma = CYCLE_DAYS[account.segment]
    cycle = int(max(7, rng.lognormal(np.log(median), sigma) * (0.6 if deal_type == "renewal" else 1.0)))
    created = close - timedelta(days=cycle)
    if created > AS_OF or not _staffed(org, profile.position, created, rng):
        return None
    acv_median, acv_sigma = ACV_USD[account.segment]
    acv = rng.lognormal(np.log(acv_median), acv_sigma) * profile.size * TYPE_SIZE[deal_type]
    years = int(pick(rng, CONTRACT_YEARS[account.segment]))
    family = pick(rng, FAMILY_P)
    opp = OppFacts(f"OPP-{number + 1:06d}", account, profile.position, deal_type, family, float(acv), years,
                   created, close, [], FIRST_STAGE[deal_type], "open", currency=account.city.currency)
    _walk_stages(opp, profile, cycle, rng)
    return opp


def _pick_account(territories: Territories, index: dict, position: str, day: date,
                  rng: np.random.Generator) -> AccountFacts | None:
    # territory changes all take effect on the first of a month, so a month's accounts are its first day's
    first = max(day, date(2025, 1, 1)).replace(day=1)
    key = (position, first)
    if key not in index:
        index[key] = [a for t in territories.territory_of_position(position, first)
                      for (f, to, a) in index[t] if f <= first and (to is None or first <= to)]
    candidates = index[key]
    if not candidates:
        return None
    return candidates[int(rng.integers(len(candidates)))]


def _staffed(org: Org, position: str, day: date, rng: np.random.Generator) -> bool:
    """Vacant seats create few opportunities, and new hires fewer in their first three months."""
    holder = org.holder_on(position, day)
    if holder is None:
        return rng.random() < 0.25
    started = max(t.valid_from for t in org.tenures if t.employee_id == holder and t.position == position)
    return (day - started).days > 90 or rng.random() < 0.45


def _walk_stages(opp: OppFacts, profile: RepProfile, cycle: int, rng: np.random.Generator) -> None:
    rates = PEER_CONVERSION[opp.deal_type]
    lost_at = None
    for stage in range(opp.stage_index, len(STAGES)):
        entered = opp.created + timedelta(days=int(cycle * (STAGE_SHARE[stage] - STAGE_SHARE[opp.stage_index])))
        if entered > AS_OF:
            break
        opp.stage_days.append(entered)
        rate = min(0.97, rates[stage] * profile.skill * profile.conversion[stage])
        if rng.random() >= rate:
            lost_at = stage
            break
    if lost_at is not None:
        lost_on = opp.stage_days[-1] + timedelta(days=int(cycle * 0.15) + 1)
        if lost_on <= AS_OF:
            opp.outcome, opp.close = "lost", lost_on
    elif opp.close <= AS_OF and len(opp.stage_days) == len(STAGES) - opp.stage_index:
        opp.outcome = "won"


def _sourcers(org: Org) -> dict[str, list[tuple[str, float]]]:
    by_region: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for seat in org.kind("sdr"):
        by_region[seat.region].append((seat.code, 0.3 if seat.code == WEAK_SDR else 1.0))
    return by_region


def _source(opp: OppFacts, org: Org, sourcers: dict, rng: np.random.Generator) -> None:
    if opp.deal_type != "new":
        return
    region = opp.account.city.region_code
    draw = rng.random()
    if draw < CHANNEL_SOURCED and region != "APAC":
        opp.sourced_by = "CHN-NA" if region in ("NAE", "NAW") else "CHN-INTL"
        return
    sdrs = sourcers[region]
    weights = np.array([w for _, w in sdrs])
    if draw < CHANNEL_SOURCED + SDR_SOURCED * weights.mean():
        code = sdrs[int(rng.choice(len(sdrs), p=weights / weights.sum()))][0]
        if org.holder_on(code, opp.created) is not None:
            opp.sourced_by = code
