"""Paying a month: the year's calculated earnings → the engine's payment lines → one stored payment run.

A month is paid once it is approved, after the earlier months of its fiscal year are paid. Each
participant's months of the fiscal year, up to the month paid, are replayed through
`attain.engine.payments.pay_periods` with their draw agreements (one after another, each counted for
the days it covers in a month it starts or ends in): earnings come from the approved
calculation run of each month (prior-period adjustments shown apart), so a payment is reproducible
from the runs it names. Only the month paid is stored, and the month becomes paid: its results never
change again. Payments are in the participant's currency: each month's earnings
are converted at the rate of the month's last day (the latest rate on or before it), exactly, and
the payment is rounded once in that currency.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record
from attain.apps.calc.computed import BOOKED_STATES
from attain.apps.calc.fx import Converter, MissingRate
from attain.apps.calc.locking import PeriodBusy, period_lock
from attain.apps.calc.models import Approval, CalculationRun, Earning
from attain.apps.calc.services import find_period
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.org.models import Participant
from attain.apps.payments.acceptance_holds import acceptance_adjustments
from attain.apps.payments.adjustments import adjustments_in
from attain.apps.payments.deferred_kept import keep_paid_month
from attain.apps.payments.holding import hold_adjustments
from attain.apps.payments.models import DrawAgreement, Payment, PaymentRun, RecoveryLimit, overlap_message
from attain.engine.money import plain, show_amount
from attain.engine.payments import Draw, Opening, PaymentLine, PeriodDue, pay_periods
from attain.engine.periods import active_days, days_inclusive

ZERO = Decimal(0)
PRIOR_PERIOD = "prior-period adjustment for "  # the label of a prior-period adjustment in a payment


class PaymentError(ValueError):
    """The month cannot be paid; the message says why and how to fix it."""


def pay_period(name: str, *, user=None) -> PaymentRun:
    """Compute and store what every participant is paid for the month `name`, in the participant's currency."""
    period = find_period(name)
    try:
        with period_lock(period):
            return _pay(period, user)
    except PeriodBusy as busy:
        raise PaymentError(str(busy)) from None


def close_period(name: str, *, user=None) -> Period:
    """Close a paid month (after the earlier months of its fiscal year): nothing in it changes again."""
    period = find_period(name)
    if period.state != Period.State.PAID:
        raise PaymentError(f"{period.name} is {period.state}: a month is closed once it is paid")
    earlier = _earlier_months(period).exclude(state=Period.State.CLOSED)
    if earlier.exists():
        raise PaymentError(f"close the earlier months of FY{period.fiscal_year} first: "
                           f"{', '.join(earlier.values_list('name', flat=True))}")
    with transaction.atomic():
        Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
        record(AuditEntry.Action.CLOSED, period, user=user, before={"state": period.state},
               after={"state": Period.State.CLOSED})
    period.refresh_from_db()
    return period


def _pay(period: Period, user) -> PaymentRun:
    if period.state != Period.State.APPROVED:
        raise PaymentError(f"{period.name} is {period.state}: a month is paid once its results are approved "
                           f"(attain period submit {period.name}, then approve)" if period.state in ("open", "calculated")
                           else f"{period.name} is {period.state}: it was paid already")
    unpaid = _earlier_months(period).exclude(state__in=BOOKED_STATES)
    if unpaid.exists():
        raise PaymentError(f"pay the earlier months of FY{period.fiscal_year} first: "
                           f"{', '.join(unpaid.values_list('name', flat=True))}")
    months = list(Period.objects.filter(calendar=period.calendar, kind="month", fiscal_year=period.fiscal_year,
                                        end_date__lte=period.end_date).order_by("start_date"))
    runs = _calculation_runs(months)
    draws = _draws(months)
    earnings = _earnings(runs)
    adjusted = adjustments_in(months, Participant.objects.values("pk"))  # manual adjustments, then holds
    for key, held in hold_adjustments(months, runs).items():
        adjusted[key] = adjusted.get(key, []) + held
    for key, held in acceptance_adjustments(months, runs).items():  # plan documents not accepted (portal)
        adjusted[key] = adjusted.get(key, []) + held
    opening = brought_forward(period)
    paid = set(earnings) | set(draws) | {pid for pid, _ in adjusted} | set(opening)
    people = {p.pk: p for p in Participant.objects.filter(pk__in=paid).prefetch_related("leaves")}
    limits = recovery_limits()
    currencies: dict[str, tuple[Converter, tuple[int, str]]] = {}  # read once per payee currency
    lines = []
    for pid in sorted(people):
        participant, code = people[pid], people[pid].currency_id
        if code not in currencies:
            currencies[code] = (Converter(code), currency_rounding(code))
        converter, rounding = currencies[code]
        earned, notes = _in_currency(earnings.get(pid, {}), converter, months)
        dues = [_due(m, earned.get(m.name, {}), participant, adjusted.get((pid, m.name), [])) for m in months]
        line = pay_periods(dues, _engine_draws(draws.get(pid, []), participant, months), rounding=rounding,
                           recovery_cap=limits.get(pid, limits.get(code)), opening=opening.get(pid))[-1]
        lines.append((participant, code, line, notes.get(period.name, ""), dues[-1].adjustments))
    return _save(period, runs, lines, user)


def brought_forward(period: Period) -> dict[int, Opening]:
    """Participant → the balances their last payment before the fiscal year left (owed, draw owed, and the
    rounding carried: Σ precise − Σ paid of every month paid before), for those with any."""
    earlier = Payment.objects.filter(period__calendar=period.calendar, period__kind="month",
                                     period__fiscal_year__lt=period.fiscal_year,
                                     run__status=PaymentRun.Status.SUCCEEDED).order_by("period__start_date",
                                                                                       "run__created_at")
    latest: dict[tuple[int, int], Payment] = {}
    for payment in earlier.only("participant_id", "period_id", "owed", "draw_owed", "precise", "paid"):
        latest[(payment.participant_id, payment.period_id)] = payment  # a month paid again: its latest run
    opening: dict[int, Opening] = {}
    for (pid, _), payment in latest.items():  # in month order: the last one per participant wins the balances
        residue = (opening[pid].residue if pid in opening else ZERO) + payment.precise - payment.paid
        opening[pid] = Opening(payment.owed, payment.draw_owed, residue)
    return {pid: o for pid, o in opening.items() if o.owed or o.draw_owed or o.residue}


def recovery_limits() -> dict[int | str, Decimal]:
    """Participant id → their monthly recovery limit, and currency code → the default for everyone paid in it."""
    return {limit.participant_id or limit.currency_id: limit.amount for limit in RecoveryLimit.objects.all()}


def _earlier_months(period: Period):
    return Period.objects.filter(calendar=period.calendar, kind="month", fiscal_year=period.fiscal_year,
                                 end_date__lt=period.start_date).order_by("start_date")


def _calculation_runs(months: list[Period]) -> dict[str, CalculationRun]:
    """Month name → its approved calculation run (the results finance approved)."""
    approved = {a.period_id: a.run for a in Approval.objects.filter(
        period__in=months, state=Approval.State.APPROVED).select_related("run")}
    missing = [m.name for m in months if m.pk not in approved]
    if missing:
        raise PaymentError(f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no approved calculation: "
                           f"payments replay the year's months, so approve them first (attain period submit "
                           f"{missing[0]})")
    return {m.name: approved[m.pk] for m in months}


def _earnings(runs: dict[str, CalculationRun]) -> dict[int, dict[str, dict[tuple[str, str], Decimal]]]:
    """participant id → month → (currency, the month the line is for) → precise sum (in Python: exact)."""
    found = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    rows = Earning.objects.filter(run__in=runs.values()).values_list(
        "participant_id", "currency_id", "period__name", "for_period__name", "amount", "run_id")
    chosen = {run.pk: name for name, run in runs.items()}
    for participant, currency, month, for_month, amount, run in rows:
        if chosen[run] == month:  # a run keeps only its own month's lines
            found[participant][month][(currency, for_month)] += amount
    return found


def _due(month: Period, earned: dict[str, Decimal], participant: Participant,
         adjusted: list[tuple[str, Decimal]]) -> PeriodDue:
    """The month's own earnings; each earlier month's prior-period adjustment, each manual adjustment and the
    holds apart."""
    own = earned.get(month.name, ZERO)
    adjustments = tuple((f"{PRIOR_PERIOD}{name}", amount) for name, amount in sorted(earned.items())
                        if name != month.name)
    return PeriodDue(month.name, own, adjustments + tuple(adjusted), terminated=_terminated_in(participant, month))


def _in_currency(by_month: dict[str, dict[tuple[str, str], Decimal]], converter: Converter, months: list[Period]):
    """The months' lines in the payee's currency, each at the rate of the month's last day; and how.

    Returns month → the month the lines are for → amount, and month → the conversion in words.
    """
    ends = {m.name: m.end_date for m in months}
    earned, notes = {}, {}
    for month, by_currency in by_month.items():
        total, how = defaultdict(Decimal), []
        for (currency, for_month), amount in sorted(by_currency.items()):
            try:
                rate = converter.rate(currency, ends[month])
            except MissingRate as missing:
                raise PaymentError(str(missing)) from None
            total[for_month] += amount * rate
            if currency != converter.target:
                how.append(f"{show_amount(amount)} {currency} at {plain(rate)} on {ends[month]}")
        earned[month] = dict(total)
        notes[month] = f"earnings in {converter.target}: {'; '.join(how)}" if how else ""
    return earned, notes


def _draws(months: list[Period]) -> dict[int, list[DrawAgreement]]:
    """The draw agreements of each participant that overlap the months, in order; they must not overlap."""
    start, end = months[0].start_date, months[-1].end_date
    found: dict[int, list[DrawAgreement]] = defaultdict(list)
    for draw in DrawAgreement.objects.filter(valid_from__lte=end).exclude(valid_to__lt=start).select_related(
            "participant").order_by("participant", "valid_from", "pk"):
        earlier = found[draw.participant_id]
        if earlier and (earlier[-1].valid_to is None or earlier[-1].valid_to >= draw.valid_from):
            raise PaymentError(overlap_message(earlier[-1], draw))
        earlier.append(draw)
    return found


def _engine_draws(agreements: list[DrawAgreement], participant: Participant, months: list[Period]) -> list[Draw]:
    """The agreements in the engine's terms: months named by period, within the months replayed, and the days
    each pays for in a month it covers only in part, or the payee is not active every day of."""
    return [_engine_draw(draw, participant, months) for draw in agreements]


def _engine_draw(draw: DrawAgreement, participant: Participant, months: list[Period]) -> Draw:
    if draw.currency_id != participant.currency_id:
        raise PaymentError(f"the draw of {participant} is in {draw.currency_id}, but {participant} is paid in "
                           f"{participant.currency_id}: give the draw in the payee's currency")
    recovery_later = draw.recovery_from is not None and draw.recovery_from > months[-1].end_date
    return Draw(draw.amount, draw.recoverable, _month_of(draw.valid_from, months), _month_of(draw.valid_to, months),
                None if recovery_later else _month_of(draw.recovery_from, months),
                ZERO if recovery_later else draw.max_recovery,  # recovery starts after these months: none yet
                draw.forgive_at_end, _days_paid(draw, participant, months), f"draw agreement {draw.pk}")


def _month_of(day: date | None, months: list[Period]) -> str | None:
    """The month holding `day`; None when the day is empty or outside the months (an open end)."""
    return next((m.name for m in months if day is not None and m.start_date <= day <= m.end_date), None)


def _days_paid(draw: DrawAgreement, participant: Participant, months: list[Period]) -> tuple[tuple[str, int, int], ...]:
    """(month, days paid for, days in the month) for each month the agreement pays only in part: the days it
    covers on which the payee was active (hired, not yet left, not on a leave that prorates), both ends counted."""
    away = [(leave.start_date, leave.end_date) for leave in participant.leaves.all() if leave.prorate]
    found = []
    for month in months:
        first, last = max(month.start_date, draw.valid_from), min(month.end_date, draw.valid_to or month.end_date)
        if first > last:
            continue
        total = days_inclusive(month.start_date, month.end_date)
        paid = active_days(first, last, participant.hire_date, participant.termination_date, away)
        if paid != total:
            found.append((month.name, paid, total))
    return tuple(found)


def _terminated_in(participant: Participant, month: Period) -> bool:
    day = participant.termination_date
    return day is not None and month.start_date <= day <= month.end_date


@transaction.atomic
def _save(period: Period, runs: dict[str, CalculationRun], lines: list[tuple], user) -> PaymentRun:
    Period.objects.filter(pk=period.pk).update(state=Period.State.PAID)
    run = PaymentRun.objects.create(period=period, created_by=user,
                                    calculation_runs={name: r.pk for name, r in runs.items()})
    Payment.objects.bulk_create([_payment(run, period, *line) for line in lines], batch_size=500)
    run.reports = [f"{participant}: {line.report}" for participant, _, line, *_ in lines if line.report]
    run.counts = {"payments": len(lines), "participants": len(lines)}
    run.save()
    record(AuditEntry.Action.PAID, run, user=user, before={"state": period.state},
           after={"state": Period.State.PAID, "calculation_runs": run.calculation_runs, "counts": run.counts,
                  "paid": {code: str(total) for code, total in _totals(lines).items()}})
    keep_paid_month(period)
    return run


def _totals(lines: list[tuple]) -> dict[str, Decimal]:
    """The paid amounts per currency (rounded payments add up exactly)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _, currency, line, *_ in lines:
        totals[currency] += line.paid
    return dict(sorted(totals.items()))


def _payment(run: PaymentRun, period: Period, participant: Participant, currency: str, line: PaymentLine,
             note: str, adjusted: tuple[tuple[str, Decimal], ...]) -> Payment:
    explanation = f"{note}; {line.explain()}" if note else line.explain()
    return Payment(run=run, participant=participant, period=period, currency_id=currency, earned=line.earned,
                   adjustments=line.adjustments, draw_top_up=line.draw_top_up, recovered=line.recovered,
                   forgiven=line.forgiven, owed=line.owed, draw_owed=line.draw_owed, precise=line.precise,
                   paid=line.paid, became_owed=line.became_owed, recovered_owed=line.recovered_owed,
                   recovered_draw=line.recovered_draw, draw_advanced=line.draw_advanced,
                   adjustment_lines=[{"label": label, "amount": plain(amount)} for label, amount in adjusted],
                   explanation=explanation, report=line.report)
