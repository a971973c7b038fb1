"""GET /api/transactions: the lines commissions are computed on, as far as the caller may see them.

What a rep (or a manager, for their team) sees: the lines owned by, or split to, a position the person
held on the line's booked date — the lines that are theirs by the source system's ownership. Lines
credited to them by other rules (territory, overlay, sourcing) are read through the earning lines
(/api/results) whose explanation names them; the lineage of every credit stays in the run's files.
The roles that see everyone see every line.
"""

from datetime import date
from typing import Literal

from django.db.models import Exists, OuterRef, Prefetch, Q
from ninja import Router, Schema
from ninja.pagination import paginate

from attain.apps.api.errors import problems
from attain.apps.api.rules import month_or_404, participant_or_404, sees_everyone, today, visible_participants
from attain.apps.api.types import Code, EmployeeId, Money, Page, PeriodName
from attain.apps.org.models import PositionHolder
from attain.apps.sales.models import CreditSplit, Transaction

router = Router(tags=["transactions"])
Kind = Literal[tuple(Transaction.Kind.values)]  # type: ignore[valid-type]
Status = Literal[tuple(Transaction.Status.values)]  # type: ignore[valid-type]


class SplitOut(Schema):
    position: str
    share: Money

    @staticmethod
    def resolve_position(split: CreditSplit) -> str:
        return split.position.code


class TransactionOut(Schema):
    external_id: str
    kind: str
    order_number: str
    booked_date: date
    invoiced_date: date | None
    paid_date: date | None
    status: str
    deal_type: str
    account: str
    product: str | None
    amount: Money
    currency: str
    owner_position: str | None
    original: str | None
    splits: list[SplitOut]

    @staticmethod
    def resolve_account(line: Transaction) -> str:
        return line.account.external_id

    @staticmethod
    def resolve_product(line: Transaction) -> str | None:
        return line.product.sku if line.product_id else None

    @staticmethod
    def resolve_currency(line: Transaction) -> str:
        return line.currency_id

    @staticmethod
    def resolve_owner_position(line: Transaction) -> str | None:
        return line.owner_position.code if line.owner_position_id else None

    @staticmethod
    def resolve_original(line: Transaction) -> str | None:
        return line.original.external_id if line.original_id else None

    @staticmethod
    def resolve_splits(line: Transaction) -> list[CreditSplit]:
        return list(line.splits.all())


@router.get("/transactions", response={200: list[TransactionOut], **problems()}, summary="Transaction lines")
@paginate(Page)
def transactions(request, employee_id: EmployeeId | None = None, period: PeriodName | None = None,
                 booked_from: date | None = None, booked_to: date | None = None, kind: Kind | None = None,
                 status: Status | None = None, account: Code | None = None):
    """The lines you may see, newest first. With `employee_id`, that participant's lines (the participant must
    be one you may see on the last day of `period`, or today). `period` (a month) keeps the lines booked in it."""
    month = month_or_404(period) if period else None
    lines = visible_lines(request.user, employee_id, month.end_date if month else today())
    if month:
        lines = lines.filter(booked_date__range=(month.start_date, month.end_date))
    filters = {"booked_date__gte": booked_from, "booked_date__lte": booked_to, "kind": kind, "status": status,
               "account__external_id": account}
    lines = lines.filter(**{k: v for k, v in filters.items() if v is not None})
    return (lines.select_related("account", "product", "owner_position", "original")
            .prefetch_related(Prefetch("splits", CreditSplit.objects.select_related("position")))
            .order_by("-booked_date", "external_id"))


def visible_lines(user, employee_id: str | None, on: date):
    if employee_id:
        people = [participant_or_404(user, employee_id, on).pk]
    elif sees_everyone(user):
        return Transaction.objects.all()
    else:
        people = list(visible_participants(user, on).order_by().values_list("pk", flat=True))
    return Transaction.objects.filter(held_by(people))


def held_by(people: list[int]) -> Q:
    """Lines owned by, or split to, a position one of the people held on the line's booked date."""
    seats = PositionHolder.objects.filter(participant__in=people)
    positions = list(seats.order_by().values_list("position_id", flat=True).distinct())
    on_the_day = Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("booked_date"))
    owner_held = seats.filter(on_the_day, position_id=OuterRef("owner_position_id"),
                              valid_from__lte=OuterRef("booked_date"))
    split_held = CreditSplit.objects.filter(
        Q(position__holders__valid_to__isnull=True) | Q(position__holders__valid_to__gte=OuterRef("booked_date")),
        transaction_id=OuterRef("pk"), position__holders__participant__in=people,
        position__holders__valid_from__lte=OuterRef("booked_date"))
    split_lines = CreditSplit.objects.filter(position_id__in=positions).values("transaction_id")
    return (Q(owner_position_id__in=positions) & Exists(owner_held)) | (Q(pk__in=split_lines) & Exists(split_held))
