"""Transactions (the lines commissions are computed on), opportunities and activities."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from attain.apps.core.fields import currency, money, ratio


class DealType(models.TextChoices):
    NEW = "new"
    EXPANSION = "expansion"
    RENEWAL = "renewal"


class Transaction(models.Model):
    """One order, booking, invoice or payment line, or a credit note against one."""

    class Kind(models.TextChoices):
        ORDER = "order"
        BOOKING = "booking"
        INVOICE = "invoice"
        PAYMENT = "payment"
        CREDIT_NOTE = "credit_note", "Credit note"

    class Status(models.TextChoices):
        BOOKED = "booked"
        INVOICED = "invoiced"
        PAID = "paid"
        CANCELLED = "cancelled"
        REFUNDED = "refunded"

    external_id = models.CharField(max_length=64, unique=True, help_text="The source system's line id; the import key.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BOOKING)
    order_number = models.CharField(max_length=64, blank=True, db_index=True)
    booked_date = models.DateField(db_index=True)
    invoiced_date = models.DateField(null=True, blank=True)
    paid_date = models.DateField(null=True, blank=True)
    account = models.ForeignKey("catalog.Account", on_delete=models.PROTECT, related_name="transactions")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT)
    opportunity = models.ForeignKey("sales.Opportunity", null=True, blank=True, on_delete=models.SET_NULL)
    quantity = money("quantity", default=1)
    amount = money("amount", help_text="Line amount in the transaction currency; negative for credit notes.")
    currency = currency()
    cost = money("cost", null=True, blank=True, help_text="Cost of the line in the same currency (margin = amount − cost).")
    deal_type = models.CharField(max_length=10, choices=DealType.choices, default=DealType.NEW)
    owner_position = models.ForeignKey(
        "org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_transactions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True)
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals",
        help_text="For a credit note or cancellation: the line it reverses.",
    )

    class Meta:
        ordering = ["-booked_date", "external_id"]
        indexes = [models.Index(fields=["owner_position", "booked_date"])]

    def __str__(self) -> str:
        return f"{self.external_id} {self.amount} {self.currency_id}"

    @property
    def margin(self):
        return None if self.cost is None else self.amount - self.cost

    def clean(self) -> None:
        errors = {}
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = "The contract ends before it starts."
        if self.invoiced_date and self.booked_date and self.invoiced_date < self.booked_date:
            errors["invoiced_date"] = "A line cannot be invoiced before it is booked."
        if self.kind == self.Kind.CREDIT_NOTE and not self.original_id:
            errors["original"] = "A credit note must name the line it reverses."
        if self.original_id and self.original_id == self.pk:
            errors["original"] = "A line cannot reverse itself."
        if errors:
            raise ValidationError(errors)


class CustomerPayment(models.Model):
    """A customer's payment of a transaction, whole or in part: what releases commission a plan holds until paid."""

    external_id = models.CharField(max_length=64, unique=True, help_text="The finance system's receipt id; the "
                                                                         "import key.")
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="customer_payments")
    paid_on = models.DateField()
    amount = money("amount", help_text="In the transaction's currency.")

    class Meta:
        ordering = ["transaction", "paid_on", "external_id"]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.amount} on {self.paid_on}"

    def clean(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "A payment is an amount above 0; a refund is a credit note."})


class CreditSplit(models.Model):
    """A share of a transaction's credit for a position (e.g. a 70/30 split between two AEs).

    When a transaction has splits, direct credit follows them instead of the owner; the shares of one
    transaction must add up to 100% (checked when credits are calculated).
    """

    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="splits")
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="credit_splits")
    share = ratio("share", validators=[MinValueValidator(Decimal("0.00000001")), MaxValueValidator(1)],
                  help_text="Fraction of the credit, e.g. 0.7 for 70%.")

    class Meta:
        ordering = ["transaction", "position"]
        constraints = [models.UniqueConstraint(fields=["transaction", "position"], name="credit_split_unique")]

    def __str__(self) -> str:
        return f"{self.transaction_id}: {self.position_id} {self.share:%}"


class Opportunity(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open"
        WON = "won"
        LOST = "lost"

    external_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    account = models.ForeignKey("catalog.Account", on_delete=models.PROTECT, related_name="opportunities")
    owner_position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="opportunities")
    sourced_by_position = models.ForeignKey(
        "org.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="sourced_opportunities",
        help_text="The SDR (or partner manager) who sourced it.",
    )
    product_family = models.ForeignKey("catalog.ProductFamily", null=True, blank=True, on_delete=models.PROTECT)
    deal_type = models.CharField(max_length=10, choices=DealType.choices, default=DealType.NEW)
    amount = money("amount")
    currency = currency()
    stage = models.CharField(max_length=40, db_index=True)
    created_date = models.DateField()
    expected_close_date = models.DateField()
    closed_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=5, choices=Outcome.choices, default=Outcome.OPEN, db_index=True)
    loss_reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_date"]
        verbose_name_plural = "opportunities"
        # the team page's open pipeline: a seat's opportunities expected to close in a window (33 → 4 ms for 132
        # seats of the demo's 66,706 opportunities)
        indexes = [models.Index(fields=["owner_position", "expected_close_date"], name="sales_opp_pipeline")]

    def __str__(self) -> str:
        return self.name


class OpportunityStageEvent(models.Model):
    """The opportunity entered `stage` on `entered_on` (its stage history)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_events")
    stage = models.CharField(max_length=40)
    entered_on = models.DateField()
    amount = money("amount at this stage", null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "entered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "stage", "entered_on"], name="stage_event_unique")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.stage} on {self.entered_on}"


class Activity(models.Model):
    class Kind(models.TextChoices):
        CALL = "call"
        EMAIL = "email"
        MEETING = "meeting"
        DEMO = "demo"

    external_id = models.CharField(max_length=64, unique=True)
    participant = models.ForeignKey("org.Participant", on_delete=models.CASCADE, related_name="activities")
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    account = models.ForeignKey("catalog.Account", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=8, choices=Kind.choices, db_index=True)
    occurred_on = models.DateField(db_index=True)
    duration_minutes = models.PositiveIntegerField(default=0)
    qualified = models.BooleanField(default=False, help_text="A qualified meeting (what SDRs are paid for).")
    subject = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"

    def clean(self) -> None:
        if not self.opportunity_id and not self.account_id:
            raise ValidationError("An activity concerns an opportunity or an account: give at least one.")
