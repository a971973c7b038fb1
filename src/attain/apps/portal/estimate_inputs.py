"""One participant's calculation inputs for the fiscal year up to a month: what an estimate recalculates.

Like `calc.inputs.load_inputs`, but only what can credit the participant's positions (and the positions
under them, for roll-ups): the transactions they own, are split to, or that fall on an account of a
territory they (or a territory above it) cover; their opportunities and activities; their quotas,
objectives and leaves. A few hundred lines instead of the company's year, so an estimate stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from attain.apps.calc.fx import Converter
from attain.apps.calc.inputs import (
    _ancestors,
    _objectives,
    _opportunities,
    _stage_events,
    _table,
    fiscal_months,
    leaves_in,
    transaction_lines,
)
from attain.apps.core.models import Period
from attain.apps.org.models import Participant, Position, PositionHolder, ReportingLine
from attain.apps.portal.access import positions_below
from attain.apps.quotas.models import Quota
from attain.apps.sales.models import Activity, CreditSplit, Opportunity
from attain.apps.territories.models import AccountTerritory, TerritoryPosition
from attain.engine.calculate import CalcInputs, Month
from attain.engine.crediting import CreditingInputs
from attain.engine.crediting.inputs import SCHEMAS

ACTIVITY_FIELDS = ("id", "external_id", "participant__employee_id", "kind", "occurred_on", "qualified",
                   "account__external_id", "opportunity__external_id")


@dataclass(frozen=True)
class ParticipantData:
    """The participant's share of the year's data, as rows: the transactions apart, so a hypothetical one can be
    added to them."""

    months: tuple[Month, ...]
    own: dict[str, int]  # the participant's position codes in the year → position id
    transactions: list[dict]
    tables: dict[str, list[dict]]  # the other crediting inputs
    quotas: dict
    objectives: dict
    leaves: dict

    def inputs(self, extra: list[dict] = ()) -> CalcInputs:
        """The engine's inputs, with `extra` transaction rows added (the other tables are built once)."""
        if "built" not in self.__dict__:
            object.__setattr__(self, "built", {name: _table(name, rows) for name, rows in self.tables.items()})
        crediting = CreditingInputs(transactions=_table("transactions", [*self.transactions, *extra]), **self.built)
        return CalcInputs(crediting, crediting.holders, self.months, self.quotas, objectives=self.objectives,
                          leaves=self.leaves)


def participant_data(participant: Participant, period: Period, converter: Converter, opportunities: bool = True,
                     activities: bool = True) -> ParticipantData:
    """The participant's share of the year's inputs up to `period`, in the converter's currency; opportunities
    and activities only when asked (a plan without pipeline or activity rules reads neither)."""
    months = fiscal_months(period)
    start, end = months[0].start_date, period.end_date
    seats = dict(PositionHolder.objects.filter(participant=participant, valid_from__lte=end)
                 .exclude(valid_to__lt=start).values_list("position__code", "position_id"))
    lines = list(ReportingLine.objects.values_list("position_id", "manager_position_id", "position__code",
                                                   "manager_position__code", "valid_from", "valid_to"))
    below = positions_below(set(seats.values()), [(p, m) for p, m, *_ in lines])
    positions = set(seats.values()) | below
    territories = _territories(positions)
    accounts = set(AccountTerritory.objects.filter(territory__code__in=territories).values_list("account_id", flat=True))
    transactions = _transactions(start, end, converter, positions, accounts)
    ids = [row["id"] for row in transactions]
    chosen = (Opportunity.objects.filter(Q(owner_position__in=positions) | Q(sourced_by_position__in=positions))
              .filter(Q(created_date__range=(start, end)) | Q(stage_events__entered_on__range=(start, end))).distinct()
              if opportunities else Opportunity.objects.none())
    opportunities = _opportunities(chosen, converter) if opportunities else []
    codes = set(seats)
    tables = {
        "splits": [{"transaction_id": t, "position": p, "share": s} for t, p, s in CreditSplit.objects.filter(
            transaction_id__in=ids).values_list("transaction_id", "position__code", "share")],
        "account_territories": _rows(("account", "territory", "valid_from", "valid_to"), AccountTerritory.objects.filter(
            account_id__in=accounts).values_list("account__external_id", "territory__code", "valid_from", "valid_to")),
        "territory_positions": _rows(("territory", "position", "role", "valid_from", "valid_to"),
                                     TerritoryPosition.objects.filter(territory__code__in=territories).values_list(
                                         "territory__code", "position__code", "role", "valid_from", "valid_to")),
        "territory_ancestors": _ancestors(),
        "positions": _rows(("position", "kind", "product_family"),
                           Position.objects.values_list("code", "kind", "product_family__code")),
        "reporting_lines": [{"position": p, "manager": m, "valid_from": f, "valid_to": t} for _, _, p, m, f, t in lines],
        "holders": _rows(("participant", "position", "valid_from", "valid_to"), PositionHolder.objects.filter(
            position__in=positions).values_list("participant__employee_id", "position__code", "valid_from", "valid_to")),
        "activities": _rows(tuple(SCHEMAS["activities"]), Activity.objects.filter(
            participant=participant, occurred_on__range=(start, end)).values_list(*ACTIVITY_FIELDS))
        if activities else [],
        "opportunities": opportunities,
        "stage_events": _stage_events(chosen, opportunities, converter) if opportunities else [],
    }
    quotas = _quotas_of(period, converter, set(seats.values()))
    objectives = {key: found for key, found in _objectives(period).items() if key[0] in codes}
    year = months[0].year_span or (start, end)
    leaves = {k: v for k, v in leaves_in(*year).items() if k == participant.employee_id}
    return ParticipantData(months, seats, transactions, tables, quotas, objectives, leaves)


def _quotas_of(period: Period, converter: Converter, positions: set[int]) -> dict:
    """(position, period name, measure) → the quota of the participant's positions, in the plan currency."""
    quotas = Quota.objects.filter(position__in=positions, period__calendar=period.calendar,
                                  period__fiscal_year=period.fiscal_year).select_related("position", "period")
    return {(q.position.code, q.period.name, q.measure): converter.convert(q.effective_amount, q.currency_id,
                                                                          q.period.start_date) for q in quotas}


def _rows(names: tuple[str, ...], rows) -> list[dict]:
    return [dict(zip(names, row, strict=True)) for row in rows]


def _territories(positions: set[int]) -> set[str]:
    """The territories the positions cover, with every territory under them (accounts there credit them too)."""
    covered = set(TerritoryPosition.objects.filter(position__in=positions).values_list("territory__code", flat=True))
    return {row["territory"] for row in _ancestors() if row["ancestor"] in covered}


def _transactions(start: date, end: date, converter: Converter, positions: set[int], accounts: set[int]) -> list[dict]:
    """The payee's lines only: their seats', their accounts' and those split to them (the calculation's loader)."""
    split = CreditSplit.objects.filter(position__in=positions).values("transaction_id")
    theirs = Q(owner_position__in=positions) | Q(account__in=accounts) | Q(pk__in=split)
    return transaction_lines(start, end, converter, theirs)

