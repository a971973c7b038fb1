"""Applying territory rules: turn the rules valid on a day into account ↔ territory assignments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from attain.apps.catalog.models import Account
from attain.apps.territories.models import AccountTerritory, Territory, TerritoryRule
from attain.engine.territories import AccountFacts, Rule, assign_territories


@dataclass
class RuleApplication:
    day: date
    unchanged: int = 0
    moved: int = 0
    assigned: int = 0
    kept_manual: int = 0
    unassigned: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)


def _rules(day: date) -> list[Rule]:
    rows = TerritoryRule.objects.filter(TerritoryRule.valid_on(day)).select_related("territory", "account")
    return [
        Rule(r.territory.code, r.kind, r.value, r.account.external_id if r.account else "", r.priority,
             r.valid_from, r.valid_to)
        for r in rows
    ]


def _accounts() -> list[AccountFacts]:
    fields = ("external_id", "country", "region", "postal_code", "industry", "segment")
    return [AccountFacts(*row) for row in Account.objects.values_list(*fields)]


def apply_territory_rules(day: date, *, dry_run: bool = False) -> RuleApplication:
    """Assign every account by the rules valid on `day`, from `day` on.

    An account whose current assignment differs gets the old one ended the day before and a new one
    from `day` (up to the day before any later assignment). Manual assignments are kept. All in one
    transaction; with dry_run nothing is written.
    """
    outcome = assign_territories(_accounts(), _rules(day), day)
    report = RuleApplication(day, unassigned=outcome.unassigned, ambiguous=outcome.ambiguous)
    territory_ids = dict(Territory.objects.values_list("code", "pk"))
    account_ids = dict(Account.objects.values_list("external_id", "pk"))
    current = {a.account_id: a for a in AccountTerritory.objects.filter(AccountTerritory.valid_on(day))}
    later = {}
    for row in AccountTerritory.objects.filter(valid_from__gt=day).order_by("-valid_from"):
        later[row.account_id] = row.valid_from  # the earliest later start wins (ordered descending)
    with transaction.atomic():
        for key, assignment in outcome.assignments.items():
            account_id, territory_id = account_ids[key], territory_ids[assignment.territory]
            existing = current.get(account_id)
            if existing is not None and existing.territory_id == territory_id:
                report.unchanged += 1
                continue
            if existing is not None and existing.source == AccountTerritory.Source.MANUAL:
                report.kept_manual += 1
                continue
            report.moved += existing is not None
            report.assigned += existing is None
            if dry_run:
                continue
            _end_or_drop(existing, day)
            end = later[account_id] - timedelta(days=1) if account_id in later else None
            AccountTerritory.objects.create(account_id=account_id, territory_id=territory_id, valid_from=day,
                                            valid_to=end, source=AccountTerritory.Source.RULE)
    return report


def _end_or_drop(existing: AccountTerritory | None, day: date) -> None:
    if existing is None:
        return
    if existing.valid_from == day:
        existing.delete()
    else:
        existing.valid_to = day - timedelta(days=1)
        existing.save(update_fields=["valid_to"])
