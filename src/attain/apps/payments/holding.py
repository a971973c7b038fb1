"""Holds in the application: commission on a transaction waits for its invoice or for the customer's payment.

For the plans whose document says `hold: {until: invoice | payment}`, each month's earnings of the
approved run are attributed to the deals their measures credited (`attribution.py`, payee's currency),
and `engine/payments/holds.release` holds them per transaction: released in the month the transaction
is invoiced (`invoiced_date`), or pro rata as the customer pays (its customer payments; without any, a
`paid_date` counts as paid in full); what is still held when the transaction is cancelled (a credit note
for all of it) is forfeited. A credit note's commission counts against its original transaction.

Each month's difference between what was released and what was earned is one adjustment of the
payment ("held until payment: …"), negative while commission waits, positive when it is released; its
explanation names the transactions. Earnings the plan does not attribute to deals (guarantees, MBO
lines) are not held. The journal still books held commission as an expense when it is earned, owed
(accrued) until it is released: see `exports.journal_entries`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.payments.attribution import deal_shares
from attain.apps.plans.models import PlanVersion
from attain.apps.sales.models import CustomerPayment, Transaction
from attain.engine.money import show_amount
from attain.engine.payments.holds import CommissionLine, HoldMonth, HoldPolicy, TransactionEvents, release
from attain.engine.plans import load_plan

HELD = "held until "  # how a hold's adjustment of a payment starts (the journal finds it by it)
Adjustments = dict[tuple[int, str], list[tuple[str, Decimal]]]  # (participant id, month) → [(label, amount)]


def hold_adjustments(months: list[Period], runs: dict[str, CalculationRun]) -> Adjustments:
    """The adjustments holds make to each payee's months (none when no plan holds commission)."""
    policies = _held_plans(runs)
    found: Adjustments = defaultdict(list)
    for policy, plans in policies.items():
        lines = _commission_lines(months, runs, plans)
        events = _events({line.transaction for payee in lines.values() for line in payee})
        spans = [(m.name, m.start_date, m.end_date) for m in months]
        people = dict(Participant.objects.filter(employee_id__in=lines).values_list("employee_id", "pk"))
        for payee, commissions in sorted(lines.items()):
            for month in release(policy, commissions, events, spans):
                change = month.released - month.earned
                if change or month.forfeited:
                    found[(people[payee], month.month)].append((_label(policy, month), change))
    return dict(found)


def _held_plans(runs: dict[str, CalculationRun]) -> dict[HoldPolicy, set[str]]:
    """Hold policy → the plans (documents' codes) that hold commission, among the runs' plan versions."""
    versions = set(Earning.objects.filter(run__in=runs.values()).values_list("plan_version_id", flat=True).distinct())
    found: dict[HoldPolicy, set[str]] = defaultdict(set)
    for version in PlanVersion.objects.filter(pk__in=versions):
        plan, _ = load_plan(version.document, f"plan version {version.pk}")
        if plan is not None and plan.hold is not None:
            found[plan.hold].add(plan.code)
    return found


def _commission_lines(months: list[Period], runs: dict[str, CalculationRun],
                      plans: set[str]) -> dict[str, list[CommissionLine]]:
    """Payee → the commission attributed to each transaction in each month (a credit note's to its original)."""
    originals = dict(Transaction.objects.filter(kind=Transaction.Kind.CREDIT_NOTE, original__isnull=False)
                     .values_list("external_id", "original__external_id"))
    lines: dict[str, list[CommissionLine]] = defaultdict(list)
    for month in months:
        for (payee, deal), amount in sorted(deal_shares(runs[month.name].pk, month, plans).items()):
            if amount:
                lines[payee].append(CommissionLine(originals.get(deal, deal), month.name, amount))
    return lines


def _events(deals: set[str]) -> dict[str, TransactionEvents]:
    """What happened to each transaction: its invoice, the customer's payments, a cancellation."""
    found = {}
    paid: dict[int, list[tuple]] = defaultdict(list)
    for payment in CustomerPayment.objects.filter(transaction__external_id__in=deals).order_by("paid_on", "pk"):
        paid[payment.transaction_id].append((payment.paid_on, payment.amount))
    cancelled = {}
    for note in Transaction.objects.filter(original__external_id__in=deals).order_by("booked_date").values(
            "original_id", "booked_date", "amount", "original__amount"):
        if note["amount"] == -note["original__amount"]:
            cancelled.setdefault(note["original_id"], note["booked_date"])
    for t in Transaction.objects.filter(external_id__in=deals):
        payments = paid.get(t.pk) or ([(t.paid_date, t.amount)] if t.paid_date and t.amount > 0 else [])
        found[t.external_id] = TransactionEvents(t.external_id, abs(t.amount), t.invoiced_date, tuple(payments),
                                                 cancelled.get(t.pk))
    return found


def _label(policy: HoldPolicy, month: HoldMonth) -> str:
    until = "invoiced" if policy.until == "invoice" else "paid"
    parts = [f"{show_amount(month.earned)} earned", f"{show_amount(month.released)} released"]
    if month.forfeited:
        parts.append(f"{show_amount(month.forfeited)} forfeited on cancellation")
    return f"{HELD}{until} ({', '.join(parts)}, {show_amount(month.balance)} still held)"
