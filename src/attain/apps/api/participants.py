"""GET /api/participants: the people the caller may see, with the positions they hold."""

from datetime import date

from django.db.models import Prefetch, Q
from ninja import Router, Schema
from ninja.pagination import paginate

from attain.apps.api.errors import problems
from attain.apps.api.rules import participant_or_404, today, visible_participants
from attain.apps.api.types import EmployeeId, Page, Text
from attain.apps.org.models import Participant, PositionHolder

router = Router(tags=["participants"])


class HeldPosition(Schema):
    code: str
    name: str
    kind: str
    valid_from: date
    valid_to: date | None

    @staticmethod
    def resolve_code(holder: PositionHolder) -> str:
        return holder.position.code

    @staticmethod
    def resolve_name(holder: PositionHolder) -> str:
        return holder.position.name

    @staticmethod
    def resolve_kind(holder: PositionHolder) -> str:
        return holder.position.kind


class ParticipantOut(Schema):
    employee_id: str
    first_name: str
    last_name: str
    currency: str
    country: str
    hire_date: date
    termination_date: date | None
    positions: list[HeldPosition]

    @staticmethod
    def resolve_currency(person: Participant) -> str:
        return person.currency_id

    @staticmethod
    def resolve_positions(person: Participant) -> list[PositionHolder]:
        return list(person.positions_held.all())


def with_positions(people):
    holders = PositionHolder.objects.select_related("position").order_by("valid_from")
    return people.prefetch_related(Prefetch("positions_held", queryset=holders))


@router.get("/participants", response={200: list[ParticipantOut], **problems()},
            summary="The participants you may see")
@paginate(Page)
def participants(request, on: date | None = None, search: Text | None = None, currency: Text | None = None):
    """A rep sees themselves; a manager themselves and the holders of the positions under theirs on the day `on`
    (default today); administrators, comp admins, finance, executives and auditors everyone. `search` matches
    the employee id or the name; `currency` the currency paid in."""
    people = visible_participants(request.user, on or today())
    if search:
        people = people.filter(Q(employee_id__icontains=search) | Q(first_name__icontains=search)
                               | Q(last_name__icontains=search))
    if currency:
        people = people.filter(currency_id=currency.upper())
    return with_positions(people.order_by("employee_id"))


@router.get("/participants/{employee_id}", response={200: ParticipantOut, **problems()},
            summary="One participant")
def participant(request, employee_id: EmployeeId, on: date | None = None):
    """404 when there is no such participant or it is not one you may see on the day `on` (default today)."""
    found = participant_or_404(request.user, employee_id, on or today())
    return with_positions(Participant.objects.filter(pk=found.pk)).get()
