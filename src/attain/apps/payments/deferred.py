"""ASC 340-40 / IFRS 15 in the application: the paid commissions on long contracts, capitalised and amortised.

Rebuilt from what was paid, whenever asked (nothing to keep in step): for every paid or closed month,
each earning of its approved run is attributed to the deals its measure credited that month
(`engine/attribution.py`, from the run's lineage files), converted into the payee's currency at the
month-end rate as the payment was. A deal with contract dates is a contract: its commission is
capitalised when the period of benefit (term + expected renewals) is longer than the policy's months,
else expensed (practical expedient). A credit note for the whole of a deal, in a paid month, cancels
the contract: what that credit note took back is the clawback, the rest of the asset is impaired.
Prior-period adjustments, guarantees, plan caps and MBO lines have no deals: they are expensed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import duckdb

from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.calc.fx import Converter
from attain.apps.calc.lineage import lineage_path
from attain.apps.calc.models import Approval, Earning
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.org.models import Participant
from attain.apps.payments.models import AccountingPolicy
from attain.apps.plans.models import PlanVersion
from attain.apps.sales.models import Transaction
from attain.engine.accounting import CapitalisationPolicy, DeferredCommission, capitalise, impair
from attain.engine.attribution import attribute
from attain.engine.money import round_money
from attain.engine.periods import whole_months_between
from attain.engine.plans import load_plan

ZERO = Decimal(0)
DealShares = dict[tuple[str, str], Decimal]  # (payee employee id, deal external id) → commission, payee currency


def policy() -> CapitalisationPolicy:
    chosen = AccountingPolicy.objects.first()
    if chosen is None:
        return CapitalisationPolicy()
    return CapitalisationPolicy(chosen.practical_expedient, chosen.expected_renewal_months, chosen.expense_up_to_months)


def deferred_commissions(until: Period) -> list[DeferredCommission]:
    """Every contract commission paid in the calendar's paid or closed months up to `until`, with its schedule."""
    months = list(Period.objects.filter(calendar=until.calendar, kind=Period.Kind.MONTH, state__in=BOOKED_STATES,
                                        end_date__lte=until.end_date).order_by("start_date"))
    runs = dict(Approval.objects.filter(period__in=months, state=Approval.State.APPROVED).values_list("period_id",
                                                                                                     "run_id"))
    paid = {month: deal_shares(runs[month.pk], month) for month in months if month.pk in runs}
    deals = _contracts({deal for shares in paid.values() for _, deal in shares})
    payees = {payee for shares in paid.values() for payee, _ in shares}
    currencies = dict(Participant.objects.filter(employee_id__in=payees).values_list("employee_id", "currency_id"))
    chosen, found = policy(), []
    for month, shares in paid.items():
        for (payee, deal), amount in sorted(shares.items()):
            contract = deals.get(deal)
            if contract is None or amount <= 0 or contract.kind == Transaction.Kind.CREDIT_NOTE:
                continue
            start, end = contract.contract_start, contract.contract_end
            term = whole_months_between(start, end + timedelta(days=1))
            currency = currencies[payee]
            made = capitalise(f"{deal}/{payee}/{month.name}", payee, amount, currency, start, max(term, 1), chosen,
                              incurred_on=month.end_date, rounding=currency_rounding(currency))
            found.append(_cancelled(made, contract, payee, paid))
    return found


def deal_shares(run_id: int, month: Period) -> DealShares:
    """Each payee's month earnings of a run, attributed to the deals credited that month (payee's currency)."""
    lines = Earning.objects.filter(run_id=run_id, period=month, kind=Earning.Kind.EARNING).values_list(
        "participant__employee_id", "participant__currency_id", "position__code", "plan_version_id", "component",
        "currency_id", "amount")
    measures = _measures({line[3] for line in lines})
    credits = _credits(run_id, month, {code for code, _ in measures.values()})
    rates: dict[str, Converter] = {}
    shares: DealShares = defaultdict(Decimal)
    for payee, payee_currency, position, version, component, currency, amount in lines:
        plan, by_component = measures[version]
        measure = by_component.get(component)
        if measure is None:
            continue
        rate = rates.setdefault(payee_currency, Converter(payee_currency)).rate(currency, month.end_date)
        for deal, share in attribute(amount, credits.get((plan, payee, position, measure), [])):
            shares[(payee, deal)] += share * rate
    return dict(shares)


def _measures(versions: set[int]) -> dict[int, tuple[str, dict[str, str]]]:
    """Plan version id → (plan code, component → its measure) for the components that rate a measure."""
    found = {}
    for version in PlanVersion.objects.filter(pk__in=versions).select_related("plan"):
        plan, _ = load_plan(version.document, version.plan.code)
        found[version.pk] = (version.plan.code, {c.name: c.measure for c in plan.components if c.measure} if plan
                             else {})
    return found


def _credits(run_id: int, month: Period, plans: set[str]) -> dict[tuple, list[tuple[str, Decimal]]]:
    """(plan, participant, position, measure) → [(deal, credit value)] credited in the month, from the lineage."""
    found: dict[tuple, list[tuple[str, Decimal]]] = defaultdict(list)
    with duckdb.connect() as con:
        for plan in sorted(plans):
            path = lineage_path(run_id, plan)
            if not path.exists():
                raise FileNotFoundError(f"the credits of run {run_id} ({plan}) are missing from {path}: "
                                        f"recalculate {month.name} on this machine before the accounting reports")
            rows = con.execute(
                "SELECT participant, position, measure, external_id, sum(value) FROM read_parquet(?) "
                "WHERE credit_date BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL",
                [str(path), month.start_date, month.end_date]).fetchall()
            for participant, position, measure, deal, value in rows:
                found[(plan, participant, position, measure)].append((deal, value))
    return found


def _contracts(deals: set[str]) -> dict[str, Transaction]:
    """The deals with contract dates (the contracts), by external id."""
    return {t.external_id: t for t in Transaction.objects.filter(external_id__in=deals, contract_start__isnull=False,
                                                                 contract_end__isnull=False)}


def _cancelled(made: DeferredCommission, contract: Transaction, payee: str,
               paid: dict[Period, DealShares]) -> DeferredCommission:
    """A credit note for the whole deal, taken into a paid month, cancels the contract (clawback, impairment)."""
    if not made.capitalised:
        return made
    for note in Transaction.objects.filter(original=contract, amount=-contract.amount).order_by("booked_date"):
        taken = -sum((shares.get((payee, note.external_id), ZERO) for shares in paid.values()), ZERO)
        month = next((m for m in paid if m.start_date <= note.booked_date <= m.end_date), None)
        if month is not None and note.booked_date >= made.incurred_on.replace(day=1):
            return impair(made, note.booked_date, round_money(max(taken, ZERO), *made.rounding))
    return made
