"""ASC 340-40 kept per paid month: the roll-forward and the journal read what each paid month did to deferred
commissions, instead of rebuilding every paid month's commissions from its earnings (`deferred.py` rebuilds
them, and stays the reference: tests/test_deferred_kept.py checks both give the same figures to the cent).
A cancellation follows the same rule as the reference: the clawback from a payee paid on the deal in several
months is shared once among the payee's open commissions on it, oldest first (`engine.accounting.impair_together`),
and each kept commission keeps its own share as `clawed_back`.

A paid month never changes (calculation is refused for it), so what it did is kept once, when it is paid
(`services._save`) or on first use: a `DeferredMonth` (the policy it was kept under, and what its credit
notes took back), a `KeptCommission` per commission it capitalised (the terms its schedule is made from;
its cancellation is set by the month the contract is cancelled in) and `DeferredMovement` totals per
currency, payee and kind (the roll-forward's figures). A month's figures depend on the months before it
(a later credit note cancels an earlier commission), so the kept months are always the calendar's first
paid months, in order: a month kept after a paid month not kept yet, or kept under another capitalisation
policy, is kept again. Commissions expensed at once (practical expedient) move no asset: none is kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q

from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.calc.models import Approval
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.payments.attribution import DealShares, LineageMissing, deal_shares
from attain.apps.payments.deferred import Payees, contracts, month_commissions, policy
from attain.apps.payments.models import DeferredMonth, DeferredMovement, KeptCommission
from attain.apps.sales.models import Transaction
from attain.engine.accounting import (
    AccountingError,
    CapitalisationPolicy,
    Chart,
    DeferredCommission,
    JournalEntry,
    Movement,
    RollForward,
    amortisation_entry,
    capitalise,
    deferred_entries,
    impair,
    impair_together,
    net_capitalised,
    roll_forward_of,
    scheduled_month,
)
from attain.engine.accounting.asc606 import first_of_month
from attain.engine.money import round_money
from attain.engine.periods import add_months

ZERO = Decimal(0)


@dataclass
class Open:
    """A kept commission not cancelled (yet): its terms, and where it is kept."""

    terms: DeferredCommission  # its schedule is not made: `scheduled_month` gives any month of it
    deal: str
    month_id: int
    position: int
    last_month: date


def keep_paid_month(period: Period) -> None:
    """Keep what the month just paid did to deferred commissions (and the paid months before it, if not kept);
    without the credits' lineage on this machine it is kept on first use instead."""
    try:
        kept_through(period)
    except LineageMissing:
        pass


def kept_through(until: Period) -> None:
    """Keep every paid month of the calendar up to `until` not kept yet (the first use after paying)."""
    months = _paid_months(until)
    chosen = policy()
    fingerprint = [chosen.practical_expedient, chosen.expected_renewal_months, chosen.expense_up_to_months]
    kept = dict(DeferredMonth.objects.filter(period__calendar=until.calendar).values_list("period_id", "policy"))
    start = next((i for i, (month, _) in enumerate(months) if kept.get(month.pk) != fingerprint), len(months))
    if start == len(months):
        return
    DeferredMonth.objects.filter(period__calendar=until.calendar,
                                 period__start_date__gte=months[start][0].start_date).delete()
    book = _Book(until, months[start][0], chosen)
    try:
        for month, run in months[start:]:
            with transaction.atomic():
                book.keep(month, run, fingerprint)
    except IntegrityError:  # kept at the same time by another command: read what it kept
        return


def _paid_months(until: Period) -> list[tuple[Period, int]]:
    """The calendar's paid or closed months up to `until` with their approved calculation run, in order."""
    months = list(Period.objects.filter(calendar=until.calendar, kind=Period.Kind.MONTH, state__in=BOOKED_STATES,
                                        end_date__lte=until.end_date).order_by("start_date"))
    runs = dict(Approval.objects.filter(period__in=months, state=Approval.State.APPROVED).values_list("period_id",
                                                                                                     "run_id"))
    return [(month, runs[month.pk]) for month in months if month.pk in runs]


class _Book:
    """The commissions kept and not cancelled, and what credit notes took back, while months are kept in order."""

    def __init__(self, until: Period, first: Period, chosen: CapitalisationPolicy) -> None:
        self.chosen = chosen
        self.open = open_commissions(until.calendar_id, first.start_date, cancelled_from=first.start_date,
                                     incurred_before=True)
        self.notes: list[dict[tuple[str, str], Decimal]] = [_note_shares(credit_notes) for credit_notes in (
            DeferredMonth.objects.filter(period__calendar=until.calendar, period__start_date__lt=first.start_date)
            .order_by("period__start_date").values_list("credit_notes", flat=True))]
        self.roundings: dict[str, tuple[int, str]] = {}

    def keep(self, month: Period, run: int, fingerprint: list) -> None:
        self.open = [x for x in self.open if x.last_month >= first_of_month(month.start_date)]
        shares = deal_shares(run, month)
        credit_notes = _credit_notes(shares)
        kept = DeferredMonth.objects.create(period=month, policy=fingerprint, credit_notes=[
            [payee, deal, str(amount)] for (payee, deal), amount in sorted(credit_notes.items())])
        self.notes.append(credit_notes)
        made = [(deal, x) for deal, x in month_commissions(month, shares, contracts({d for _, d in shares}),
                                                           Payees({p for p, _ in shares}), self.chosen)
                if x.capitalised]
        KeptCommission.objects.bulk_create([_kept(kept, i, deal, x) for i, (deal, x) in enumerate(made)],
                                           batch_size=500)
        self.open += [Open(x, deal, kept.pk, i, x.schedule[-1].month) for i, (deal, x) in enumerate(made)]
        cancelled = self._cancel(month, kept)
        DeferredMovement.objects.bulk_create([
            DeferredMovement(month=kept, currency_id=currency, payee=payee, kind=kind, amount=amount)
            for (currency, payee, kind), amount in self._moves(month, [x for _, x in made], cancelled).items()],
            batch_size=500)

    def _cancel(self, month: Period, kept: DeferredMonth) -> dict[tuple[int, int], DeferredCommission]:
        """The commissions a credit note booked in the month cancels (`deferred._cancelled`), kept as cancelled: the
        payee's open commissions on the deal share what the credit note took back once (`impair_together`), oldest
        first, and each keeps its share as its `clawed_back`."""
        notes = _full_credit_notes_in(month)
        together: dict[tuple[str, int], tuple[Transaction, list[Open]]] = {}
        for item in self.open:  # in the order paid: oldest first
            note = next((n for n in notes.get(item.deal, []) if n.booked_date >= item.terms.incurred_month), None)
            if note is not None:
                together.setdefault((item.terms.payee, note.pk), (note, []))[1].append(item)
        cancelled = {}
        for (payee, _), (note, items) in together.items():
            taken = -sum((shares.get((payee, note.external_id), ZERO) for shares in self.notes), ZERO)
            made = impair_together([made_again(item.terms, self.chosen) for item in items], note.booked_date,
                                   round_money(max(taken, ZERO), *items[0].terms.rounding))
            for item, one in zip(items, made, strict=True):
                KeptCommission.objects.filter(month_id=item.month_id, position=item.position).update(
                    cancelled_in=kept, cancelled_on=note.booked_date, clawed_back=one.cancellation.clawed_back)
                cancelled[(item.month_id, item.position)] = one
        self.open = [x for x in self.open if (x.month_id, x.position) not in cancelled]
        return cancelled

    def _moves(self, month: Period, made: list[DeferredCommission],
               cancelled: dict[tuple[int, int], DeferredCommission]) -> dict[tuple[str, str, str], Decimal]:
        """The month's movements of the asset, summed per currency, payee and kind: the commissions made or
        cancelled this month from their whole schedule, the others from the month's share of it."""
        first = first_of_month(month.start_date)
        totals: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
        whole = {x.contract_id: x for x in made} | {x.contract_id: x for x in cancelled.values()}
        for deferred in whole.values():
            for move in deferred.movements():
                if move.month == first:
                    totals[(deferred.currency, deferred.payee, move.kind)] += move.amount
        for item in self.open:
            if item.terms.contract_id in whole:
                continue
            step = _step(item.terms, first)
            if step is not None and step.amount:
                totals[(item.terms.currency, item.terms.payee, "amortised")] += step.amount
        return totals


def _kept(kept: DeferredMonth, position: int, deal: str, made: DeferredCommission) -> KeptCommission:
    return KeptCommission(month=kept, position=position, contract_id=made.contract_id, deal=deal, payee=made.payee,
                          currency_id=made.currency, commission=made.commission, contract_start=made.contract_start,
                          term_months=made.term_months, benefit_months=made.benefit_months,
                          incurred_on=made.incurred_on, last_month=made.schedule[-1].month)


def _credit_notes(shares: DealShares) -> dict[tuple[str, str], Decimal]:
    """The month's commission on credit notes (of an original line): what a cancellation's clawback sums."""
    notes = set(Transaction.objects.filter(external_id__in={deal for _, deal in shares}, original__isnull=False)
                .values_list("external_id", flat=True))
    return {key: amount for key, amount in shares.items() if key[1] in notes}


def _note_shares(kept: list) -> dict[tuple[str, str], Decimal]:
    return {(payee, deal): Decimal(amount) for payee, deal, amount in kept}


def _full_credit_notes_in(month: Period) -> dict[str, list[Transaction]]:
    """Deal line → the credit notes for the whole of it booked in the month, earliest first."""
    found: dict[str, list[Transaction]] = defaultdict(list)
    for note in Transaction.objects.filter(original__isnull=False, booked_date__gte=month.start_date,
                                           booked_date__lte=month.end_date).select_related("original").order_by(
            "booked_date", "pk"):
        if note.amount == -note.original.amount:
            found[note.original.external_id].append(note)
    return found


def made_again(terms: DeferredCommission, chosen: CapitalisationPolicy) -> DeferredCommission:
    """The kept commission with its schedule, as `capitalise` made it when its month was kept."""
    made = capitalise(terms.contract_id, terms.payee, terms.commission, terms.currency, terms.contract_start,
                      terms.term_months, chosen, incurred_on=terms.incurred_on, rounding=terms.rounding)
    if made.benefit_months != terms.benefit_months:
        raise AccountingError(f"contract {terms.contract_id}: kept over {terms.benefit_months} months, made again "
                              f"over {made.benefit_months}; the capitalisation policy changed while it was read")
    return made


def _step(terms: DeferredCommission, month: date):
    return scheduled_month(terms.commission, terms.contract_start, terms.benefit_months, terms.incurred_on, month,
                           terms.rounding[0])


def open_commissions(calendar_id: int, month: date, *, cancelled_from: date,
                     incurred_before: bool = False) -> list[Open]:
    """The kept commissions still amortising in `month` (any day of it), not cancelled before `cancelled_from`,
    in the order they were paid; kept in a month before `month` only, if `incurred_before`."""
    first = first_of_month(month)
    kept_in = Q(month__period__start_date__lt=first) if incurred_before else Q(month__period__start_date__lte=first)
    rows = KeptCommission.objects.filter(kept_in, month__period__calendar_id=calendar_id, last_month__gte=first).filter(
        Q(cancelled_in__isnull=True) | Q(cancelled_in__period__start_date__gte=cancelled_from)).order_by(
        "month__period__start_date", "position").values_list(
        "contract_id", "payee", "currency_id", "commission", "contract_start", "term_months", "benefit_months",
        "incurred_on", "deal", "month_id", "position", "last_month")
    roundings: dict[str, tuple[int, str]] = {}
    units: dict[str, Decimal] = {}
    found = []
    for contract_id, payee, currency, commission, start, term, benefit, incurred, deal, month_id, position, last in rows:
        if currency not in roundings:  # the commission was kept rounded: only its places to set
            roundings[currency] = currency_rounding(currency)
            units[currency] = Decimal(1).scaleb(-roundings[currency][0])
        rounding = roundings[currency]
        terms = DeferredCommission(contract_id, payee, currency, commission.quantize(units[currency]), start, term,
                                   benefit, incurred, True, "", (), rounding)
        found.append(Open(terms, deal, month_id, position, last))
    return found


def kept_roll_forward(first: Period, last: Period, by_payee: bool = False) -> list[RollForward]:
    """The deferred-commissions roll-forward from `first` to `last` (`engine.accounting.roll_forward`), read from
    the kept months (and, for months not paid in the window, the kept commissions' amortisation)."""
    kept_through(last)
    rows = DeferredMovement.objects.filter(month__period__calendar=last.calendar,
                                           month__period__end_date__lte=last.end_date).values_list(
        "currency_id", "payee", "kind", "amount", "month__period__start_date")
    places = {code: currency_rounding(code) for code in {row[0] for row in rows}}
    moves = [(currency, payee, Movement(first_of_month(start), kind, round_money(amount, *places[currency])))
             for currency, payee, kind, amount, start in rows]
    moves += _months_not_paid(last, {move.month for _, _, move in moves})
    return roll_forward_of(moves, first.start_date, last.end_date, by_payee)


def _months_not_paid(last: Period, kept: set[date]) -> list[tuple[str, str, Movement]]:
    """The amortisation of the kept commissions in the months, up to `last`, that no kept month covers (not paid
    yet, or between paid months)."""
    if not kept:
        return []
    moves, month, end = [], min(kept), first_of_month(last.start_date)
    while month <= end:
        if month not in kept:
            for item in open_commissions(last.calendar_id, month, cancelled_from=month, incurred_before=True):
                step = _step(item.terms, month)
                if step is not None and step.amount:
                    moves.append((item.terms.currency, item.terms.payee, Movement(month, "amortised", step.amount)))
        month = add_months(month, 1)
    return moves


def kept_capitalised(period: Period) -> dict[tuple[str, str], Decimal]:
    """(payee, currency) → what the journal capitalises with the payee's accrual in the paid month
    (`engine.accounting.capitalised_in`)."""
    kept_through(period)
    moves: dict[tuple[str, str], list[Movement]] = defaultdict(list)
    month = first_of_month(period.start_date)
    for currency, payee, kind, amount in DeferredMovement.objects.filter(month__period=period).values_list(
            "currency_id", "payee", "kind", "amount"):
        moves[(payee, currency)].append(Movement(month, kind, amount))
    return {key: round_money(net_capitalised(found, month), *currency_rounding(key[1]))
            for key, found in moves.items()}


def kept_entries(period: Period, chart: Chart) -> list[JournalEntry]:
    """The paid month's amortisation and impairment entries (`deferred_entries(..., include_accruals=False)`),
    in the order the commissions were paid."""
    kept_through(period)
    month, chosen = first_of_month(period.start_date), policy()
    cancelled = {contract: (on, clawed) for contract, on, clawed in KeptCommission.objects.filter(
        cancelled_in__period=period).values_list("contract_id", "cancelled_on", "clawed_back")}
    entries = []
    for item in open_commissions(period.calendar_id, month, cancelled_from=month):
        terms = item.terms
        if terms.contract_id in cancelled:
            cancelled_on, clawed_back = cancelled[terms.contract_id]
            made = impair(made_again(terms, chosen), cancelled_on, round_money(clawed_back, *terms.rounding))
            entries += [x for x in deferred_entries(made, chart, include_accruals=False)
                        if first_of_month(x.posted_on) == month]
            continue
        step = _step(terms, month)
        made = amortisation_entry(terms, step, chart) if step is not None else None
        entries += [made] if made is not None else []
    return entries

