"""ASC 340-40 / IFRS 15 in the application: the paid commissions on long contracts, capitalised and amortised.

Rebuilt from what was paid (the reports read what each paid month kept instead, `deferred_kept.py`, which
uses these functions month by month): for every paid or closed month,
each earning of its approved run is attributed to the deals its measure credited that month
(`engine/attribution.py`, from the run's lineage files), converted into the payee's currency at the
month-end rate as the payment was. A deal with contract dates is a contract: its commission is
capitalised when the period of benefit (the order's term + expected renewals) is longer than the policy's
months,
else expensed (practical expedient). A credit note for the whole of a deal, in a paid month, cancels
the contract: what that credit note took back is the clawback, the rest of the asset is impaired.
A payee paid commission on one deal in several months has one capitalised commission per month
(`deal/payee/month`); the clawback from that payee is counted once, shared among them oldest first
(`engine.accounting.impair_together`), never given whole to each. A commission fully amortised before
the cancellation month has nothing left to write off and is left as it is.
Prior-period adjustments, guarantees, plan caps and MBO lines have no deals: they are expensed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Min

from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.calc.models import Approval
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.org.models import Participant
from attain.apps.payments.attribution import DealShares, deal_shares
from attain.apps.payments.models import AccountingPolicy
from attain.apps.sales.models import Transaction
from attain.engine.accounting import CapitalisationPolicy, DeferredCommission, capitalise, impair_together
from attain.engine.accounting.asc606 import first_of_month
from attain.engine.money import round_money
from attain.engine.periods import whole_months_between

ZERO = Decimal(0)



def policy() -> CapitalisationPolicy:
    chosen = AccountingPolicy.objects.first()
    if chosen is None:
        return CapitalisationPolicy()
    return CapitalisationPolicy(chosen.practical_expedient, chosen.expected_renewal_months, chosen.expense_up_to_months)


def deferred_commissions(until: Period) -> list[DeferredCommission]:
    """Every contract commission paid in the calendar's paid or closed months up to `until`, with its schedule.

    Rebuilt from the earnings of every paid month: the reports read what each paid month kept instead
    (`deferred_kept.py`); this is the reference they are tested against."""
    months = list(Period.objects.filter(calendar=until.calendar, kind=Period.Kind.MONTH, state__in=BOOKED_STATES,
                                        end_date__lte=until.end_date).order_by("start_date"))
    runs = dict(Approval.objects.filter(period__in=months, state=Approval.State.APPROVED).values_list("period_id",
                                                                                                     "run_id"))
    paid = {month: deal_shares(runs[month.pk], month) for month in months if month.pk in runs}
    deals = contracts({deal for shares in paid.values() for _, deal in shares})
    payees = Payees({payee for shares in paid.values() for payee, _ in shares})
    notes = _full_credit_notes([contract for contract, _, _ in deals.values()])
    chosen, found = policy(), []
    for month, shares in paid.items():
        found += month_commissions(month, shares, deals, payees, chosen)
    return _cancelled(found, {deal: notes.get(deals[deal][0].pk, []) for deal, _ in found}, paid)


class Payees:
    """The payees' currencies and their roundings, read once."""

    def __init__(self, payees: set[str]) -> None:
        self.currencies = dict(Participant.objects.filter(employee_id__in=payees).values_list("employee_id",
                                                                                               "currency_id"))
        self.roundings = {code: currency_rounding(code) for code in set(self.currencies.values())}


def month_commissions(month: Period, shares: DealShares, deals: dict[str, tuple[Transaction, date, date]],
                      payees: Payees, chosen: CapitalisationPolicy) -> list[tuple[str, DeferredCommission]]:
    """The month's commissions on contracts as [(deal, commission)], capitalised or expensed, in the journal's
    order (payee, then deal)."""
    made = []
    for (payee, deal), amount in sorted(shares.items()):
        if deal not in deals or amount <= 0 or deals[deal][0].kind == Transaction.Kind.CREDIT_NOTE:
            continue
        _, start, end = deals[deal]
        term = whole_months_between(start, end + timedelta(days=1))
        currency = payees.currencies[payee]
        made.append((deal, capitalise(f"{deal}/{payee}/{month.name}", payee, amount, currency, start, max(term, 1),
                                      chosen, incurred_on=month.end_date, rounding=payees.roundings[currency])))
    return made


def contracts(deals: set[str]) -> dict[str, tuple[Transaction, date, date]]:
    """The deals with contract dates, by external id, with their contract's first and last day.

    A contract is the order: the lines of one order number (a multi-year deal booked as a line per
    year) share one contract, from the earliest line's start to the latest line's end.
    """
    lines = {t.external_id: t for t in Transaction.objects.filter(
        external_id__in=deals, contract_start__isnull=False, contract_end__isnull=False)}
    orders = {t.order_number for t in lines.values() if t.order_number}
    spans = {row["order_number"]: (row["start"], row["end"]) for row in Transaction.objects.filter(
        order_number__in=orders, contract_start__isnull=False).exclude(kind=Transaction.Kind.CREDIT_NOTE).values(
        "order_number").annotate(start=Min("contract_start"), end=Max("contract_end"))}
    return {deal: (t, *spans.get(t.order_number, (t.contract_start, t.contract_end))) for deal, t in lines.items()}


def _full_credit_notes(contracts: list[Transaction]) -> dict[int, list[Transaction]]:
    """Contract line id → the credit notes for the whole of it (a cancellation), earliest first."""
    amounts = {t.pk: t.amount for t in contracts}
    found: dict[int, list[Transaction]] = defaultdict(list)
    for note in Transaction.objects.filter(original_id__in=amounts).order_by("booked_date", "pk"):
        if note.amount == -amounts[note.original_id]:
            found[note.original_id].append(note)
    return found


def _cancelled(found: list[tuple[str, DeferredCommission]], notes: dict[str, list[Transaction]],
               paid: dict[Period, DealShares]) -> list[DeferredCommission]:
    """The commissions, in the order found (oldest first), with the cancellations of their deals: a credit note for
    the whole deal, taken into a paid month, cancels the payee's commissions on it; what it took back from the payee
    is the clawback, shared once among them (`impair_together`), and the rest of their asset is impaired."""
    together: dict[tuple[str, int], tuple[Transaction, list[int]]] = {}
    for i, (deal, made) in enumerate(found):
        note = _cancelling(made, notes[deal], paid)
        if note is not None:
            together.setdefault((made.payee, note.pk), (note, []))[1].append(i)
    result = [made for _, made in found]
    for (payee, _), (note, positions) in together.items():
        taken = -sum((shares.get((payee, note.external_id), ZERO) for shares in paid.values()), ZERO)
        commissions = [result[i] for i in positions]
        pool = round_money(max(taken, ZERO), *commissions[0].rounding)
        for i, made in zip(positions, impair_together(commissions, note.booked_date, pool), strict=True):
            result[i] = made
    return result


def _cancelling(made: DeferredCommission, notes: list[Transaction], paid: dict[Period, DealShares]) -> Transaction | None:
    """The credit note that cancels a capitalised commission: the first for the whole deal booked in a paid month,
    not before the month the commission was incurred; None when there is none, or when the commission was fully
    amortised before that month (nothing left to write off: the kept months leave it as it is too)."""
    if not made.capitalised:
        return None
    for note in notes:
        month = next((m for m in paid if m.start_date <= note.booked_date <= m.end_date), None)
        if month is not None and note.booked_date >= made.incurred_on.replace(day=1):
            return note if made.schedule[-1].month >= first_of_month(note.booked_date) else None
    return None
