"""Payments: draw agreements, and each pay run's payment lines (precise and rounded, explained)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from attain.apps.core.fields import PreciseDecimalField, currency, money
from attain.apps.org import roles
from attain.engine.money import show_amount


class DrawAgreement(models.Model):
    """A draw (an advance against future earnings) agreed with a participant from one day to another.

    A participant may have several, one after another (never overlapping): the draw changes with a transfer,
    e.g. 2,000 a month until 15 April and 4,000 from 16 April. In a month an agreement covers only in part it
    counts for its days (2,000 × 15/30 + 4,000 × 15/30 = 3,000 in April); the draw balance carries from one
    agreement to the next (see attain.engine.payments.draws).
    """

    participant = models.ForeignKey("org.Participant", on_delete=models.CASCADE, related_name="draws")
    amount = money("amount per month")
    currency = currency()
    recoverable = models.BooleanField(help_text="Recoverable: the shortfall is owed and recovered from later "
                                                "earnings above the draw. Not recoverable: a guarantee.")
    valid_from = models.DateField(help_text="The first day the draw is paid for; a draw starting mid-month is "
                                            "prorated by days in that month (both ends counted).")
    valid_to = models.DateField(null=True, blank=True, help_text="The last day the draw is paid for, inclusive "
                                                                 "(mid-month: prorated by days); empty: open. The "
                                                                 "next agreement starts after it.")
    recovery_from = models.DateField(null=True, blank=True, help_text="Recovery starts in the month of this day (a "
                                                                      "delayed start), also of what is owed under "
                                                                      "earlier agreements; empty: at once.")
    max_recovery = money("maximum recovery per month", null=True, blank=True)
    forgive_at_end = models.BooleanField(default=False, help_text="What is still owed of the draw when it ends, or "
                                                                  "when the participant leaves, is forgiven; "
                                                                  "otherwise the next agreement recovers it.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["participant", "valid_from"]

    def __str__(self) -> str:
        kind = "recoverable" if self.recoverable else "non-recoverable"
        return f"{self.participant}: {kind} draw {self.amount} {self.currency_id} from {self.valid_from}"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError("The draw ends before it starts: correct valid_to.")
        if self.amount is not None and self.amount <= 0:
            raise ValidationError("A draw pays an amount above 0 each month.")
        clash = self.overlapping().first()
        if clash is not None:
            first, second = sorted((clash, self), key=lambda draw: draw.valid_from)
            raise ValidationError({"valid_from": overlap_message(first, second)})

    def overlapping(self) -> models.QuerySet[DrawAgreement]:
        """The participant's other agreements sharing a day with this one."""
        if not self.participant_id or not self.valid_from:
            return DrawAgreement.objects.none()
        others = DrawAgreement.objects.filter(participant_id=self.participant_id).exclude(pk=self.pk)
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        return others.exclude(valid_to__lt=self.valid_from).order_by("valid_from")

    def span(self) -> str:
        return f"{self.valid_from} to {self.valid_to or 'open'}"


def overlap_message(first: DrawAgreement, second: DrawAgreement) -> str:
    """Two agreements of a participant overlap (`first` starts first): which, and how to fix it."""
    day_before = second.valid_from - timedelta(days=1)
    return (f"{first.participant} has overlapping draw agreements: {_named(first)} and {_named(second)}; a "
            f"participant's draws follow one another: end the first on {day_before} (the day before the second "
            "starts) or earlier, or start the second after the first ends")


def _named(draw: DrawAgreement) -> str:
    return f"draw agreement {draw.pk or '(new)'} ({show_amount(draw.amount)} {draw.currency_id}, {draw.span()})"


class PaymentRun(models.Model):
    """What one month pays: computed from the calculation runs of the fiscal year to that month."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="payment_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUCCEEDED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    calculation_runs = models.JSONField(default=dict, help_text="The calculation run used for each month.")
    counts = models.JSONField(default=dict)
    reports = models.JSONField(default=list, help_text="What needs attention, e.g. balances left at termination.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Payment run {self.pk} for {self.period} ({self.status})"


class Payment(models.Model):
    """What a participant is paid in a month, and how: earnings, draw, recovery, balances, one rounding."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="payments")
    participant = models.ForeignKey("org.Participant", on_delete=models.PROTECT, related_name="payments")
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="payments")
    currency = currency()
    earned = PreciseDecimalField(help_text="The month's earnings, precise.")
    adjustments = PreciseDecimalField(default=Decimal(0), help_text="Prior-period adjustments, clawbacks and manual "
                                                                    "adjustments, precise.")
    draw_top_up = PreciseDecimalField(help_text="What the draw added.")
    recovered = PreciseDecimalField(help_text="Taken from the earnings to repay balances.")
    forgiven = PreciseDecimalField()
    # how the balances moved (for the journal entries): recovered = recovered_owed + recovered_draw
    became_owed = PreciseDecimalField(default=Decimal(0), help_text="The part of a negative month that became owed.")
    recovered_owed = PreciseDecimalField(default=Decimal(0), help_text="Recovered from the owed balance.")
    recovered_draw = PreciseDecimalField(default=Decimal(0), help_text="Recovered from the draw balance.")
    draw_advanced = PreciseDecimalField(default=Decimal(0), help_text="The draw's top-up added to the draw balance.")
    owed = PreciseDecimalField(help_text="The balance owed after this month (from negative months).")
    draw_owed = PreciseDecimalField(help_text="The recoverable draw balance after this month.")
    precise = PreciseDecimalField("precise payment")
    paid = money("payment", help_text="Rounded once; the rounding difference is carried to the next month.")
    adjustment_lines = models.JSONField(default=list, blank=True, help_text="The month's adjustments: "
                                                                            "[{label, amount}] (precise).")
    explanation = models.TextField()
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "participant"]
        constraints = [models.UniqueConstraint(fields=["run", "participant", "currency"], name="payment_unique")]

    def __str__(self) -> str:
        return f"{self.participant} {self.period}: {self.paid} {self.currency_id}"


class Adjustment(models.Model):
    """A manual adjustment to a participant's pay: one month, or every month of a span (recurring).

    Made by one person with a reason (and a document when there is one), approved by another
    (segregation of duties); only approved adjustments are paid. An adjustment approved after its
    first month was paid starts in the first month not yet paid (`applies_from`).
    """

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", "One-off"
        RECURRING = "recurring"

    class State(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    participant = models.ForeignKey("org.Participant", on_delete=models.PROTECT, related_name="adjustments")
    amount = money("amount", help_text="Added to the payment (negative: taken from it), in the payee's currency.")
    currency = currency()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ONE_OFF)
    first_period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="+")
    last_period = models.ForeignKey("core.Period", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    help_text="Recurring: the last month paid (empty: until further notice).")
    reason = models.TextField()
    attachment = models.FileField(upload_to="adjustments/%Y/", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    applies_from = models.ForeignKey("core.Period", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     help_text="Set on approval: the first month it is paid in.")

    class Meta:
        ordering = ["-created_at"]
        permissions = [("approve_adjustment", "Can approve adjustments")]

    def __str__(self) -> str:
        return f"Adjustment {self.pk}: {self.participant} {self.amount} {self.currency_id} ({self.state})"

    def label(self) -> str:
        return f"adjustment {self.pk} ({self.reason.splitlines()[0][:60]})"

    def clean(self) -> None:
        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = "Give the reason for the adjustment: the payee and the approver will read it."
        if self.amount is not None and not self.amount:
            errors["amount"] = "An adjustment of 0 changes nothing: give a positive or negative amount."
        first = self.first_period if self.first_period_id else None
        if first is not None and first.kind != "month":
            errors["first_period"] = "Adjust a month (e.g. FY2026-M03)."
        elif first is not None and first.state in ("paid", "closed"):
            errors["first_period"] = f"{first.name} is {first.state}: adjust an open month."
        last = self.last_period if self.last_period_id else None
        if last is not None and (self.kind != self.Kind.RECURRING or (first and last.end_date < first.start_date)):
            errors["last_period"] = "Only a recurring adjustment has a last month, on or after its first."
        if errors:
            raise ValidationError(errors)


class AccountingPolicy(models.Model):
    """How commissions are accounted for (ASC 340-40 / IFRS 15) and the accounts the journal posts to."""

    name = models.CharField(max_length=60, unique=True, default="Default")
    practical_expedient = models.BooleanField(default=True, help_text="Expense at once the commissions whose period "
                                                                      "of benefit is the months below or less.")
    expense_up_to_months = models.PositiveSmallIntegerField(default=12)
    expected_renewal_months = models.PositiveSmallIntegerField(default=0, help_text="Renewals expected beyond the "
                                                                                    "term, added to the period of "
                                                                                    "benefit.")
    chart = models.JSONField(default=dict, blank=True, help_text="Account codes and names by role, e.g. "
                                                                 '{"commission_expense": {"code": "6100", "name": '
                                                                 '"Commission expense"}}; empty: the defaults.')

    class Meta:
        verbose_name_plural = "accounting policies"

    def __str__(self) -> str:
        return self.name


class DeferredMonth(models.Model):
    """What a paid month did to deferred commissions (ASC 340-40), kept so the reports need not rebuild it from
    the earnings: the commissions it capitalised, its movements, and what credit notes took back
    (`deferred_kept.py`). Kept when the month is paid, or on first use; made again if the policy changes."""

    period = models.OneToOneField("core.Period", on_delete=models.CASCADE, related_name="deferred_month")
    policy = models.JSONField(help_text="The capitalisation policy it was kept under: [practical expedient, "
                                        "expected renewal months, expense up to months].")
    credit_notes = models.JSONField(default=list, blank=True, help_text="The month's commission on credit notes "
                                                                        "(negative), what clawbacks take back: "
                                                                        "[[payee, deal, amount]] (precise).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period"]

    def __str__(self) -> str:
        return f"Deferred commissions of {self.period}"


class KeptCommission(models.Model):
    """A commission a kept month capitalised: the terms its schedule is made from, and its cancellation."""

    month = models.ForeignKey(DeferredMonth, on_delete=models.CASCADE, related_name="commissions")
    position = models.PositiveIntegerField(help_text="Its place among the month's commissions (the journal's order).")
    contract_id = models.CharField(max_length=160, help_text="deal/payee/month")
    deal = models.CharField(max_length=64, help_text="The deal line's external id (its credit notes cancel it).")
    payee = models.CharField(max_length=64, help_text="The payee's employee id.")
    currency = currency()
    commission = money("commission", help_text="In the currency's minor unit.")
    contract_start = models.DateField()
    term_months = models.PositiveSmallIntegerField()
    benefit_months = models.PositiveSmallIntegerField()
    incurred_on = models.DateField()
    last_month = models.DateField(help_text="The first day of the schedule's last month.")
    cancelled_in = models.ForeignKey(DeferredMonth, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="cancellations")
    cancelled_on = models.DateField(null=True, blank=True)
    clawed_back = money("clawed back", null=True, blank=True)

    class Meta:
        ordering = ["month", "position"]
        constraints = [models.UniqueConstraint(fields=["month", "position"], name="kept_commission_unique")]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.commission} {self.currency_id}"


class DeferredMovement(models.Model):
    """A kept month's movement of the deferred-commissions asset, per currency, payee and kind (the roll-forward)."""

    month = models.ForeignKey(DeferredMonth, on_delete=models.CASCADE, related_name="movements")
    currency = currency()
    payee = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, help_text="capitalised, amortised, clawed_back or impaired")
    amount = money()

    class Meta:
        ordering = ["month", "currency", "payee", "kind"]
        constraints = [models.UniqueConstraint(fields=["month", "currency", "payee", "kind"],
                                               name="deferred_movement_unique")]

    def __str__(self) -> str:
        return f"{self.month.period} {self.payee} {self.kind} {self.amount} {self.currency_id}"


class RecoveryLimit(models.Model):
    """At most this much of a balance owed (from negative months: clawbacks, credit notes) is recovered from a
    payee's payment each month. One for a participant, or, without a participant, the default for everyone paid
    in its currency. Without any, the whole balance is recovered as soon as the payments allow."""

    participant = models.ForeignKey("org.Participant", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="recovery_limits", help_text="Empty: everyone paid in the currency.")
    amount = money("at most per month", validators=[MinValueValidator(Decimal("0.01"))])
    currency = currency()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["currency", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["participant"], name="recovery_limit_participant_unique",
                                    condition=models.Q(participant__isnull=False)),
            models.UniqueConstraint(fields=["currency"], name="recovery_limit_default_unique",
                                    condition=models.Q(participant__isnull=True)),
        ]

    def __str__(self) -> str:
        whom = self.participant or f"everyone paid in {self.currency_id}"
        return f"{whom}: at most {show_amount(self.amount)} {self.currency_id} recovered a month"

    def clean(self) -> None:
        if self.participant_id and self.currency_id and self.participant.currency_id != self.currency_id:
            raise ValidationError({"currency": f"{self.participant} is paid in {self.participant.currency_id}: give "
                                               "the limit in the payee's currency"})


class ApprovalAuthority(models.Model):
    """How large a manual adjustment a sales manager may approve or reject alone, for their own team.

    Given to a user, or to a role (every user of the role without an authority of their own). The limit
    applies to the adjustment's whole amount, negative or positive: a one-off's amount, a recurring one's
    amount × its months; a recurring adjustment without a last month is never within it. Above the limit,
    or without an authority, the adjustment waits for finance (`payments.authority`).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="approval_authority", help_text="The manager; or leave empty and "
                                                                             "name a role.")
    role = models.CharField(max_length=40, blank=True, choices=[(r, r) for r in roles.ROLE_PERMISSIONS],
                            help_text="Every user of this role (e.g. Sales manager) "
                                                                 "without an authority of their own.")
    max_amount = money("up to", validators=[MinValueValidator(0)],
                       help_text="The largest adjustment (its whole amount, either sign) approved or rejected without "
                                 "finance.")
    currency = currency()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "approval authorities"
        ordering = ["role", "user"]
        constraints = [
            models.CheckConstraint(condition=(models.Q(user__isnull=False) & models.Q(role=""))
                                   | (models.Q(user__isnull=True) & ~models.Q(role="")),
                                   name="approval_authority_user_or_role"),
            models.UniqueConstraint(fields=["role"], condition=~models.Q(role=""), name="approval_authority_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.role}: adjustments up to {show_amount(self.max_amount)} {self.currency_id}"

    def clean(self) -> None:
        if bool(self.user_id) == bool(self.role):
            raise ValidationError("Name either a user or a role, not both.")
