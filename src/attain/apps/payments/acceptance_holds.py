"""Holds for plan documents not accepted: a plan may require its participants to accept the version in force
before they are paid (portal.AcceptanceRequirement; the acceptances are portal.PlanAcceptance).

When a month is paid, a participant who has not accepted the version of a required plan in force at the
month's end has the month's earnings on that plan held: one negative adjustment of the payment, labelled
"… plan document vN not accepted". The month paid after they accept releases everything held for the plan,
as one positive adjustment. Earlier months are replayed as they were paid: their acceptance adjustments are
read back from their stored payments, so a payment stays reproducible whatever was accepted later. The labels
start with `holding.HELD`, so the journal books held commission as owed until released, like other holds.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from attain.apps.calc.fx import Converter
from attain.apps.calc.models import CalculationRun, Earning
from attain.apps.core.models import Period
from attain.apps.org.models import Participant
from attain.apps.payments.holding import HELD, Adjustments
from attain.apps.payments.models import Payment, PaymentRun
from attain.apps.plans.models import PlanVersion
from attain.apps.portal.models import AcceptanceRequirement, PlanAcceptance
from attain.engine.money import show_amount

ACCEPTANCE = f"{HELD}the plan document is accepted: "  # how these adjustments' labels start
ZERO = Decimal(0)


def acceptance_adjustments(months: list[Period], runs: dict[str, CalculationRun]) -> Adjustments:
    """(participant id, month) → the acceptance holds and releases of the months (the last one is being paid)."""
    required = dict(AcceptanceRequirement.objects.filter(required=True).values_list("plan_id", "plan__code"))
    if not required:
        return {}
    month = months[-1]
    found: Adjustments = defaultdict(list)
    held: dict[tuple[int, str], Decimal] = defaultdict(Decimal)  # (participant id, plan code) → still held
    for (pid, name), lines in _as_paid(months[:-1]).items():
        found[(pid, name)] += lines
        for label, amount in lines:
            held[(pid, _plan_code(label))] -= amount
    versions = {v.plan_id: v for v in PlanVersion.objects.filter(PlanVersion.valid_on(month.end_date),
                                                                 status=PlanVersion.Status.PUBLISHED,
                                                                 plan__in=required).select_related("plan")}
    earned = _earned(month, runs.get(month.name), set(versions))
    accepted = {(a.participant_id, a.plan_version_id): a for a in PlanAcceptance.objects.filter(
        plan_version__in=versions.values())}
    for plan_id, version in sorted(versions.items(), key=lambda kv: kv[1].plan.code):
        code = version.plan.code
        people = {pid for pid, plan in earned if plan == plan_id} | {pid for pid, c in held if c == code and held[(pid, c)]}
        for pid in sorted(people):
            yes = accepted.get((pid, version.pk))
            if yes is not None and held[(pid, code)]:
                found[(pid, month.name)].append((f"{ACCEPTANCE}{code} plan document v{version.version} accepted on "
                                                 f"{yes.accepted_at:%Y-%m-%d}, "
                                                 f"{show_amount(held[(pid, code)])} released", held[(pid, code)]))
            elif yes is None and earned.get((pid, plan_id)):
                amount = earned[(pid, plan_id)]
                found[(pid, month.name)].append((f"{ACCEPTANCE}{code} plan document v{version.version} not accepted "
                                                 f"({show_amount(amount)} held, "
                                                 f"{show_amount(held[(pid, code)] + amount)} in all)", -amount))
    return dict(found)


def _plan_code(label: str) -> str:
    return label[len(ACCEPTANCE):].split(" ", 1)[0]


def _as_paid(months: list[Period]) -> dict[tuple[int, str], list[tuple[str, Decimal]]]:
    """The acceptance adjustments of the months' latest payments, as stored."""
    latest = {}
    for payment in (Payment.objects.filter(period__in=months, run__status=PaymentRun.Status.SUCCEEDED)
                    .select_related("period").order_by("run__created_at", "pk")):
        latest[(payment.participant_id, payment.period.name)] = payment
    return {key: lines for key, payment in latest.items()
            if (lines := [(line["label"], Decimal(line["amount"])) for line in payment.adjustment_lines
                          if line["label"].startswith(ACCEPTANCE)])}


def _earned(month: Period, run: CalculationRun | None, plans: set[int]) -> dict[tuple[int, int], Decimal]:
    """(participant id, plan id) → the month's earnings on the plan, in the participant's currency at the rate of
    the month's last day (as the payment converts them)."""
    if run is None or not plans:
        return {}
    currencies = dict(Participant.objects.values_list("pk", "currency_id"))
    converters: dict[str, Converter] = {}
    found: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for pid, plan, currency, amount in Earning.objects.filter(run=run, period=month, plan_version__plan__in=plans) \
            .values_list("participant_id", "plan_version__plan_id", "currency_id", "amount"):
        target = currencies[pid]
        converter = converters.setdefault(target, Converter(target))
        found[(pid, plan)] += amount * converter.rate(currency, month.end_date)
    return dict(found)
