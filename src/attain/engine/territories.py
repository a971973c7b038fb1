"""Rule-based territory assignment: which territory each account belongs to on a day.

Semantics (the same as `attain.apps.territories.models.TerritoryRule`):
- a territory's rules of the same kind are alternatives (OR); rules of different kinds must all
  hold (AND), so "country US, postal prefix 940 or 941, segment enterprise" reads as it sounds;
- a named-account rule wins over every criteria rule;
- among territories whose rules match, the lowest priority number wins; a tie is reported as
  ambiguous (and resolved by territory code, so the result stays deterministic).
Every assignment carries the reason, so it can be explained.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from attain.engine.effective import Span

CRITERIA = ("country", "region", "postal_prefix", "industry", "segment")
NAMED = "named_account"


@dataclass(frozen=True)
class AccountFacts:
    key: str
    country: str = ""
    region: str = ""
    postal_code: str = ""
    industry: str = ""
    segment: str = ""


@dataclass(frozen=True)
class Rule:
    territory: str
    kind: str
    value: str = ""
    account: str = ""  # for named-account rules: the account key
    priority: int = 100
    valid_from: date = date.min
    valid_to: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in (*CRITERIA, NAMED):
            raise ValueError(f"unknown territory rule kind {self.kind!r}; use one of {', '.join((*CRITERIA, NAMED))}")


@dataclass(frozen=True)
class Assignment:
    account: str
    territory: str
    reason: str


@dataclass
class AssignmentResult:
    assignments: dict[str, Assignment]
    unassigned: list[str]
    ambiguous: dict[str, list[str]]  # account → the territories that tied


def _matches(kind: str, value: str, account: AccountFacts) -> bool:
    if kind == "postal_prefix":
        return account.postal_code.replace(" ", "").upper().startswith(value.replace(" ", "").upper())
    return getattr(account, kind).strip().casefold() == value.strip().casefold()


@dataclass
class _TerritoryRules:
    territory: str
    priority: int
    by_kind: dict[str, list[str]]

    def reason_for(self, account: AccountFacts) -> str | None:
        parts = []
        for kind, values in self.by_kind.items():
            hit = next((v for v in values if _matches(kind, v, account)), None)
            if hit is None:
                return None
            parts.append(f"{kind.replace('_', ' ')} {hit}")
        return " and ".join(parts)


def _rules_on(rules: Iterable[Rule], day: date) -> tuple[dict[str, Rule], list[_TerritoryRules]]:
    named: dict[str, Rule] = {}
    criteria: dict[str, _TerritoryRules] = {}
    for rule in rules:
        if not Span(None, rule.valid_from, rule.valid_to).contains(day):
            continue
        if rule.kind == NAMED:
            best = named.get(rule.account)
            if best is None or (rule.priority, rule.territory) < (best.priority, best.territory):
                named[rule.account] = rule
            continue
        entry = criteria.setdefault(rule.territory, _TerritoryRules(rule.territory, rule.priority, defaultdict(list)))
        entry.priority = min(entry.priority, rule.priority)
        entry.by_kind[rule.kind].append(rule.value)
    return named, sorted(criteria.values(), key=lambda t: (t.priority, t.territory))


def _by_country(territories: list[_TerritoryRules]) -> dict[str, list[_TerritoryRules]]:
    """Candidates per country (key "" = territories without a country rule), in priority order.

    Only an index: an account is tested against its country's territories and the country-less
    ones instead of every territory, which keeps large alignments fast.
    """
    index: dict[str, list[_TerritoryRules]] = defaultdict(list)
    for territory in territories:
        for country in territory.by_kind.get("country", [""]):
            index[country.strip().casefold()].append(territory)
    return index


def assign_territories(accounts: Iterable[AccountFacts], rules: Iterable[Rule], day: date) -> AssignmentResult:
    """Assign each account to one territory by the rules valid on `day`."""
    named, territories = _rules_on(rules, day)
    index, order = _by_country(territories), {id(t): i for i, t in enumerate(territories)}
    result = AssignmentResult({}, [], {})
    for account in accounts:
        if account.key in named:
            rule = named[account.key]
            result.assignments[account.key] = Assignment(account.key, rule.territory, "named account")
            continue
        candidates = sorted({id(t): t for t in index.get(account.country.strip().casefold(), []) + index.get("", [])}
                            .values(), key=lambda t: order[id(t)])
        matches = [(t, reason) for t in candidates if (reason := t.reason_for(account)) is not None]
        if not matches:
            result.unassigned.append(account.key)
            continue
        best, reason = matches[0]
        tied = [t.territory for t, _ in matches if t.priority == best.priority]
        if len(tied) > 1:
            result.ambiguous[account.key] = tied
        result.assignments[account.key] = Assignment(account.key, best.territory, reason)
    return result
