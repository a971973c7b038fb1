"""A payee's statement for a paid month: earnings by component, adjustments, draws, balances, payment, year to date.

Built from what was stored — the month's payment and the lines of the approved calculation run it
paid — so it always agrees with the payroll export and the ledger (all three read the same payment).
Detail lines are shown rounded so that they add up to the rounded totals (largest remainder, DOMAIN
§3.9); the precise amounts are kept beside them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from attain.apps.calc.models import Earning
from attain.apps.calc.services import find_period
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.org.models import Participant
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.payments.services import PRIOR_PERIOD
from attain.engine.money import allocate_rounding, round_money

ZERO = Decimal(0)


class StatementError(LookupError):
    """No statement: the message says why."""


@dataclass(frozen=True)
class StatementLine:
    label: str
    amount: Decimal  # rounded for display; the lines of a section add up to its rounded total
    precise: Decimal
    currency: str
    explanation: str = ""
    earning_ids: tuple[int, ...] = ()  # the earning lines it adds up (none for a manual adjustment)


@dataclass(frozen=True)
class Statement:
    participant: Participant
    period: str
    payment: Payment
    earnings: tuple[StatementLine, ...]  # per plan and component, in the plan's currency
    adjustments: tuple[StatementLine, ...]  # prior-period adjustments, per month corrected
    manual: tuple[StatementLine, ...]  # manual adjustments, in the payee's currency
    year_to_date: dict[str, Decimal]  # earned, adjustments, paid (rounded, payee currency)
    lines: tuple[Earning, ...] = ()  # the earning lines behind the sections, as loaded (see StatementLine.earning_ids)

    @property
    def currency(self) -> str:
        return self.payment.currency_id

    @property
    def paid(self) -> Decimal:
        return self.payment.paid


def statement(who: str | Participant, period: str | Period) -> Statement:
    """The statement of a participant (employee id, or the participant loaded) for a paid month (name, or the
    period loaded)."""
    period = period if isinstance(period, Period) else find_period(period)
    participant = who if isinstance(who, Participant) else Participant.objects.filter(employee_id=who).first()
    if participant is None:
        raise StatementError(f"there is no participant {who!r}: name one by employee id")
    payment = (Payment.objects.filter(participant=participant, period=period, run__status=PaymentRun.Status.SUCCEEDED)
               .select_related("run", "currency").order_by("-run__created_at").first())
    if payment is None:
        raise StatementError(f"{participant} has no payment for {period.name}: the month is {period.state}; a "
                             "statement is made when the month is paid")
    run_id = payment.run.calculation_runs[period.name]
    lines = list(Earning.objects.filter(run_id=run_id, participant=participant, period=period)
                 .select_related("plan_version__plan", "for_period").order_by("kind", "for_period__start_date",
                                                                               "plan_version__plan__code", "component",
                                                                               "pk"))
    earnings = _section([e for e in lines if e.kind == Earning.Kind.EARNING], _component_label)
    adjustments = _section([e for e in lines if e.kind == Earning.Kind.PRIOR_PERIOD], _adjustment_label)
    return Statement(participant, period.name, payment, earnings, adjustments, _manual(payment),
                     _year_to_date(participant, period), tuple(lines))


def _manual(payment: Payment) -> tuple[StatementLine, ...]:
    lines = [line for line in payment.adjustment_lines if not line["label"].startswith(PRIOR_PERIOD)]
    precise = [Decimal(line["amount"]) for line in lines]
    rounded = allocate_rounding(precise, *currency_rounding(payment.currency_id))
    return tuple(StatementLine(line["label"].capitalize(), amount, exact, payment.currency_id)
                 for line, exact, amount in zip(lines, precise, rounded, strict=True))


def _component_label(line: Earning) -> str:
    return f"{line.plan_version.plan.code} {line.component}"


def _adjustment_label(line: Earning) -> str:
    return f"Prior-period adjustment for {line.for_period.name}: {line.plan_version.plan.code} {line.component}"


def _section(lines: list[Earning], label) -> tuple[StatementLine, ...]:
    """The lines grouped by label and currency, rounded per currency so they add up to the rounded total."""
    grouped: dict[tuple[str, str], list[Earning]] = defaultdict(list)
    for line in lines:
        grouped[(line.currency_id, label(line))].append(line)
    shown = []
    for currency in sorted({c for c, _ in grouped}):
        keys = [k for k in grouped if k[0] == currency]
        precise = [sum((e.amount for e in grouped[k]), ZERO) for k in keys]
        rounded = allocate_rounding(precise, *currency_rounding(currency))
        for key, exact, amount in zip(keys, precise, rounded, strict=True):
            text = " ".join(e.explanation for e in grouped[key])
            shown.append(StatementLine(key[1], amount, exact, currency, text, tuple(e.pk for e in grouped[key])))
    return tuple(shown)


def _year_to_date(participant: Participant, period) -> dict[str, Decimal]:
    """Earned, adjustments and paid in the fiscal year up to the month (the latest payment of each month)."""
    latest: dict[int, Payment] = {}
    for payment in Payment.objects.filter(participant=participant, period__fiscal_year=period.fiscal_year,
                                          period__calendar=period.calendar, period__end_date__lte=period.end_date,
                                          run__status=PaymentRun.Status.SUCCEEDED).order_by("run__created_at"):
        latest[payment.period_id] = payment
    rounding = currency_rounding(participant.currency_id)
    return {"earned": round_money(sum((p.earned for p in latest.values()), ZERO), *rounding),
            "adjustments": round_money(sum((p.adjustments for p in latest.values()), ZERO), *rounding),
            "paid": round_money(sum((p.paid for p in latest.values()), ZERO), *rounding)}
