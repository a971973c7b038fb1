"""Plain-language explanation of a participant's earnings in a period (for the CLI and the web app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from attain.apps.calc.lineage import read_lineage
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.calc.services import CalculationError, find_period
from attain.apps.org.models import Participant
from attain.engine.money import allocate_rounding, round_money, show_amount
from attain.engine.plans import load_plan


@dataclass
class EarningsExplanation:
    participant: str
    period: str
    run: int | None
    currency: str = ""
    total: Decimal = Decimal(0)
    lines: list[tuple[str, Decimal, str]] = field(default_factory=list)  # component, shown amount, explanation

    def text(self) -> str:
        if self.run is None:
            return f"{self.participant} has no calculated earnings for {self.period}."
        body = [f"{self.participant}, {self.period} (run {self.run}):"]
        body += [f"- {component}: {show_amount(amount)} {self.currency}. {why}" for component, amount, why in self.lines]
        body.append(f"Total {show_amount(self.total)} {self.currency}.")
        return "\n".join(body)


def find_participant(key: str) -> Participant:
    found = Participant.objects.filter(Q(employee_id__iexact=key) | Q(user__username__iexact=key)).first()
    if found is None:
        raise CalculationError(f"there is no participant with employee id or login {key!r}")
    return found


def explain_earnings(participant_key: str, period_name: str) -> EarningsExplanation:
    participant, period = find_participant(participant_key), find_period(period_name)
    run = CalculationRun.objects.filter(period=period, status=CalculationRun.Status.SUCCEEDED).first()
    explanation = EarningsExplanation(participant.name, period.name, run.pk if run else None)
    if run is None:
        return explanation
    earnings = list(Earning.objects.filter(run=run, participant=participant).select_related(
        "currency", "participant", "period", "plan_version__plan"))
    if not earnings:
        return explanation
    precise = [e.amount for e in earnings]
    currency = earnings[0].currency
    shown = allocate_rounding(precise, currency.minor_units, currency.rounding)
    explanation.currency = currency.code
    explanation.total = round_money(sum(precise, Decimal(0)), currency.minor_units, currency.rounding)
    plans = {e.plan_version_id: load_plan(e.plan_version.document)[0] for e in earnings}  # each parsed once
    explanation.lines = [(e.component, amount, f"{e.explanation}. {_sources(run, e, plans[e.plan_version_id])}")
                         for e, amount in zip(earnings, shown, strict=True)]
    return explanation


def _sources(run: CalculationRun, earning: Earning, plan) -> str:
    """Which plan version (with its dates) and which credits and transactions made this earning."""
    version = earning.plan_version
    text = f"Plan {version.plan.code} version {version.version} (valid {version.span().describe()})"
    component = next((c for c in plan.components if c.name == earning.component), None) if plan else None
    if component is None or component.measure is None:  # the plan's cap or guarantee line, or an MBO component
        return text + "."
    period = earning.period
    found = read_lineage(run.pk, plan.code, earning.participant.employee_id, component.measure, period.start_date,
                         period.end_date)
    if found is None:
        return text + "; the credits of this run were not kept."
    largest = ", ".join(f"{c.external_id} {show_amount(c.value)} ({c.rule}, {c.credit_date})"
                        for c in found.largest_in_period)
    noun = "credit" if found.credits_to_date == 1 else "credits"
    text += (f"; {component.measure} counts {found.credits_to_date:,} {noun} to date, "
             f"{found.credits_in_period:,} in {period.name}")
    return text + (f"; the largest in {period.name}: {largest}." if largest else ".")
