"""A paid month's payroll files and journal entries, from its stored payments.

Both read the same `Payment` rows as the statements, so statement payment = payroll line = ledger
payable for every payee (tests/test_payments_exports.py checks it on every payee of a year).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record
from attain.apps.calc.services import find_period
from attain.apps.core.models import Period
from attain.apps.core.services import currency_rounding
from attain.apps.payments.deferred_kept import kept_capitalised, kept_entries
from attain.apps.payments.holding import HELD
from attain.apps.payments.models import AccountingPolicy, Payment, PaymentRun
from attain.engine.accounting import Chart, JournalEntry, payment_entries
from attain.engine.accounting.journal import entry
from attain.engine.exports.payroll import PayrollRow, split_by, write_payroll_csv
from attain.engine.exports.payroll_layouts import layout_named
from attain.engine.money import round_money
from attain.engine.payments import PaymentLine

ZERO = Decimal(0)
JOURNAL_COLUMNS = ("entry_id", "posted_on", "period", "kind", "account_code", "account_name", "debit", "credit",
                   "currency", "payee", "memo")


class ExportError(ValueError):
    """Nothing exported; the message says why and how to fix it."""


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int


def paid_payments(period: Period) -> list[Payment]:
    """The payments of the month's latest payment run (the month must be paid or closed)."""
    if period.state not in (Period.State.PAID, Period.State.CLOSED):
        raise ExportError(f"{period.name} is {period.state}: payroll and journal entries are exported once it is "
                          f"paid (attain pay {period.name})")
    run = PaymentRun.objects.filter(period=period, status=PaymentRun.Status.SUCCEEDED).order_by("-created_at").first()
    return list(run.payments.select_related("participant", "currency").order_by("participant__employee_id"))


def payroll_rows(period: Period, pay_date: date, earning_code: str = "COMM") -> list[PayrollRow]:
    """One row per payee paid something (a zero payment is not sent to payroll)."""
    return [PayrollRow(p.participant.employee_id, f"{p.participant.first_name} {p.participant.last_name}",
                       p.participant.pay_group or "DEFAULT", pay_date, earning_code, _paid(p), p.currency_id, period.name,
                       f"attain payment {p.pk}") for p in paid_payments(period) if p.paid]


def export_payroll(name: str, out: Path, *, layout: str = "attain", pay_date: date | None = None,
                   earning_code: str = "COMM", settings: dict | None = None) -> list[Written]:
    """Write one payroll CSV per pay group and pay date into the folder `out`."""
    period = find_period(name)
    rows = payroll_rows(period, pay_date or period.end_date, earning_code)
    chosen = layout_named(layout)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for part in split_by(rows):
        units = {r.currency: currency_rounding(r.currency)[0] for r in part.rows}
        path = out / part.name
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_payroll_csv(part.rows, chosen, stream, settings or {}, minor_units=units)
        written.append(Written(path, len(part.rows)))
    record(AuditEntry.Action.EXPORTED, period, after={"payroll": [f"{w.path.name}: {w.rows} rows" for w in written],
                                                      "layout": layout, "pay_date": str(pay_date or period.end_date)})
    return written


def journal_entries(name: str, chart: Chart | None = None) -> list[JournalEntry]:
    """The month's entries: each payee's accrual and settlement (posted on the month's last day), with the
    commissions capitalised that month, and the amortisation and impairment of deferred commissions (read from
    what the paid months kept: `deferred_kept.py`)."""
    period = find_period(name)
    chart = chart or policy_chart()
    payments = paid_payments(period)
    capitalised = kept_capitalised(period)
    entries = []
    for payment in payments:
        payee, currency = payment.participant.employee_id, payment.currency_id
        rounding = currency_rounding(currency)
        entries += payment_entries(payee, period.name, period.end_date, _line(payment), currency, chart,
                                   capitalised=capitalised.get((payee, currency), ZERO), rounding=rounding)
        entries += _hold_entry(payment, period, chart, rounding)
    return entries + kept_entries(period, chart)


def _hold_entry(payment: Payment, period: Period, chart: Chart, rounding: tuple[int, str]) -> list[JournalEntry]:
    """Commission held this month is an expense when earned and stays owed (accrued) until released.

    The payment's gross already leaves the held part out (its hold adjustment is negative), so this entry
    books it: Dr commission expense / Cr accrued commissions. In a month that releases more than it holds
    the entry is the mirror, and the release in the gross is expensed only once overall.
    """
    held = -sum((Decimal(line["amount"]) for line in payment.adjustment_lines if line["label"].startswith(HELD)),
                Decimal(0))
    amount = round_money(held, *rounding)
    made = entry(f"hold:{payment.participant.employee_id}:{period.name}", period.end_date, period.name, "hold",
                 "commission held until invoiced or paid (an expense, owed when released)", payment.currency_id,
                 [(chart.commission_expense.code, amount, "commission held"),
                  (chart.accrued_commissions.code, -amount, "commission held")],
                 payment.participant.employee_id, rounding[0])
    return [made] if made is not None else []


def policy_chart() -> Chart:
    """The accounts of the accounting policy (admin), or the default chart."""
    chosen = AccountingPolicy.objects.first()
    return Chart.load(chosen.chart) if chosen is not None and chosen.chart else Chart()


def write_journal_csv(entries: list[JournalEntry], path: Path, chart: Chart | None = None) -> Written:
    names = cache((chart or policy_chart()).name_of)  # a few accounts, many lines
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(JOURNAL_COLUMNS)
        for entry in entries:
            for line in entry.lines:
                writer.writerow([entry.entry_id, entry.posted_on.isoformat(), entry.period, entry.kind,
                                 line.account_code, names(line.account_code), line.debit or "", line.credit or "",
                                 entry.currency, line.payee or "", line.memo])
                count += 1
    return Written(path, count)


def _line(payment: Payment) -> PaymentLine:
    """The engine's payment line, as the pay run stored it."""
    return PaymentLine(payment.period.name, payment.earned, payment.adjustments, payment.draw_top_up,
                       payment.recovered, payment.forgiven, payment.owed, payment.draw_owed, payment.precise,
                       _paid(payment), became_owed=payment.became_owed, recovered_owed=payment.recovered_owed,
                       recovered_draw=payment.recovered_draw, draw_advanced=payment.draw_advanced,
                       steps=tuple(payment.explanation.split("; ")), report=payment.report)


def _paid(payment: Payment) -> Decimal:
    """The payment in the currency's minor units (the column keeps 4 places; the amount was rounded once)."""
    return round_money(payment.paid, payment.currency.minor_units, payment.currency.rounding)
